package spec

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

func TestParseSysctls(t *testing.T) {
	got, err := ParseSysctls([]string{"net.ipv4.ip_forward=1", "kernel.msgmax=4096", "fs.mqueue.msg_max=20",
		"net.ipv4.ping_group_range=0 10", "kernel.shm_rmid_forced=1", "net.ipv4.ip_forward=0", "net.core.x="}, true)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"net.ipv4.ip_forward": "0", "kernel.msgmax": "4096", "fs.mqueue.msg_max": "20",
		"net.ipv4.ping_group_range": "0 10", "kernel.shm_rmid_forced": "1", "net.core.x": ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSysctls = %v, want %v", got, want)
	}
	if got, err := ParseSysctls(nil, true); got != nil || err != nil {
		t.Errorf("no sysctls: %v, %v", got, err)
	}
	if got, err := ParseSysctls([]string{"kernel.sem=1 2 3 4"}, false); err != nil || got["kernel.sem"] != "1 2 3 4" {
		t.Errorf("ipc sysctl with the host network: %v, %v", got, err)
	}
	for _, tc := range []struct {
		in     string
		ownNet bool
		msg    string
	}{
		{"foo", true, "foo is invalid, sysctl values must be in the form of KEY=VALUE"},
		{"=1", true, "=1 is invalid, sysctl values must be in the form of KEY=VALUE"},
		{"net.ipv4.ip_forward= 1", true, "'net.ipv4.ip_forward= 1' is invalid, extra spaces found"},
		{" net.ipv4.ip_forward=1", true, "' net.ipv4.ip_forward=1' is invalid, extra spaces found"},
		{"vm.swappiness=1", true, "sysctl 'vm.swappiness' is not allowed"},
		{"kernel.hostname=x", true, "sysctl 'kernel.hostname' is not allowed"},
		{"kernel.domainname=x", true, "sysctl 'kernel.domainname' is not allowed"},
		{"net.ipv4/x=1", true, "sysctl 'net.ipv4/x' is not allowed"},
		{"net.ipv4.ip_forward=1", false, "sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host: invalid argument"},
	} {
		_, err := ParseSysctls([]string{tc.in}, tc.ownNet)
		if !errors.Is(err, define.ErrInvalidArg) || err.Error() != tc.msg {
			t.Errorf("ParseSysctls(%q, %v) = %v, want %q", tc.in, tc.ownNet, err, tc.msg)
		}
	}
}

func TestParseUmask(t *testing.T) {
	for in, want := range map[string]uint32{"0022": 0o22, "22": 0o22, "7": 0o7, "0777": 0o777, "7777": 0o7777, "0": 0} {
		got, err := ParseUmask(in)
		if err != nil || got != want {
			t.Errorf("ParseUmask(%q) = %o, %v; want %o", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0999", "17777", "abc", "0o22", "-1", " 22"} {
		_, err := ParseUmask(in)
		if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "invalid umask string "+in) {
			t.Errorf("ParseUmask(%q) = %v, want podman's message", in, err)
		}
	}
	for u, want := range map[uint32]string{0o22: "0022", 0o7: "0007", 0o7777: "7777", 0: "0000"} {
		if got := FormatUmask(u); got != want {
			t.Errorf("FormatUmask(%o) = %q, want %q", u, got, want)
		}
	}
}

func TestParseGroupAdd(t *testing.T) {
	got, err := ParseGroupAdd([]string{"wheel", "", "1234", "0"})
	if err != nil || !slices.Equal(got, []string{"wheel", "1234", "0"}) {
		t.Errorf("ParseGroupAdd = %q, %v", got, err)
	}
	for _, in := range []string{"keep-groups", "-5", "4294967296", "a:b", "a b", "a,b"} {
		_, err := ParseGroupAdd([]string{in})
		if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), in) {
			t.Errorf("ParseGroupAdd(%q) = %v, want an error naming it", in, err)
		}
	}
}

func TestResolveGroups(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "group"), []byte("root:x:0:\nwheel:x:10:root\naudio:x:29:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ResolveGroups(root, []string{"wheel", "1234", "audio", "10"})
	if err != nil || !slices.Equal(got, []uint32{10, 1234, 29}) {
		t.Errorf("ResolveGroups = %v, %v", got, err)
	}
	if got, err := ResolveGroups(root, nil); got != nil || err != nil {
		t.Errorf("no groups: %v, %v", got, err)
	}
	_, err = ResolveGroups(root, []string{"nosuch"})
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "--group-add: group nosuch not found") {
		t.Errorf("unknown group: %v", err)
	}
	// Without an /etc/group only numbers resolve.
	empty := t.TempDir()
	if got, err := ResolveGroups(empty, []string{"5"}); err != nil || !slices.Equal(got, []uint32{5}) {
		t.Errorf("gid without /etc/group: %v, %v", got, err)
	}
	if _, err := ResolveGroups(empty, []string{"wheel"}); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("name without /etc/group: %v", err)
	}
}

func TestParseDevice(t *testing.T) {
	for in, want := range map[string]Device{
		"/dev/zero":                {"/dev/zero", "/dev/zero", "rwm"},
		"/dev/zero:/dev/myzero":    {"/dev/zero", "/dev/myzero", "rwm"},
		"/dev/zero:/dev/myzero:r":  {"/dev/zero", "/dev/myzero", "r"},
		"/dev/zero:rw":             {"/dev/zero", "/dev/zero", "rw"},
		"/dev/zero:mwr":            {"/dev/zero", "/dev/zero", "mwr"},
		"/dev//zero:/dev/x/../y:w": {"/dev/zero", "/dev/y", "w"},
	} {
		got, err := ParseDevice(in)
		if err != nil || got != want {
			t.Errorf("ParseDevice(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"/dev/zero:rx":          "invalid device mode: rx",
		"/dev/zero:relative":    "invalid device mode: relative",
		"/dev/zero:/dev/z:rr":   "invalid device mode: rr",
		"/dev/zero:/dev/z:":     "invalid device mode: ",
		"/dev/zero:/a:r:x":      "invalid device specification: /dev/zero:/a:r:x",
		"zero":                  `--device zero: the device "zero" is not an absolute path`,
		"/dev/zero:/":           "--device /dev/zero:/: the destination cannot be /",
		"/dev/zero:/dev/z:rwmr": "invalid device mode: rwmr",
	} {
		_, err := ParseDevice(in)
		if !errors.Is(err, define.ErrInvalidArg) || err.Error() != msg {
			t.Errorf("ParseDevice(%q) = %v, want %q", in, err, msg)
		}
	}
}

func TestZonePath(t *testing.T) {
	for tz, want := range map[string]string{"Asia/Tokyo": "/z/Asia/Tokyo", "UTC": "/z/UTC", "local": "/etc/localtime"} {
		if got, err := ZonePath("/z", tz); err != nil || got != want {
			t.Errorf("ZonePath(%q) = %q, %v; want %q", tz, got, err, want)
		}
	}
	for _, tz := range []string{"", "/etc/passwd", "../etc/passwd", "Asia/../../x", "Asia//Tokyo", "./UTC", "Asia/"} {
		if _, err := ZonePath("/z", tz); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "--tz "+tz+":") {
			t.Errorf("ZonePath(%q) = %v, want an error naming it", tz, err)
		}
	}
}

// TestGenerateRunFlags checks where each run flag lands in the spec.
func TestGenerateRunFlags(t *testing.T) {
	o := baseOptions()
	s := mustGenerate(t, o)
	if *s.Process.User.Umask != DefaultUmask || mountByDest(s, InitPath) != nil || mountByDest(s, "/etc/localtime") != nil {
		t.Errorf("defaults changed: umask %o, mounts %+v", *s.Process.User.Umask, s.Mounts)
	}
	umask := uint32(0o077)
	o.Umask = &umask
	o.GroupAdd = []uint32{10, 1234}
	o.Sysctl = map[string]string{"net.ipv4.ping_group_range": "0 10", "kernel.msgmax": "4096"}
	o.InitPath = "/usr/bin/catatonit"
	o.LocaltimePath = "/usr/share/zoneinfo/Asia/Tokyo"
	o.Devices = []Device{{Source: "/dev/zero", Destination: "/dev/myzero", Permissions: "rwm"}}
	s = mustGenerate(t, o)
	if *s.Process.User.Umask != 0o077 {
		t.Errorf("umask %o", *s.Process.User.Umask)
	}
	if !slices.Equal(s.Process.User.AdditionalGids, []uint32{0, 10, 1234}) {
		t.Errorf("additional gids %v, want the user's then the added ones, once each", s.Process.User.AdditionalGids)
	}
	if want := map[string]string{"net.ipv4.ping_group_range": "0 10", "kernel.msgmax": "4096"}; !reflect.DeepEqual(s.Linux.Sysctl, want) {
		t.Errorf("sysctl %v, want %v", s.Linux.Sysctl, want)
	}
	if !slices.Equal(s.Process.Args, []string{InitPath, "--", "/bin/sh"}) {
		t.Errorf("args %q", s.Process.Args)
	}
	for dst, src := range map[string]string{InitPath: "/usr/bin/catatonit", "/etc/localtime": "/usr/share/zoneinfo/Asia/Tokyo", "/dev/myzero": "/dev/zero"} {
		m := mountByDest(s, dst)
		if m == nil || m.Source != src || m.Type != "bind" {
			t.Errorf("mount %s: %+v", dst, m)
			continue
		}
		ro := slices.Contains(m.Options, "ro")
		if ro != (dst != "/dev/myzero") || slices.Contains(m.Options, "nodev") {
			t.Errorf("mount %s options %q", dst, m.Options)
		}
	}

	// The host's network: no default sysctl, the ipc ones still apply.
	o.NetworkMode = protocol.NetworkHost
	o.Sysctl = map[string]string{"kernel.msgmax": "4096"}
	s = mustGenerate(t, o)
	if want := map[string]string{"kernel.msgmax": "4096"}; !reflect.DeepEqual(s.Linux.Sysctl, want) {
		t.Errorf("host network sysctl %v, want %v", s.Linux.Sysctl, want)
	}
}
