package libpod

import (
	"errors"
	"net"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParsePublish(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []PortMapping
		wantErr string
	}{
		{"80", []PortMapping{{ContainerPort: 80, Protocol: "tcp"}}, ""},
		{"8080:80", []PortMapping{{ContainerPort: 80, HostPort: 8080, Protocol: "tcp"}}, ""},
		{"127.0.0.1:8080:80/udp", []PortMapping{{HostIP: "127.0.0.1", ContainerPort: 80, HostPort: 8080, Protocol: "udp"}}, ""},
		{"127.0.0.1::80", []PortMapping{{HostIP: "127.0.0.1", ContainerPort: 80, Protocol: "tcp"}}, ""},
		{"0.0.0.0:8080:80", []PortMapping{{ContainerPort: 80, HostPort: 8080, Protocol: "tcp"}}, ""},
		{"[::1]:8080:80", []PortMapping{{HostIP: "::1", ContainerPort: 80, HostPort: 8080, Protocol: "tcp"}}, ""},
		{"8000-8005:80-85", []PortMapping{{ContainerPort: 80, HostPort: 8000, Range: 6, Protocol: "tcp"}}, ""},
		{"80-82", []PortMapping{{ContainerPort: 80, Range: 3, Protocol: "tcp"}}, ""},
		{"53:53/tcp,udp", []PortMapping{{ContainerPort: 53, HostPort: 53, Protocol: "tcp"}, {ContainerPort: 53, HostPort: 53, Protocol: "udp"}}, ""},
		{"8000-8002:80-81", nil, "different lengths: 3 vs 2"},
		{"70000:80", nil, "between 1 and 65535"},
		{"8080:0", nil, "between 1 and 65535"},
		{"x:80", nil, "not a number"},
		{"80/sctp", nil, "sctp"},
		{"1.2.3:80:80", nil, "not an IP address"},
		{"8080:", nil, "no container port"},
		{"a:b:c:d", nil, "too many colons"},
		{"90-80", nil, "below the start"},
	} {
		got, err := parsePublish([]string{tc.in})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("parsePublish(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parsePublish(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestPortStrings(t *testing.T) {
	m := PortMapping{ContainerPort: 90, HostPort: 9000, Range: 2, Protocol: "tcp"}
	if got := m.PsString(); got != "0.0.0.0:9000-9001->90-91/tcp" {
		t.Errorf("PsString = %q", got)
	}
	if got := m.pastaSpec(); got != "9000-9001:90-91" {
		t.Errorf("pastaSpec = %q", got)
	}
	u := PortMapping{HostIP: "127.0.0.1", ContainerPort: 53, HostPort: 5353, Protocol: "udp"}
	if got := strings.Join(pastaPortArgs([]PortMapping{m, u}), " "); got != "-t 9000-9001:90-91 -u 127.0.0.1/5353:53" {
		t.Errorf("pastaPortArgs = %q", got)
	}
	if got := u.String(); got != "53/udp -> 127.0.0.1:5353" {
		t.Errorf("String = %q", got)
	}
	if got := (PortMapping{HostIP: "::1", ContainerPort: 80, HostPort: 8080, Protocol: "tcp"}).String(); got != "80/tcp -> [::1]:8080" {
		t.Errorf("String = %q", got)
	}
	c := &Container{Config: &ContainerConfig{PortMappings: []PortMapping{m}}}
	if got := c.Ports(); len(got) != 2 || got[1].String() != "91/tcp -> 0.0.0.0:9001" {
		t.Errorf("Ports = %v", got)
	}
}

func TestParseExposeAndPublishAll(t *testing.T) {
	got, err := parseExpose([]string{"7000", "7001-7002/udp", "7000/tcp"})
	if err != nil || strings.Join(got, " ") != "7000/tcp 7001/udp 7002/udp" {
		t.Fatalf("parseExpose = %v, %v", got, err)
	}
	if _, err := parseExpose([]string{"x"}); err == nil {
		t.Errorf("parseExpose(x) succeeded")
	}
	maps := publishAll([]PortMapping{{ContainerPort: 7000, HostPort: 8000, Protocol: "tcp"}}, []string{"80/tcp", "443/tcp", "53/udp"}, got)
	var keys []string
	for _, m := range maps {
		keys = append(keys, strconv.Itoa(int(m.ContainerPort))+"/"+m.Protocol+":"+strconv.Itoa(int(m.HostPort)))
	}
	if strings.Join(keys, " ") != "7000/tcp:8000 53/udp:0 80/tcp:0 443/tcp:0 7001/udp:0 7002/udp:0" {
		t.Errorf("publishAll = %v", keys)
	}
}

func TestHostPorts(t *testing.T) {
	maps := []PortMapping{{HostIP: "127.0.0.1", ContainerPort: 80, Range: 3, Protocol: "tcp"}, {HostIP: "127.0.0.1", ContainerPort: 53, Protocol: "udp"}}
	if err := assignHostPorts(maps); err != nil {
		t.Fatal(err)
	}
	if maps[0].HostPort == 0 || maps[1].HostPort == 0 {
		t.Fatalf("no host ports: %+v", maps)
	}
	if err := checkPortsFree(maps); err != nil {
		t.Fatalf("chosen ports not free: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	busy := uint16(l.Addr().(*net.TCPAddr).Port)
	err = checkPortsFree([]PortMapping{{HostIP: "127.0.0.1", ContainerPort: 80, HostPort: busy, Protocol: "tcp"}})
	if !errors.Is(err, define.ErrPortInUse) || !strings.Contains(err.Error(), strconv.Itoa(int(busy))) {
		t.Errorf("busy port: %v", err)
	}
	if err := checkPortOverlap([]PortMapping{{HostPort: 8000, Range: 3, Protocol: "tcp"}, {HostPort: 8002, Protocol: "tcp"}}); err == nil {
		t.Errorf("overlap not refused")
	}
	if err := checkPortOverlap([]PortMapping{{HostPort: 8000, Protocol: "tcp"}, {HostPort: 8000, Protocol: "udp"}}); err != nil {
		t.Errorf("tcp and udp on one port refused: %v", err)
	}
	start := unprivilegedPortStart()
	if start > 1 {
		err := checkPrivilegedPorts([]PortMapping{{HostPort: uint16(start - 1), Protocol: "tcp"}})
		if err == nil || !strings.Contains(err.Error(), "net.ipv4.ip_unprivileged_port_start") {
			t.Errorf("privileged port: %v", err)
		}
	}
}

func TestNetConfig(t *testing.T) {
	for _, tc := range []struct {
		o       NetOptions
		wantErr string
	}{
		{NetOptions{MacAddress: "02:42:ac:11:00:02"}, "Bridge mode"},
		{NetOptions{MacAddress: "zz"}, "not a MAC address"},
		{NetOptions{DNS: []string{"1.1.1"}}, "not an IP address"},
		{NetOptions{NoHosts: true, AddHost: []string{"a:1.1.1.1"}}, "--no-hosts and --add-host cannot be set together"},
		{NetOptions{AddHost: []string{"a"}}, "HOST:IP"},
		{NetOptions{AddHost: []string{"a:b"}}, "not an IP address"},
		{NetOptions{AddHost: []string{"a:host-gateway", "b:::1"}, DNS: []string{"::1"}}, ""},
	} {
		err := tc.o.netConfig("pasta", &ContainerConfig{})
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("netConfig(%+v) = %v; want %q", tc.o, err, tc.wantErr)
		}
	}
	cfg := &ContainerConfig{}
	if err := (&NetOptions{Publish: []string{"8080:80"}}).netConfig("none", cfg); err != nil || len(cfg.PortMappings) != 0 {
		t.Errorf("none with -p: %v %v", cfg.PortMappings, err)
	}
}
