package spec

import (
	"testing"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

func TestHostsFile(t *testing.T) {
	tests := []struct {
		name          string
		hostname, ctr string
		p             HostsParams
		want          string
	}{
		{
			name:     "defaults",
			hostname: "abc123", ctr: "web",
			want: "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
				"::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n" +
				"127.0.1.1\tabc123 web\n",
		},
		{
			name:     "container ip and slirp4netns gateway",
			hostname: "abc123", ctr: "web",
			p: HostsParams{ContainerIP: "10.0.2.100", HostGatewayIP: "10.0.2.2"},
			want: "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
				"::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n" +
				"10.0.2.100\tabc123 web\n" +
				"10.0.2.2\thost.containers.internal host.docker.internal\n",
		},
		{
			name:     "hostname equal to name",
			hostname: "web", ctr: "web",
			want: "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
				"::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n" +
				"127.0.1.1\tweb\n",
		},
		{
			name:     "extra first, base kept without comments",
			hostname: "h", ctr: "n",
			p: HostsParams{
				Extra: []HostEntry{{IP: "192.0.2.1", Names: []string{"db"}}, {IP: "", Names: []string{"skipped"}}},
				Base:  []byte("# host file\n127.0.0.1 localhost\n::1   localhost ip6-localhost # comment\n\n10.1.1.1 nas nas.lan\nbad\n"),
			},
			want: "192.0.2.1\tdb\n" +
				"127.0.0.1\tlocalhost\n" +
				"::1\tlocalhost ip6-localhost\n" +
				"10.1.1.1\tnas nas.lan\n" +
				"127.0.1.1\th n\n",
		},
		{
			name:     "base without localhost gets it",
			hostname: "h",
			p:        HostsParams{Base: []byte("10.1.1.1 nas\n")},
			want: "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
				"::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n" +
				"10.1.1.1\tnas\n" +
				"127.0.1.1\th\n",
		},
		{
			name: "no names",
			want: "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
				"::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(HostsFile(tt.hostname, tt.ctr, tt.p)); got != tt.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestResolvConf(t *testing.T) {
	const resolved = "# managed\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n"
	const mixed = "search example.com\nnameserver 127.0.0.1\nnameserver 192.0.2.53\nnameserver ::1\nnameserver 2001:db8::53\noptions ndots:2\n"
	tests := []struct {
		name string
		host string
		mode protocol.NetworkMode
		dns  string
		want string
	}{
		{name: "host network kept as is", host: resolved, mode: protocol.NetworkHost, want: resolved},
		{name: "host network ignores dns server", host: "nameserver 127.0.0.53", mode: protocol.NetworkHost, dns: "10.0.2.3", want: "nameserver 127.0.0.53\n"},
		{
			name: "private drops loopback",
			host: mixed, mode: protocol.NetworkPasta,
			want: "search example.com\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions ndots:2\n",
		},
		{
			name: "slirp4netns dns server first",
			host: mixed, mode: protocol.NetworkPasta, dns: "10.0.2.3",
			want: "search example.com\nnameserver 10.0.2.3\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions ndots:2\n",
		},
		{
			name: "only loopback left: search and options only",
			host: resolved, mode: protocol.NetworkPasta,
			want: "# managed\noptions edns0 trust-ad\nsearch lan\n",
		},
		{
			name: "only loopback replaced by dns server",
			host: resolved, mode: "", dns: "10.0.2.3",
			want: "# managed\nnameserver 10.0.2.3\noptions edns0 trust-ad\nsearch lan\n",
		},
		{
			name: "dns server appended when host has none",
			host: "search lan", mode: protocol.NetworkPasta, dns: "10.0.2.3",
			want: "search lan\nnameserver 10.0.2.3\n",
		},
		{
			name: "dns server not duplicated",
			host: "nameserver 10.0.2.3\nnameserver 1.1.1.1\n", mode: protocol.NetworkPasta, dns: "10.0.2.3",
			want: "nameserver 10.0.2.3\nnameserver 1.1.1.1\n",
		},
		{name: "none network, empty host", host: "", mode: protocol.NetworkNone, want: ""},
		{name: "empty host with dns", host: "", mode: protocol.NetworkPasta, dns: "10.0.2.3", want: "nameserver 10.0.2.3\n"},
		{name: "mapped loopback dropped", host: "nameserver ::ffff:127.0.0.1\nnameserver 127.1.2.3\n", mode: protocol.NetworkNone, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(ResolvConf([]byte(tt.host), tt.mode, tt.dns)); got != tt.want {
				t.Fatalf("got:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

func TestApplyDNS(t *testing.T) {
	const host = "# c\nsearch lan\nnameserver 10.0.2.3\nnameserver 192.0.2.53\noptions edns0\n"
	for _, tt := range []struct {
		d    DNSOverrides
		want string
	}{
		{DNSOverrides{}, host},
		{DNSOverrides{Servers: []string{"1.1.1.1", "8.8.8.8"}}, "search lan\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions edns0\n"},
		{DNSOverrides{Search: []string{"a.com", "b.com"}, Options: []string{"ndots:2"}}, "search a.com b.com\nnameserver 10.0.2.3\nnameserver 192.0.2.53\noptions ndots:2\n"},
		{DNSOverrides{Search: []string{"."}}, "nameserver 10.0.2.3\nnameserver 192.0.2.53\noptions edns0\n"},
	} {
		if got := string(ApplyDNS([]byte(host), tt.d)); got != tt.want {
			t.Errorf("ApplyDNS(%+v):\n%s\nwant:\n%s", tt.d, got, tt.want)
		}
	}
}

// /run/.containerenv is empty but for privileged containers, which read
// the engine and their own names in it.
func TestContainerEnv(t *testing.T) {
	i := ContainerEnvInfo{Engine: "pod-1.0", Name: "web", ID: "abc", Image: "docker.io/library/alpine:latest", ImageID: "def", Rootless: true}
	if got := ContainerEnv(false, i); len(got) != 0 {
		t.Errorf("unprivileged: %q, want empty", got)
	}
	want := "engine=\"pod-1.0\"\nname=\"web\"\nid=\"abc\"\nimage=\"docker.io/library/alpine:latest\"\nimageid=\"def\"\nrootless=1\n"
	if got := string(ContainerEnv(true, i)); got != want {
		t.Errorf("privileged: %q, want %q", got, want)
	}
}
