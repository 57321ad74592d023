package libpod

import (
	"errors"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

func TestHelperArgs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mode     protocol.NetworkMode
		opts     []string
		args     string
		loopback bool
		wantErr  string
	}{
		{"pasta closes the loopback", protocol.NetworkPasta, nil, "--no-map-gw", false, ""},
		{"pasta --map-gw opens it and is consumed", protocol.NetworkPasta, []string{"--map-gw"}, "", true, ""},
		{"pasta other options pass through", protocol.NetworkPasta, []string{"-t", "8080", "--ipv4-only"}, "-t 8080 --ipv4-only --no-map-gw", false, ""},
		{"pasta last word wins", protocol.NetworkPasta, []string{"--map-gw", "--no-map-gw"}, "--no-map-gw", false, ""},
		{"pasta container opens what the config closed", protocol.NetworkPasta, []string{"--no-map-gw", "--map-gw"}, "", true, ""},
		{"slirp4netns closes the loopback", protocol.NetworkSlirp4netns, nil, "--disable-host-loopback", false, ""},
		{"slirp4netns opt-in", protocol.NetworkSlirp4netns, []string{"allow_host_loopback=true"}, "", true, ""},
		{"slirp4netns explicit false", protocol.NetworkSlirp4netns, []string{"allow_host_loopback=false"}, "--disable-host-loopback", false, ""},
		{"slirp4netns options", protocol.NetworkSlirp4netns, []string{"mtu=1500", "enable_ipv6=true", "cidr=10.5.0.0/24", "outbound_addr=eth0"},
			"--disable-host-loopback --mtu=1500 --enable-ipv6 --cidr=10.5.0.0/24 --outbound-addr=eth0", false, ""},
		{"slirp4netns unknown option", protocol.NetworkSlirp4netns, []string{"port_handler=x"}, "", false, "port_handler"},
		{"slirp4netns bad bool", protocol.NetworkSlirp4netns, []string{"allow_host_loopback=yes please"}, "", false, "allow_host_loopback"},
		{"slirp4netns bare key", protocol.NetworkSlirp4netns, []string{"allow_host_loopback"}, "", false, "allow_host_loopback"},
		{"slirp4netns bad mtu", protocol.NetworkSlirp4netns, []string{"mtu=9"}, "", false, "mtu"},
		{"none takes nothing", protocol.NetworkNone, nil, "", false, ""},
		{"none with options", protocol.NetworkNone, []string{"x"}, "", false, "takes no options"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args, loopback, err := helperArgs(tc.mode, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("helperArgs = %q %v %v; want an ErrInvalidArg naming %q", args, loopback, err, tc.wantErr)
				}
				return
			}
			if err != nil || strings.Join(args, " ") != tc.args || loopback != tc.loopback {
				t.Errorf("helperArgs = %q %v %v; want %q %v", args, loopback, err, tc.args, tc.loopback)
			}
		})
	}
}

func TestHostAddress(t *testing.T) {
	gw := defaultGatewayIPv4()
	for _, tc := range []struct {
		n    netSetup
		want string
	}{
		{netSetup{mode: protocol.NetworkSlirp4netns, loopback: true}, slirpGateway},
		{netSetup{mode: protocol.NetworkPasta, loopback: true}, gw},
		{netSetup{mode: protocol.NetworkSlirp4netns}, hostIPv4("")},
		{netSetup{mode: protocol.NetworkPasta}, hostIPv4(defaultRouteInterface())},
		{netSetup{mode: protocol.NetworkNone}, ""},
		{netSetup{mode: protocol.NetworkHost}, ""},
	} {
		if got := tc.n.hostAddress(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.n, got, tc.want)
		}
	}
	// A closed loopback never names a loopback address.
	for _, m := range []protocol.NetworkMode{protocol.NetworkPasta, protocol.NetworkSlirp4netns} {
		if a := (&netSetup{mode: m}).hostAddress(); strings.HasPrefix(a, "127.") || a == slirpGateway {
			t.Errorf("%s with the loopback closed names %q", m, a)
		}
	}
}

// pod.conf's options come first, the container's after them.
func TestNetworkCombinesConfigAndContainer(t *testing.T) {
	for _, tc := range []struct {
		conf, ctr []string
		loopback  bool
	}{
		{nil, nil, false},
		{[]string{"--map-gw"}, nil, true},
		{[]string{"--map-gw"}, []string{"--no-map-gw"}, false},
		{nil, []string{"--map-gw"}, true},
	} {
		r := &Runtime{cfg: &Config{PastaOptions: tc.conf}}
		c := &Container{r: r, Config: &ContainerConfig{Name: "n", NetworkMode: protocol.NetworkPasta, NetworkOptions: tc.ctr}}
		n, err := c.network()
		if err != nil {
			if errors.Is(err, define.ErrMissingTool) {
				t.Skip("pasta not installed")
			}
			t.Fatal(err)
		}
		if n.loopback != tc.loopback || n.mode != protocol.NetworkPasta || n.tool == "" {
			t.Errorf("conf %q container %q: %+v, want loopback %v", tc.conf, tc.ctr, n, tc.loopback)
		}
	}
	r := &Runtime{cfg: &Config{Network: protocol.NetworkSlirp4netns}}
	c := &Container{r: r, Config: &ContainerConfig{Name: "n"}}
	if n, err := c.network(); err == nil && (n.mode != protocol.NetworkSlirp4netns || strings.Join(n.args, " ") != "--disable-host-loopback") {
		t.Errorf("configured default network: %+v", n)
	}
}
