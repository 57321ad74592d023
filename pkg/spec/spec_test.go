package spec

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

func baseOptions() *Options {
	return &Options{
		ID:       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Name:     "web",
		Rootfs:   "/var/lib/pod/rootfs",
		Image:    ImageConfig{Env: []string{"PATH=/img/bin", "IMG=1"}, Cmd: []string{"/bin/sh"}, WorkingDir: "/srv"},
		Env:      []string{"FOO=bar", "FROMHOST"},
		HostEnv:  []string{"FROMHOST=yes"},
		User:     User{UID: 0, GID: 0, AdditionalGids: []uint32{0, 10}, Home: "/root"},
		Terminal: true,
	}
}

func nsTypes(s *specs.Spec) []specs.LinuxNamespaceType {
	var out []specs.LinuxNamespaceType
	for _, ns := range s.Linux.Namespaces {
		out = append(out, ns.Type)
	}
	return out
}

func mountByDest(s *specs.Spec, dst string) *specs.Mount {
	for i := range s.Mounts {
		if s.Mounts[i].Destination == dst {
			return &s.Mounts[i]
		}
	}
	return nil
}

func mustGenerate(t *testing.T, o *Options) *specs.Spec {
	t.Helper()
	s, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGenerateBasics(t *testing.T) {
	o := baseOptions()
	o.RlimitNofile = Rlimit{Soft: 1024, Hard: 524288}
	o.Annotations = map[string]string{"a": "b"}
	s := mustGenerate(t, o)

	if s.Version != "1.1.0" {
		t.Errorf("ociVersion = %q", s.Version)
	}
	if s.Root == nil || s.Root.Path != o.Rootfs || s.Root.Readonly {
		t.Errorf("root = %+v", s.Root)
	}
	if s.Hostname != "0123456789ab" {
		t.Errorf("hostname = %q", s.Hostname)
	}
	p := s.Process
	if !slices.Equal(p.Args, []string{"/bin/sh"}) || p.Cwd != "/srv" || !p.Terminal {
		t.Errorf("process = %+v", p)
	}
	wantEnv := []string{"PATH=/img/bin", "TERM=xterm", "container=pod", "HOME=/root", "HOSTNAME=0123456789ab", "IMG=1", "FOO=bar", "FROMHOST=yes"}
	if !slices.Equal(p.Env, wantEnv) {
		t.Errorf("env = %q, want %q", p.Env, wantEnv)
	}
	if p.User.UID != 0 || p.User.GID != 0 || !slices.Equal(p.User.AdditionalGids, []uint32{0, 10}) || p.User.Umask == nil || *p.User.Umask != 0o022 {
		t.Errorf("user = %+v", p.User)
	}
	if p.NoNewPrivileges || p.OOMScoreAdj != nil {
		t.Errorf("noNewPrivileges = %v, oomScoreAdj = %v", p.NoNewPrivileges, p.OOMScoreAdj)
	}
	if want := []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Soft: 1024, Hard: 524288}}; !reflect.DeepEqual(p.Rlimits, want) {
		t.Errorf("rlimits = %+v", p.Rlimits)
	}
	if !reflect.DeepEqual(s.Annotations, map[string]string{"a": "b"}) {
		t.Errorf("annotations = %v", s.Annotations)
	}
	o.Annotations["a"] = "changed"
	if s.Annotations["a"] != "b" {
		t.Error("annotations alias the options map")
	}
	l := s.Linux
	if l.Resources != nil || l.Devices != nil || l.UIDMappings != nil || l.GIDMappings != nil {
		t.Errorf("linux has resources/devices/mappings: %+v", l)
	}
	if l.Seccomp == nil || l.Seccomp.DefaultAction == "" || len(l.Seccomp.Syscalls) == 0 {
		t.Errorf("seccomp = %+v", l.Seccomp)
	}
	if !slices.Equal(l.MaskedPaths, DefaultMaskedPaths()) || !slices.Equal(l.ReadonlyPaths, DefaultReadonlyPaths()) {
		t.Errorf("masked = %v, readonly = %v", l.MaskedPaths, l.ReadonlyPaths)
	}
	if l.CgroupsPath != "" {
		t.Errorf("cgroupsPath = %q", l.CgroupsPath)
	}
}

func TestGenerateOptionalPieces(t *testing.T) {
	o := baseOptions()
	o.Hostname = "myhost"
	o.WorkDir = "/work/../tmp"
	o.Terminal = false
	o.User.Home = ""
	s := mustGenerate(t, o)
	if s.Hostname != "myhost" || s.Process.Cwd != "/tmp" {
		t.Errorf("hostname = %q, cwd = %q", s.Hostname, s.Process.Cwd)
	}
	if s.Process.Rlimits != nil || s.Annotations != nil {
		t.Errorf("rlimits = %v, annotations = %v", s.Process.Rlimits, s.Annotations)
	}
	if !slices.Contains(s.Process.Env, "TERM=xterm") {
		t.Errorf("env = %q, want TERM=xterm without a terminal too", s.Process.Env)
	}
	if !slices.Contains(s.Process.Env, "HOME=/") {
		t.Errorf("env = %q, want HOME=/", s.Process.Env)
	}

	o = baseOptions()
	o.Image.WorkingDir = ""
	if s := mustGenerate(t, o); s.Process.Cwd != "/" {
		t.Errorf("cwd = %q, want /", s.Process.Cwd)
	}
}

func TestGenerateNamespaces(t *testing.T) {
	const (
		pid = specs.PIDNamespace
		net = specs.NetworkNamespace
		ipc = specs.IPCNamespace
		uts = specs.UTSNamespace
		mnt = specs.MountNamespace
		cg  = specs.CgroupNamespace
	)
	tests := []struct {
		mode    protocol.NetworkMode
		cgroups string
		want    []specs.LinuxNamespaceType
		sysctl  bool
	}{
		{mode: protocol.NetworkNone, want: []specs.LinuxNamespaceType{pid, net, ipc, uts, mnt}, sysctl: true},
		{mode: protocol.NetworkPasta, want: []specs.LinuxNamespaceType{pid, net, ipc, uts, mnt}, sysctl: true},
		{mode: "", want: []specs.LinuxNamespaceType{pid, net, ipc, uts, mnt}, sysctl: true},
		{mode: protocol.NetworkHost, want: []specs.LinuxNamespaceType{pid, ipc, uts, mnt}},
		{mode: protocol.NetworkPasta, cgroups: "/user.slice/pod-x", want: []specs.LinuxNamespaceType{pid, net, ipc, uts, mnt, cg}, sysctl: true},
		{mode: protocol.NetworkHost, cgroups: "/user.slice/pod-x", want: []specs.LinuxNamespaceType{pid, ipc, uts, mnt, cg}},
	}
	for _, tt := range tests {
		o := baseOptions()
		o.NetworkMode = tt.mode
		o.CgroupsPath = tt.cgroups
		s := mustGenerate(t, o)
		if got := nsTypes(s); !slices.Equal(got, tt.want) {
			t.Errorf("mode %q cgroups %q: namespaces = %v, want %v", tt.mode, tt.cgroups, got, tt.want)
		}
		for _, ns := range s.Linux.Namespaces {
			if ns.Path != "" || ns.Type == specs.UserNamespace {
				t.Errorf("mode %q: unexpected namespace %+v", tt.mode, ns)
			}
		}
		if got := s.Linux.Sysctl["net.ipv4.ping_group_range"]; (got == "0 0") != tt.sysctl || (!tt.sysctl && s.Linux.Sysctl != nil) {
			t.Errorf("mode %q: sysctl = %v", tt.mode, s.Linux.Sysctl)
		}
		if s.Linux.CgroupsPath != tt.cgroups {
			t.Errorf("cgroupsPath = %q", s.Linux.CgroupsPath)
		}
		if m := mountByDest(s, "/sys/fs/cgroup"); (m != nil) != (tt.cgroups != "") {
			t.Errorf("mode %q cgroups %q: /sys/fs/cgroup mount = %+v", tt.mode, tt.cgroups, m)
		}
	}
	o := baseOptions()
	o.NetworkMode = "container:abc"
	if _, err := Generate(o); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("bad network mode: err = %v", err)
	}
}

func TestGenerateMounts(t *testing.T) {
	o := baseOptions()
	o.HostsPath = "/run/pod/c/hosts"
	o.ResolvConfPath = "/run/pod/c/resolv.conf"
	o.HostnamePath = "/run/pod/c/hostname"
	s := mustGenerate(t, o)
	var dests []string
	for _, m := range s.Mounts {
		dests = append(dests, m.Destination)
	}
	want := []string{"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"}
	if !slices.Equal(dests, want) {
		t.Fatalf("mount destinations = %v, want %v", dests, want)
	}
	check := func(dst, typ, src string, opts ...string) {
		t.Helper()
		m := mountByDest(s, dst)
		if m == nil || m.Type != typ || m.Source != src || !slices.Equal(m.Options, opts) {
			t.Errorf("%s mount = %+v, want %s %s %v", dst, m, typ, src, opts)
		}
	}
	check("/proc", "proc", "proc", "nosuid", "noexec", "nodev")
	check("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")
	check("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k")
	check("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev")
	check("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro")
	check("/etc/hosts", "bind", o.HostsPath, "bind", "rprivate")
	check("/etc/resolv.conf", "bind", o.ResolvConfPath, "bind", "rprivate")
	check("/etc/hostname", "bind", o.HostnamePath, "bind", "rprivate")

	// Host network: /sys cannot be mounted, it is bind-mounted.
	o.NetworkMode = protocol.NetworkHost
	s = mustGenerate(t, o)
	check("/sys", "bind", "/sys", "rbind", "rprivate", "nosuid", "noexec", "nodev", "ro")

	// Extra mounts are appended, or replace a default at the same place.
	o = baseOptions()
	o.Mounts = []specs.Mount{
		{Destination: "/data", Type: "bind", Source: "/home/me/data", Options: []string{"rbind"}},
		{Destination: "/dev/shm/", Type: "tmpfs", Source: "tmpfs", Options: []string{"size=1g"}},
	}
	s = mustGenerate(t, o)
	if m := mountByDest(s, "/data"); m == nil || m.Source != "/home/me/data" || s.Mounts[len(s.Mounts)-1].Destination != "/data" {
		t.Errorf("extra mount missing: %+v", s.Mounts)
	}
	n := 0
	for _, m := range s.Mounts {
		if m.Destination == "/dev/shm" || m.Destination == "/dev/shm/" {
			n++
			if !slices.Equal(m.Options, []string{"size=1g"}) {
				t.Errorf("/dev/shm not replaced: %+v", m)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d /dev/shm mounts", n)
	}
}

func TestGenerateCapabilities(t *testing.T) {
	def := DefaultCapabilities()
	all := AllCapabilities()
	tests := []struct {
		name       string
		uid        uint32
		privileged bool
		lastCap    int
		bounding   []string
		effective  []string
	}{
		{name: "root", uid: 0, bounding: def, effective: def},
		{name: "non-root", uid: 1000, bounding: def},
		{name: "privileged root", uid: 0, privileged: true, bounding: all, effective: all},
		{name: "privileged root, old kernel", uid: 0, privileged: true, lastCap: 37, bounding: all[:38], effective: all[:38]},
		{name: "privileged non-root", uid: 1000, privileged: true, bounding: all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := baseOptions()
			o.User = User{UID: tt.uid, GID: tt.uid, Home: "/"}
			o.Security.Privileged = tt.privileged
			o.CapLastCap = tt.lastCap
			s := mustGenerate(t, o)
			c := s.Process.Capabilities
			if !slices.Equal(c.Bounding, tt.bounding) {
				t.Errorf("bounding = %v", c.Bounding)
			}
			if !slices.Equal(c.Effective, tt.effective) || !slices.Equal(c.Permitted, tt.effective) {
				t.Errorf("effective = %v, permitted = %v, want %v", c.Effective, c.Permitted, tt.effective)
			}
			if len(c.Inheritable) != 0 || len(c.Ambient) != 0 {
				t.Errorf("inheritable = %v, ambient = %v", c.Inheritable, c.Ambient)
			}
			if tt.privileged {
				if s.Linux.Seccomp != nil || s.Linux.MaskedPaths != nil || s.Linux.ReadonlyPaths != nil {
					t.Errorf("privileged has seccomp/masked/readonly: %v %v", s.Linux.MaskedPaths, s.Linux.ReadonlyPaths)
				}
				if m := mountByDest(s, "/sys"); m == nil || slices.Contains(m.Options, "ro") {
					t.Errorf("privileged /sys mount = %+v", m)
				}
			} else if s.Linux.Seccomp == nil {
				t.Error("seccomp missing")
			}
		})
	}
	if len(all) != 41 || all[21] != "CAP_SYS_ADMIN" || all[40] != "CAP_CHECKPOINT_RESTORE" {
		t.Errorf("capability table out of order: %v", all)
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Options)
	}{
		{"no rootfs", func(o *Options) { o.Rootfs = "" }},
		{"relative rootfs", func(o *Options) { o.Rootfs = "rootfs" }},
		{"no command", func(o *Options) { o.Image.Cmd = nil }},
		{"relative workdir", func(o *Options) { o.WorkDir = "srv" }},
	}
	for _, tt := range tests {
		o := baseOptions()
		tt.modify(o)
		if _, err := Generate(o); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
	if _, err := Generate(nil); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("nil options: err = %v", err)
	}
}

func TestGenerateDeterministicAndRoundTrips(t *testing.T) {
	for _, mode := range []protocol.NetworkMode{protocol.NetworkPasta, protocol.NetworkHost} {
		o := baseOptions()
		o.NetworkMode = mode
		o.CgroupsPath = "/x"
		o.RlimitNofile = Rlimit{Soft: 1, Hard: 2}
		a, err := json.Marshal(mustGenerate(t, o))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(mustGenerate(t, o))
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Fatal("Generate is not deterministic")
		}
		var back specs.Spec
		if err := json.Unmarshal(a, &back); err != nil {
			t.Fatal(err)
		}
		c, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(c) {
			t.Fatalf("spec does not round-trip:\n%s\n%s", a, c)
		}
		var generic map[string]any
		if err := json.Unmarshal(a, &generic); err != nil {
			t.Fatal(err)
		}
		if generic["ociVersion"] != "1.1.0" {
			t.Errorf("ociVersion = %v", generic["ociVersion"])
		}
		if _, ok := generic["linux"].(map[string]any)["resources"]; ok {
			t.Error("linux.resources present")
		}
	}
}

// ContainerEnvPath is bind-mounted at /run/.containerenv.
func TestGenerateContainerEnv(t *testing.T) {
	o := baseOptions()
	o.ContainerEnvPath = "/run/user/1/ctr/.containerenv"
	s := mustGenerate(t, o)
	for _, m := range s.Mounts {
		if m.Destination == "/run/.containerenv" {
			if m.Source != o.ContainerEnvPath || m.Type != "bind" {
				t.Errorf("mount %+v", m)
			}
			return
		}
	}
	t.Errorf("no /run/.containerenv mount in %+v", s.Mounts)
}
