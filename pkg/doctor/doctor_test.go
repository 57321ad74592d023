package doctor

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// fakeMachine is a host made of maps; good() is a machine where every
// check passes.
type fakeMachine struct {
	user     string
	uid, gid int
	env      map[string]string
	files    map[string]string
	readErr  map[string]error
	stats    map[string]FileInfo
	writable map[string]bool
	open     map[string]error // OpenRW's error per path (absent: nil)
	xattrs   map[string][]byte
	paths    map[string]string // LookPath
	runtimes map[string]string // FindRuntime by name
	fstypes  map[string]int64
	kernel   string
	linger   string // loginctl's output; "" fails
	probe    error
	probed   bool
}

var errNotFound = errors.New("executable file not found in $PATH")

func good() *fakeMachine {
	return &fakeMachine{
		user: "alice", uid: 1000, gid: 1000,
		env: map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000", "HOME": "/home/alice"},
		files: map[string]string{
			"/etc/subuid":                        "bob:200000:65536\nalice:100000:65536\n",
			"/etc/subgid":                        "alice:100000:65536\n",
			"/proc/sys/user/max_user_namespaces": "63000\n",
			"/proc/self/cgroup":                  "0::/user.slice/user-1000.slice/user@1000.service/app.slice\n",
			"/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/cgroup.controllers": "cpuset cpu io memory pids\n",
			"/proc/sys/kernel/random/boot_id": "b00t\n",
		},
		stats: map[string]FileInfo{
			"/usr/bin/newuidmap": {Mode: 0o755 | fs.ModeSetuid},
			"/usr/bin/newgidmap": {Mode: 0o755 | fs.ModeSetuid},
			"/run/user/1000":     {Mode: fs.ModeDir | 0o700, UID: 1000, GID: 1000},
		},
		writable: map[string]bool{"/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice": true},
		open:     map[string]error{},
		readErr:  map[string]error{},
		xattrs:   map[string][]byte{},
		paths: map[string]string{"newuidmap": "/usr/bin/newuidmap", "newgidmap": "/usr/bin/newgidmap",
			"pasta": "/usr/bin/pasta", "slirp4netns": "/usr/bin/slirp4netns", "fuse-overlayfs": "/usr/bin/fuse-overlayfs"},
		runtimes: map[string]string{"crun": "/usr/bin/crun", "runc": "/usr/sbin/runc"},
		fstypes:  map[string]int64{"/sys/fs/cgroup": cgroup2Magic},
		kernel:   "6.1.0-18-amd64",
		linger:   "Linger=yes\n",
	}
}

func (m *fakeMachine) host() *Host {
	notExist := func(op, p string) error { return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist} }
	return &Host{
		User: m.user, UID: m.uid, GID: m.gid,
		Getenv: func(n string) string { return m.env[n] },
		ReadFile: func(p string) ([]byte, error) {
			if err := m.readErr[p]; err != nil {
				return nil, &fs.PathError{Op: "open", Path: p, Err: err}
			}
			if s, ok := m.files[p]; ok {
				return []byte(s), nil
			}
			return nil, notExist("open", p)
		},
		Stat: func(p string) (FileInfo, error) {
			if st, ok := m.stats[p]; ok {
				return st, nil
			}
			return FileInfo{}, notExist("stat", p)
		},
		Writable: func(p string) bool { return m.writable[p] },
		OpenRW:   func(p string) error { return m.open[p] },
		Getxattr: func(p, n string) ([]byte, error) {
			if v, ok := m.xattrs[p]; ok && n == capabilityXattr {
				return v, nil
			}
			return nil, errors.New("no data available")
		},
		LookPath: func(n string) (string, error) {
			if p, ok := m.paths[n]; ok {
				return p, nil
			}
			return "", fmt.Errorf("exec: %q: %w", n, errNotFound)
		},
		FindRuntime: func(n string) (string, error) {
			if n == "" {
				for _, d := range []string{"crun", "runc"} {
					if p, ok := m.runtimes[d]; ok {
						return p, nil
					}
				}
				return "", errors.New("no OCI runtime found: install crun or runc")
			}
			if strings.Contains(n, "/") {
				if _, ok := m.stats[n]; ok {
					return n, nil
				}
				return "", notExist("stat", n)
			}
			if p, ok := m.runtimes[n]; ok {
				return p, nil
			}
			return "", fmt.Errorf("OCI runtime %s not found", n)
		},
		FSType: func(p string) (int64, error) {
			if t, ok := m.fstypes[p]; ok {
				return t, nil
			}
			return 0, notExist("statfs", p)
		},
		KernelRelease: func() (string, error) { return m.kernel, nil },
		Output: func(ctx context.Context, name string, args ...string) ([]byte, error) {
			if name == "loginctl" && m.linger != "" {
				return []byte(m.linger), nil
			}
			return nil, errors.New("exit status 1")
		},
		ProbeOverlay: func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				return errors.New("probe without a deadline")
			}
			m.probed = true
			return m.probe
		},
	}
}

// capData builds a security.capability value of the given revision with
// the capabilities in the permitted set.
func capData(rev uint32, caps ...int) []byte {
	words := 2
	if rev == vfsCapRevision1 {
		words = 1
	}
	size := 4 + 8*words
	if rev == vfsCapRevision3 {
		size += 4
	}
	b := make([]byte, size)
	binary.LittleEndian.PutUint32(b, rev|1)
	for _, c := range caps {
		off := 4 + 8*(c/32)
		binary.LittleEndian.PutUint32(b[off:], binary.LittleEndian.Uint32(b[off:])|1<<(c%32))
	}
	return b
}

func find(rs []Result, check string) (Result, bool) {
	for _, r := range rs {
		if r.Check == check {
			return r, true
		}
	}
	return Result{}, false
}

func TestRunGoodMachine(t *testing.T) {
	m := good()
	rs := Run(context.Background(), m.host(), Config{GraphRoot: "/home/alice/.local/share/pod/storage"})
	want := []string{"subuid", "subgid", "newuidmap", "newgidmap", "tun", "fuse", "userns", "overlay", "network", "runtime",
		"cgroups", "runtime-dir", "logout", "storage"}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(rs), len(want), rs)
	}
	for i, r := range rs {
		if r.Check != want[i] {
			t.Errorf("result %d is %q, want %q", i, r.Check, want[i])
		}
		if r.Status != StatusOK || r.Fix != "" || r.Message == "" {
			t.Errorf("%s: %s %q fix %q, want ok with a message and no fix", r.Check, r.Status, r.Message, r.Fix)
		}
	}
	if HasError(rs) || !m.probed {
		t.Errorf("HasError %v, overlay probed %v", HasError(rs), m.probed)
	}
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name    string
		machine func(m *fakeMachine)
		config  Config
		check   string
		status  Status
		msg     []string // substrings of the message
		fix     string   // the whole fix
	}{
		{name: "subuid ok", check: "subuid", status: StatusOK, msg: []string{"alice has 100000-165535 (65536 uids) in /etc/subuid"}},
		{name: "subuid by uid and several ranges", check: "subuid", status: StatusOK,
			machine: func(m *fakeMachine) { m.files["/etc/subuid"] = "1000:100000:30000\nalice:300000:40000\n" },
			msg:     []string{"100000-129999, 300000-339999 (70000 uids)"}},
		{name: "no subuid file nor subgid range: one fix for both", check: "subuid", status: StatusError,
			machine: func(m *fakeMachine) { delete(m.files, "/etc/subuid"); m.files["/etc/subgid"] = "bob:1:2\n" },
			msg:     []string{"no range for user alice (uid 1000) in /etc/subuid"},
			fix:     "sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 alice"},
		{name: "subgid missing alone", check: "subgid", status: StatusError,
			machine: func(m *fakeMachine) { m.files["/etc/subgid"] = "" },
			msg:     []string{"no range for user alice (gid 1000) in /etc/subgid"},
			fix:     "sudo usermod --add-subgids 100000-165535 alice"},
		{name: "subuid of another user only", check: "subuid", status: StatusError,
			machine: func(m *fakeMachine) { m.files["/etc/subuid"] = "alicex:100000:65536\n10000:1:65536\n" },
			msg:     []string{"no range for user alice"}, fix: "sudo usermod --add-subuids 100000-165535 alice"},
		{name: "subuid too small", check: "subuid", status: StatusWarning,
			machine: func(m *fakeMachine) { m.files["/etc/subuid"] = "alice:100000:1000\n" },
			msg:     []string{"only 1000 uids in /etc/subuid (100000-100999)"},
			fix:     "sudo usermod --add-subuids 165536-231071 alice"},
		{name: "subuid overlaps the own uid", check: "subuid", status: StatusError,
			machine: func(m *fakeMachine) { m.files["/etc/subuid"] = "alice:0:65536\n" },
			msg:     []string{"range 0-65535", "own uid 1000"},
			fix:     "sudo usermod --del-subuids 0-65535 --add-subuids 100000-165535 alice"},
		{name: "subgid overlaps the own gid", check: "subgid", status: StatusError,
			machine: func(m *fakeMachine) { m.gid = 120000 },
			msg:     []string{"own gid 120000"},
			fix:     "sudo usermod --del-subgids 100000-165535 --add-subgids 165536-231071 alice"},
		{name: "subuid unreadable", check: "subuid", status: StatusError,
			machine: func(m *fakeMachine) { m.readErr["/etc/subuid"] = fs.ErrPermission },
			msg:     []string{"cannot read /etc/subuid"}, fix: "sudo chmod 0644 /etc/subuid"},
		{name: "subuid unparsable", check: "subuid", status: StatusError,
			machine: func(m *fakeMachine) { m.files["/etc/subuid"] = strings.Repeat("x", 70000) },
			msg:     []string{"cannot read /etc/subuid"}},

		{name: "newuidmap missing", check: "newuidmap", status: StatusError,
			machine: func(m *fakeMachine) { delete(m.paths, "newuidmap") },
			msg:     []string{"newuidmap not found"}, fix: "sudo apt-get install uidmap"},
		{name: "newgidmap file capability", check: "newgidmap", status: StatusOK,
			machine: func(m *fakeMachine) {
				m.stats["/usr/bin/newgidmap"] = FileInfo{Mode: 0o755}
				m.xattrs["/usr/bin/newgidmap"] = capData(vfsCapRevision2, capSetGID)
			},
			msg: []string{"file capability cap_setgid"}},
		{name: "newuidmap capability v3", check: "newuidmap", status: StatusOK,
			machine: func(m *fakeMachine) {
				m.stats["/usr/bin/newuidmap"] = FileInfo{Mode: 0o755}
				m.xattrs["/usr/bin/newuidmap"] = capData(vfsCapRevision3, capSetUID)
			},
			msg: []string{"cap_setuid"}},
		{name: "newuidmap with the wrong capability", check: "newuidmap", status: StatusError,
			machine: func(m *fakeMachine) {
				m.stats["/usr/bin/newuidmap"] = FileInfo{Mode: 0o755}
				m.xattrs["/usr/bin/newuidmap"] = capData(vfsCapRevision2, capSetGID)
			},
			msg: []string{"neither setuid root nor has the file capability cap_setuid"},
			fix: "sudo chmod u+s /usr/bin/newuidmap"},
		{name: "newuidmap setuid but not root's", check: "newuidmap", status: StatusError,
			machine: func(m *fakeMachine) { m.stats["/usr/bin/newuidmap"] = FileInfo{Mode: 0o755 | fs.ModeSetuid, UID: 1000} },
			fix:     "sudo chown root /usr/bin/newuidmap && sudo chmod u+s /usr/bin/newuidmap"},

		{name: "tun denied", check: "tun", status: StatusError,
			machine: func(m *fakeMachine) {
				m.open[tunPath] = &fs.PathError{Op: "open", Path: tunPath, Err: fs.ErrPermission}
			},
			msg: []string{"/dev/net/tun does not open read-write for alice"}, fix: "sudo setfacl -m u:alice:rw /dev/net/tun"},
		{name: "tun missing", check: "tun", status: StatusError,
			machine: func(m *fakeMachine) { m.open[tunPath] = &fs.PathError{Op: "open", Path: tunPath, Err: fs.ErrNotExist} },
			fix:     "sudo modprobe tun"},
		{name: "fuse denied is a warning", check: "fuse", status: StatusWarning,
			machine: func(m *fakeMachine) {
				m.open[fusePath] = &fs.PathError{Op: "open", Path: fusePath, Err: fs.ErrPermission}
			},
			msg: []string{"fallback"}, fix: "sudo setfacl -m u:alice:rw /dev/fuse"},
		{name: "fuse denied with fuse-overlayfs configured", check: "fuse", status: StatusError,
			machine: func(m *fakeMachine) {
				m.open[fusePath] = &fs.PathError{Op: "open", Path: fusePath, Err: fs.ErrPermission}
			},
			config: Config{StorageDriver: "fuse-overlayfs"},
			msg:    []string{"configured storage driver"}, fix: "sudo setfacl -m u:alice:rw /dev/fuse"},

		{name: "userns ok", check: "userns", status: StatusOK, msg: []string{"kernel 6.1.0-18-amd64", "user.max_user_namespaces = 63000"}},
		{name: "userns clone off", check: "userns", status: StatusError,
			machine: func(m *fakeMachine) { m.files[userNSClone] = "0\n" },
			fix:     "sudo sysctl -w kernel.unprivileged_userns_clone=1"},
		{name: "userns clone on", check: "userns", status: StatusOK,
			machine: func(m *fakeMachine) { m.files[userNSClone] = "1\n" }},
		{name: "max user namespaces 0", check: "userns", status: StatusError,
			machine: func(m *fakeMachine) { m.files[maxUserNS] = "0\n" },
			msg:     []string{"user.max_user_namespaces = 0"}, fix: "sudo sysctl -w user.max_user_namespaces=15000"},
		{name: "overlay not probed without user namespaces", check: "overlay", status: StatusWarning,
			machine: func(m *fakeMachine) { m.files[maxUserNS] = "0\n"; m.probe = errors.New("must not run") },
			msg:     []string{"not probed"}},
		{name: "overlay refused", check: "overlay", status: StatusWarning,
			machine: func(m *fakeMachine) { m.probe = errors.New("mount: permission denied") },
			msg:     []string{"refused in a user namespace (mount: permission denied): pod falls back to fuse-overlayfs"}},
		{name: "overlay refused, no fuse-overlayfs", check: "overlay", status: StatusWarning,
			machine: func(m *fakeMachine) { m.probe = errors.New("x"); delete(m.paths, "fuse-overlayfs") },
			msg:     []string{"falls back to vfs"}, fix: "sudo apt-get install fuse-overlayfs"},
		{name: "overlay old kernel", check: "overlay", status: StatusWarning,
			machine: func(m *fakeMachine) { m.kernel = "5.10.0-28-amd64"; m.probe = errors.New("must not run") },
			msg:     []string{"older than 5.11"}},
		{name: "overlay without unshare", check: "overlay", status: StatusOK,
			machine: func(m *fakeMachine) { m.probe = fmt.Errorf("%w: unshare not found", ErrNoProbe) },
			msg:     []string{"allows overlay", "not probed"}},

		{name: "network default pasta", check: "network", status: StatusOK,
			msg: []string{"pasta /usr/bin/pasta (the default), slirp4netns /usr/bin/slirp4netns"}},
		{name: "network slirp4netns only", check: "network", status: StatusOK,
			machine: func(m *fakeMachine) { delete(m.paths, "pasta") },
			msg:     []string{"pasta not installed, slirp4netns /usr/bin/slirp4netns (the default: pasta is not installed)"}},
		{name: "network none installed", check: "network", status: StatusError,
			machine: func(m *fakeMachine) { delete(m.paths, "pasta"); delete(m.paths, "slirp4netns") },
			fix:     "sudo apt-get install slirp4netns"},
		{name: "network configured but missing", check: "network", status: StatusError,
			machine: func(m *fakeMachine) { delete(m.paths, "pasta") },
			config:  Config{Network: protocol.NetworkPasta},
			msg:     []string{"pasta not installed (the default, from pod.conf)"}, fix: "sudo apt-get install passt"},

		{name: "runtime default crun", check: "runtime", status: StatusOK,
			msg: []string{"crun /usr/bin/crun, runc /usr/sbin/runc; pod uses /usr/bin/crun (the default)"}},
		{name: "runtime runc only", check: "runtime", status: StatusOK,
			machine: func(m *fakeMachine) { delete(m.runtimes, "crun") },
			msg:     []string{"crun not installed", "pod uses /usr/sbin/runc"}},
		{name: "runtime none", check: "runtime", status: StatusError,
			machine: func(m *fakeMachine) { m.runtimes = map[string]string{} },
			fix:     "sudo apt-get install crun"},
		{name: "runtime configured runc missing", check: "runtime", status: StatusError,
			machine: func(m *fakeMachine) { delete(m.runtimes, "runc") },
			config:  Config{Runtime: "runc"}, fix: "sudo apt-get install runc"},
		{name: "runtime configured path missing", check: "runtime", status: StatusError,
			config: Config{Runtime: "/opt/bin/youki", PodConf: "/home/alice/.config/pod/pod.conf"},
			msg:    []string{`runtime "/opt/bin/youki" from pod.conf`}, fix: "sed -i '/^runtime *=/d' /home/alice/.config/pod/pod.conf"},

		{name: "cgroup v2 delegated", check: "cgroups", status: StatusOK, msg: []string{"cgroup v2, no systemd", "delegated with cpuset cpu io memory pids"}},
		{name: "cgroup v2 not delegated, systemd", check: "cgroups", status: StatusWarning,
			machine: func(m *fakeMachine) {
				m.writable = map[string]bool{}
				m.stats[systemdDir] = FileInfo{Mode: fs.ModeDir | 0o755}
			},
			msg: []string{"not delegated to alice", noLimits}, fix: delegateFix},
		{name: "cgroup v2 without memory", check: "cgroups", status: StatusWarning,
			machine: func(m *fakeMachine) {
				m.files["/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/cgroup.controllers"] = "cpu pids\n"
			},
			msg: []string{"without the memory controllers"}},
		{name: "hybrid without systemd", check: "cgroups", status: StatusWarning,
			machine: func(m *fakeMachine) {
				m.fstypes = map[string]int64{"/sys/fs/cgroup": tmpfsMagic, "/sys/fs/cgroup/unified": cgroup2Magic}
			},
			msg: []string{"cgroup v1 (hybrid: cgroup2 at /sys/fs/cgroup/unified), no systemd: no per-container cgroups: resource limits cannot be enforced"}},
		{name: "v1", check: "cgroups", status: StatusWarning,
			machine: func(m *fakeMachine) { m.fstypes = map[string]int64{"/sys/fs/cgroup": tmpfsMagic} },
			msg:     []string{"cgroup v1, no systemd: " + noLimits}},

		{name: "runtime dir ok", check: "runtime-dir", status: StatusOK, msg: []string{"XDG_RUNTIME_DIR=/run/user/1000 is owned by alice, mode 0700"}},
		{name: "runtime dir mode", check: "runtime-dir", status: StatusWarning,
			machine: func(m *fakeMachine) { m.stats["/run/user/1000"] = FileInfo{Mode: fs.ModeDir | 0o755, UID: 1000} },
			msg:     []string{"mode 0755, not 0700"}, fix: "chmod 0700 /run/user/1000"},
		{name: "runtime dir of another user", check: "runtime-dir", status: StatusError,
			machine: func(m *fakeMachine) { m.stats["/run/user/1000"] = FileInfo{Mode: fs.ModeDir | 0o700} },
			msg:     []string{"owned by uid 0, not by alice"}, fix: "unset XDG_RUNTIME_DIR"},
		{name: "runtime dir missing", check: "runtime-dir", status: StatusError,
			machine: func(m *fakeMachine) { delete(m.stats, "/run/user/1000") },
			msg:     []string{"does not exist"}, fix: "sudo install -d -m 0700 -o 1000 -g 1000 /run/user/1000"},
		{name: "runtime dir unset", check: "runtime-dir", status: StatusWarning,
			machine: func(m *fakeMachine) { delete(m.env, "XDG_RUNTIME_DIR") },
			msg:     []string{"XDG_RUNTIME_DIR is not set: pod falls back to /tmp/pod-run-1000 and records the choice"},
			fix:     "export XDG_RUNTIME_DIR=/run/user/1000"},
		{name: "runtime dir unset, fallback taken", check: "runtime-dir", status: StatusError,
			machine: func(m *fakeMachine) {
				delete(m.env, "XDG_RUNTIME_DIR")
				delete(m.stats, "/run/user/1000")
				m.stats["/tmp/pod-run-1000"] = FileInfo{Mode: fs.ModeDir | 0o700, UID: 1001}
			},
			msg: []string{"/tmp/pod-run-1000 is owned by uid 1001"}, fix: "sudo rm -rf /tmp/pod-run-1000"},
		{name: "runtime dir unset, recorded", check: "runtime-dir", status: StatusWarning,
			machine: func(m *fakeMachine) {
				delete(m.env, "XDG_RUNTIME_DIR")
				m.files["/home/alice/.local/share/pod/runtime-dir"] = "/tmp/pod-run-1000\nb00t\n"
				m.stats["/tmp/pod-run-1000"] = FileInfo{Mode: fs.ModeDir | 0o700, UID: 1000}
			},
			msg: []string{"pod uses /tmp/pod-run-1000, recorded for this boot"}},
		{name: "runtime dir recorded in another boot", check: "runtime-dir", status: StatusOK,
			machine: func(m *fakeMachine) {
				m.files["/home/alice/.local/share/pod/runtime-dir"] = "/tmp/pod-run-1000\nold\n"
				m.stats["/tmp/pod-run-1000"] = FileInfo{Mode: fs.ModeDir | 0o700, UID: 1000}
			},
			msg: []string{"mode 0700"}},

		{name: "logout without systemd", check: "logout", status: StatusOK, msg: []string{"no systemd: nothing kills containers at logout"}},
		{name: "linger off", check: "logout", status: StatusWarning,
			machine: func(m *fakeMachine) { m.stats[systemdDir] = FileInfo{Mode: fs.ModeDir}; m.linger = "Linger=no\n" },
			msg:     []string{"containers are killed at logout"}, fix: "sudo loginctl enable-linger alice"},
		{name: "linger on", check: "logout", status: StatusOK,
			machine: func(m *fakeMachine) { m.stats[systemdDir] = FileInfo{Mode: fs.ModeDir} },
			msg:     []string{"linger enabled"}},
		{name: "linger file without a session", check: "logout", status: StatusOK,
			machine: func(m *fakeMachine) {
				m.stats[systemdDir] = FileInfo{Mode: fs.ModeDir}
				m.linger = ""
				m.stats["/var/lib/systemd/linger/alice"] = FileInfo{}
			}},

		{name: "storage default", check: "storage", status: StatusOK, config: Config{GraphRoot: "/g"},
			msg: []string{"overlay in the user namespace, with fuse-overlayfs/vfs fallback; graph root /g"}},
		{name: "storage configured and used", check: "storage", status: StatusOK,
			machine: func(m *fakeMachine) { m.stats["/g/vfs-layers"] = FileInfo{Mode: fs.ModeDir} },
			config:  Config{GraphRoot: "/g", StorageDriver: "vfs", DriverSource: "/home/alice/.config/pod/storage.conf"},
			msg:     []string{"vfs (from /home/alice/.config/pod/storage.conf); graph root /g holds vfs layers"}},
		{name: "storage config broken", check: "storage", status: StatusError,
			config: Config{Err: errors.New("read storage.conf: bad: fix or remove the file")},
			msg:    []string{"fix or remove the file"}},

		{name: "root", check: "user", status: StatusWarning,
			machine: func(m *fakeMachine) { m.uid, m.user = 0, "root" },
			msg:     []string{"running as root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			if tt.machine != nil {
				tt.machine(m)
			}
			rs := Run(context.Background(), m.host(), tt.config)
			r, ok := find(rs, tt.check)
			if !ok {
				t.Fatalf("no %q result in %+v", tt.check, rs)
			}
			if r.Status != tt.status {
				t.Errorf("status %s, want %s (%q)", r.Status, tt.status, r.Message)
			}
			for _, s := range tt.msg {
				if !strings.Contains(r.Message, s) {
					t.Errorf("message %q lacks %q", r.Message, s)
				}
			}
			if r.Fix != tt.fix {
				t.Errorf("fix %q, want %q", r.Fix, tt.fix)
			}
			if HasError(rs) != (tt.status == StatusError) && tt.check != "overlay" {
				t.Errorf("HasError %v with %s %s", HasError(rs), tt.check, tt.status)
			}
		})
	}
}

// As root, the checks that concern the rootless user are not run.
func TestRunAsRoot(t *testing.T) {
	m := good()
	m.uid, m.user = 0, "root"
	for _, r := range Run(context.Background(), m.host(), Config{}) {
		switch r.Check {
		case "subuid", "subgid", "newuidmap", "newgidmap", "runtime-dir":
			t.Errorf("root got the %s check", r.Check)
		}
	}
}

func TestKernelAtLeast(t *testing.T) {
	for _, tt := range []struct {
		rel  string
		want bool
	}{
		{"5.11.0", true}, {"5.10.209-1", false}, {"6.0.0", true}, {"4.19.0-26-amd64", false},
		{"6.18.44-fc-v669", true}, {"weird", true}, {"5.11-rc1", true},
	} {
		if got := kernelAtLeast(tt.rel, 5, 11); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.rel, got, tt.want)
		}
	}
}

func TestHasFileCap(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		cap  int
		want bool
	}{
		{"v2 setuid", capData(vfsCapRevision2, capSetUID), capSetUID, true},
		{"v2 other", capData(vfsCapRevision2, capSetGID), capSetUID, false},
		{"v1", capData(vfsCapRevision1, capSetUID, capSetGID), capSetGID, true},
		{"v3", capData(vfsCapRevision3, capSetGID), capSetGID, true},
		{"high capability", capData(vfsCapRevision2, 40), 40, true},
		{"v1 high capability", capData(vfsCapRevision1, 3), 40, false},
		{"short", []byte{1, 0}, capSetUID, false},
		{"truncated", capData(vfsCapRevision2, capSetUID)[:8], capSetUID, false},
		{"unknown revision", capData(0x07000000, capSetUID), capSetUID, false},
	} {
		if got := hasFileCap(tt.data, tt.cap); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
