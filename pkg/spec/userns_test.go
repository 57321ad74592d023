package spec

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
)

// podNS is pod's namespace of a user with uid 1001 and 100000:65536.
var podNS = []IDMap{{ContainerID: 0, HostID: 1001, Size: 1}, {ContainerID: 1, HostID: 100000, Size: 65536}}

func TestParseUserns(t *testing.T) {
	u32 := func(v uint32) *uint32 { return &v }
	tests := []struct {
		in   string
		want Userns
		err  string
	}{
		{in: "", want: Userns{}},
		{in: "host", want: Userns{}},
		{in: "keep-id", want: Userns{Mode: UsernsKeepID}},
		{in: "keep-id:uid=200,gid=210", want: Userns{Mode: UsernsKeepID, UID: u32(200), GID: u32(210)}},
		{in: "auto", want: Userns{Mode: UsernsAuto}},
		{in: "auto:size=500", want: Userns{Mode: UsernsAuto, Size: 500}},
		{in: "bogus", err: "unrecognized namespace mode bogus"},
		{in: "keep-id:size=3", err: `unknown option "size"`},
		{in: "keep-id:uid=x", err: "is not KEY=NUMBER"},
		{in: "auto:size=0", err: "at least 1"},
		{in: "host:x", err: "host takes no options"},
	}
	for _, tt := range tests {
		got, err := ParseUserns(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("ParseUserns(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseUserns(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestNSMapAndKeepID(t *testing.T) {
	ns, err := ParseNSMap("         0       1001          1\n         1     100000      65536\n")
	if err != nil || !reflect.DeepEqual(ns, podNS) {
		t.Fatalf("ParseNSMap = %v, %v", ns, err)
	}
	if n := NSSize(ns); n != 65537 {
		t.Fatalf("NSSize = %d, want 65537", n)
	}
	// podman 4.3's keep-id map for this user.
	want := []IDMap{{ContainerID: 0, HostID: 1, Size: 1001}, {ContainerID: 1001, HostID: 0, Size: 1}, {ContainerID: 1002, HostID: 1002, Size: 64535}}
	if got := KeepIDMap(1001, 65537); !reflect.DeepEqual(got, want) {
		t.Errorf("KeepIDMap(1001) = %v, want %v", got, want)
	}
	if got := KeepIDMap(0, 65537); !reflect.DeepEqual(got, []IDMap{{ContainerID: 0, HostID: 0, Size: 1}, {ContainerID: 1, HostID: 1, Size: 65536}}) {
		t.Errorf("KeepIDMap(0) = %v", got)
	}
	if got := FormatIDMaps(KeepIDMap(200, 65537)); strings.Join(got, " ") != "0:1:200 200:0:1 201:201:65336" {
		t.Errorf("KeepIDMap(200) = %v", got)
	}
	if c, ok := ToContainer(want, 0); !ok || c != 1001 {
		t.Errorf("ToContainer(0) = %d %v", c, ok)
	}
}

func TestParseIDMapFlag(t *testing.T) {
	tests := []struct {
		in   []string
		want string
		err  string
	}{
		{in: []string{"0:1:500"}, want: "0:1:500"},
		{in: []string{"0:1:500", "1000:0:1"}, want: "0:1:500 1000:0:1"},
		{in: []string{"0:1:500,1000:0:1"}, want: "0:1:500 1000:0:1"},
		{in: []string{"5:7"}, want: "5:7:1"},
		{in: []string{"0:@100000:10"}, want: "0:1:10"},
		{in: []string{"0:@1001:1"}, want: "0:0:1"},
		{in: []string{"0:1:70000"}, err: "--uidmap 0:1:70000: ids 1-70000 are outside the user's range"},
		{in: []string{"0:100000:10"}, err: "outside the user's range"},
		{in: []string{"0:@5000:1"}, err: "host id 5000 is not the user's"},
		{in: []string{"0:1:10", "5:20:10"}, err: "container ids of 0:1:10 and 5:20:10 overlap"},
		{in: []string{"0:1:10", "50:5:10"}, err: "ids mapped by"},
		{in: []string{"a:1:1"}, err: "is not a number"},
		{in: []string{"0:1:0"}, err: "at least 1"},
		{in: []string{"0"}, err: "expected CONTAINER_ID:FROM_ID"},
	}
	for _, tt := range tests {
		got, err := ParseIDMapFlag("--uidmap", tt.in, podNS)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("ParseIDMapFlag(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(FormatIDMaps(got), " ") != tt.want {
			t.Errorf("ParseIDMapFlag(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestApplyUserNamespace(t *testing.T) {
	gen := func(mode string) *specs.Spec {
		s, err := Generate(&Options{ID: "0123456789abcdef", Rootfs: "/r", NetworkMode: "pasta", Image: ImageConfig{Cmd: []string{"sh"}}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Linux.Namespaces {
			if s.Linux.Namespaces[i].Type == specs.NetworkNamespace && mode == "joined" {
				s.Linux.Namespaces[i].Path = "/run/netns/x"
			}
		}
		return s
	}
	sysMount := func(s *specs.Spec) specs.Mount {
		for _, m := range s.Mounts {
			if m.Destination == "/sys" {
				return m
			}
		}
		return specs.Mount{}
	}
	m := KeepIDMap(1001, 65537)
	s := gen("joined")
	ApplyUserNamespace(s, UserNamespace{UIDMap: m, GIDMap: m})
	if s.Linux.Namespaces[0].Type != specs.UserNamespace || !reflect.DeepEqual(s.Linux.UIDMappings, m) || !reflect.DeepEqual(s.Linux.GIDMappings, m) {
		t.Errorf("namespaces %v, maps %v %v", s.Linux.Namespaces, s.Linux.UIDMappings, s.Linux.GIDMappings)
	}
	if sm := sysMount(s); sm.Type != "bind" || sm.Source != "/sys" {
		t.Errorf("joined network namespace: /sys is %+v, want a bind of the host's", sm)
	}
	s = gen("own")
	ApplyUserNamespace(s, UserNamespace{UIDMap: m, GIDMap: m})
	if sm := sysMount(s); sm.Type != "sysfs" {
		t.Errorf("own network namespace: /sys is %+v, want sysfs", sm)
	}
	s = gen("own")
	ApplyUserNamespace(s, UserNamespace{})
	if len(s.Linux.UIDMappings) != 0 || s.Linux.Namespaces[0].Type == specs.UserNamespace {
		t.Errorf("no maps: the spec got a user namespace")
	}
}

func TestHasID(t *testing.T) {
	data := []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\n")
	if !HasID(data, 65534) || HasID(data, 1001) {
		t.Error("HasID")
	}
}
