package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The security tests compare a container's confinement with podman's defaults. They extend
// TestSecurityDefaults and TestNamespaces (spec_test.go), which check the raw capability
// masks, Seccomp/NoNewPrivs of root, the mount table's masked and read-only entries and the
// namespaces against the pause process; these decode and exercise what those mounts and
// masks mean, compare with the host, and check the modes of every file the engine writes.

// ---------------------------------------------------------------- helpers

// capNames lists the capabilities by number (CAP_CHOWN is 0, CAP_CHECKPOINT_RESTORE 40).
var capNames = []string{
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
	"LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
	"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
}

// podmanDefaultCaps is podman's default capability set (containers.conf default_capabilities).
var podmanDefaultCaps = []string{
	"CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE", "SETFCAP",
	"SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

// decodeCaps turns a /proc/PID/status capability mask ("00000000800405fb") into sorted
// names; bits without a name read as "CAP_<n>".
func decodeCaps(t testing.TB, hex string) []string {
	t.Helper()
	mask, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		t.Fatalf("capability mask %q: %v", hex, err)
	}
	names := []string{}
	for bit := 0; bit < 64; bit++ {
		if mask&(1<<bit) == 0 {
			continue
		}
		if bit < len(capNames) {
			names = append(names, capNames[bit])
		} else {
			names = append(names, fmt.Sprintf("CAP_%d", bit))
		}
	}
	sort.Strings(names)
	return names
}

// capSet returns a sorted copy of names, adding and removing the given capabilities.
func capSet(base []string, add, drop []string) []string {
	m := map[string]bool{}
	for _, n := range base {
		m[n] = true
	}
	for _, n := range add {
		m[n] = true
	}
	for _, n := range drop {
		delete(m, n)
	}
	out := []string{}
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// allCaps is every capability the host kernel knows (0 … cap_last_cap).
func allCaps(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		t.Fatal(err)
	}
	last, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for bit := 0; bit <= last; bit++ {
		if bit < len(capNames) {
			out = append(out, capNames[bit])
		} else {
			out = append(out, fmt.Sprintf("CAP_%d", bit))
		}
	}
	sort.Strings(out)
	return out
}

func expectCaps(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, " ") == strings.Join(want, " ") {
		return
	}
	extra := capSet(got, nil, want)
	missing := capSet(want, nil, got)
	t.Errorf("%s = %v\n  extra:   %v\n  missing: %v", what, got, extra, missing)
}

// statusScript prints the process' capability, NoNewPrivs and Seccomp lines.
const statusScript = `grep -E '^(Cap[A-Za-z]+|NoNewPrivs|Seccomp):' /proc/self/status`

// ctrStatus runs `run --rm [extra...] alpine sh -c statusScript; script` and returns the
// status fields of the container's process and the remaining output lines.
func ctrStatus(t testing.TB, e *Env, extra []string, script string) (map[string]string, []string) {
	t.Helper()
	args := append([]string{"run", "--rm"}, extra...)
	full := statusScript
	if script != "" {
		full += "\n" + script
	}
	r := e.MustPod(t, append(args, "alpine", "sh", "-c", full)...)
	status := map[string]string{}
	var rest []string
	for _, l := range r.Lines() {
		if k, v, ok := strings.Cut(l, ":"); ok && regexp.MustCompile(`^(Cap[A-Za-z]+|NoNewPrivs|Seccomp)$`).MatchString(k) {
			status[k] = strings.TrimSpace(v)
			continue
		}
		rest = append(rest, l)
	}
	for _, k := range []string{"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"} {
		if _, ok := status[k]; !ok {
			t.Fatalf("no %s line in the container's /proc/self/status: %s", k, r.describe())
		}
	}
	return status, rest
}

// runFlags returns the long flags `run --help` lists.
func runFlags(t testing.TB, e *Env) map[string]bool {
	t.Helper()
	r := e.MustPod(t, "run", "--help")
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)`).FindAllStringSubmatch(r.Stdout, -1) {
		flags[m[1]] = true
	}
	return flags
}

// ---------------------------------------------------------------- capabilities

// TestSecurityCapabilities decodes the capability sets of the container's process: podman's
// default set for root (effective = permitted = bounding, nothing inheritable or ambient),
// nothing effective or permitted for a non-root user (bounding unchanged), and checks that
// a capability in the set works (CHOWN) while ones outside it fail (NET_ADMIN, SYS_ADMIN).
func TestSecurityCapabilities(t *testing.T) {
	e := sharedEnv(t)
	st, rest := ctrStatus(t, e, nil, `touch /tmp/f && chown 1:1 /tmp/f && echo chown=ok || echo chown=refused
ip link set lo mtu 1280 2>/dev/null && echo netadmin=ok || echo netadmin=refused
mount -t tmpfs x /mnt 2>/dev/null && echo mount=ok || echo mount=refused`)
	want := capSet(podmanDefaultCaps, nil, nil)
	for _, k := range []string{"CapEff", "CapPrm", "CapBnd"} {
		expectCaps(t, "root "+k, decodeCaps(t, st[k]), want)
	}
	for _, k := range []string{"CapInh", "CapAmb"} {
		expectCaps(t, "root "+k, decodeCaps(t, st[k]), []string{})
	}
	got := strings.Join(rest, " ")
	for _, w := range []string{"chown=ok", "netadmin=refused", "mount=refused"} {
		if !strings.Contains(got, w) {
			t.Errorf("container root: want %s, got %q", w, got)
		}
	}

	for _, user := range []string{"1000", "1000:1000"} {
		st, rest := ctrStatus(t, e, []string{"-u", user}, `id -u
touch /tmp/f && chown 1:1 /tmp/f 2>/dev/null && echo chown=ok || echo chown=refused`)
		for _, k := range []string{"CapEff", "CapPrm", "CapInh", "CapAmb"} {
			expectCaps(t, "-u "+user+" "+k, decodeCaps(t, st[k]), []string{})
		}
		expectCaps(t, "-u "+user+" CapBnd", decodeCaps(t, st["CapBnd"]), want)
		if st["Seccomp"] != "2" || st["NoNewPrivs"] != "0" {
			t.Errorf("-u %s: Seccomp %q NoNewPrivs %q, want 2 and 0 as for root", user, st["Seccomp"], st["NoNewPrivs"])
		}
		if strings.Join(rest, " ") != "1000 chown=refused" {
			t.Errorf("-u %s: want uid 1000 refused chown, got %q", user, rest)
		}
	}
}

// ---------------------------------------------------------------- seccomp

// seccompProbeSrc is a static program that tries syscalls and prints "name errno" (0 when
// the call succeeded). personality(ADDR_NO_RANDOMIZE) and userfaultfd(UFFD_USER_MODE_ONLY)
// need no privilege, so only a seccomp filter refuses them; keyctl is refused by moby's
// default profile and allowed by podman's.
const seccompProbeSrc = `package main

import (
	"fmt"
	"runtime"
	"syscall"
)

func main() {
	old, _, _ := syscall.RawSyscall(syscall.SYS_PERSONALITY, 0xffffffff, 0, 0)
	_, _, e := syscall.RawSyscall(syscall.SYS_PERSONALITY, old|0x0040000, 0, 0)
	if e == 0 {
		syscall.RawSyscall(syscall.SYS_PERSONALITY, old, 0, 0)
	}
	fmt.Println("personality", int(e))

	nr := map[string]uintptr{"amd64": 323, "arm64": 282, "riscv64": 282, "386": 374}[runtime.GOARCH]
	if nr != 0 {
		fd, _, e := syscall.RawSyscall(nr, 1|syscall.O_CLOEXEC, 0, 0)
		if e == 0 {
			syscall.Close(int(fd))
		}
		fmt.Println("userfaultfd", int(e))
	}

	userKeyring := -4
	_, _, e = syscall.RawSyscall(syscall.SYS_KEYCTL, 0, uintptr(userKeyring), 0)
	fmt.Println("keyctl", int(e))
}
`

var (
	probeOnce sync.Once
	probePath string
	probeErr  error
)

// seccompProbe builds the probe once per run into the suite's directory (readable by the
// test user) and returns its path.
func seccompProbe(t testing.TB) string {
	t.Helper()
	probeOnce.Do(func() {
		src, err := os.MkdirTemp(cfg.baseDir, "probe-src-")
		if err != nil {
			probeErr = err
			return
		}
		defer os.RemoveAll(src)
		if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(seccompProbeSrc), 0o644); err != nil {
			probeErr = err
			return
		}
		gobin, err := exec.LookPath("go")
		if err != nil {
			gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
			if _, err := os.Stat(gobin); err != nil {
				probeErr = fmt.Errorf("no go toolchain to build the seccomp probe: %v", err)
				return
			}
		}
		out := filepath.Join(cfg.baseDir, "seccomp-probe")
		cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "main.go")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
		if b, err := cmd.CombinedOutput(); err != nil {
			probeErr = fmt.Errorf("building the seccomp probe: %v\n%s", err, b)
			return
		}
		probePath = out
	})
	if probeErr != nil {
		t.Fatal(probeErr)
	}
	return probePath
}

func parseProbe(t testing.TB, r *Result) map[string]syscall.Errno {
	t.Helper()
	out := map[string]syscall.Errno{}
	for _, l := range r.Lines() {
		f := strings.Fields(l)
		if len(f) != 2 {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		out[f[0]] = syscall.Errno(n)
	}
	if _, ok := out["personality"]; !ok {
		t.Fatalf("seccomp probe printed nothing useful: %s", r.describe())
	}
	return out
}

// runProbe copies the probe into a fresh container through stdin and runs it there.
func runProbe(t testing.TB, e *Env, extra ...string) map[string]syscall.Errno {
	t.Helper()
	bin, err := os.ReadFile(seccompProbe(t))
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"run", "--rm", "-i"}, extra...)
	args = append(args, "alpine", "sh", "-c", "cat >/tmp/probe && chmod 755 /tmp/probe && exec /tmp/probe")
	r := e.PodOpt(t, RunOpts{Stdin: string(bin)}, args...)
	if r.ExitCode != 0 {
		t.Fatalf("running the seccomp probe in a container: %s", r.describe())
	}
	return parseProbe(t, r)
}

// TestSecuritySeccomp runs syscalls that need no privilege but that the default seccomp
// profile refuses: they succeed on the host as the test user and fail in a container, with
// EPERM (pod, moby's profile) or ENOSYS (podman's default errno). Seccomp stays on for a
// non-root user and a detached container.
func TestSecuritySeccomp(t *testing.T) {
	e := sharedEnv(t)
	host := parseProbe(t, e.PodOpt(t, RunOpts{Program: seccompProbe(t)}))
	ctr := runProbe(t, e)
	for _, sc := range []string{"personality", "userfaultfd"} {
		h, ok := host[sc]
		if !ok {
			t.Logf("%s not probed on %s", sc, runtime.GOARCH)
			continue
		}
		if h != 0 {
			t.Logf("%s fails on the host already (%v): not a seccomp check here", sc, h)
			continue
		}
		if c := ctr[sc]; c != syscall.EPERM && c != syscall.ENOSYS {
			t.Errorf("%s in a container: errno %d (%v), want EPERM or ENOSYS from the seccomp filter", sc, int(c), c)
		}
	}

	// The filter also applies to a non-root user and to a detached container.
	r := e.MustPod(t, "run", "--rm", "-u", "1000", "alpine", "awk", "/^Seccomp:/ {print $2}", "/proc/self/status")
	expectStdout(t, r, "2\n")
	name := e.CtrName(t, "seccomp")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sh", "-c", "awk '/^Seccomp:/ {print $2}' /proc/self/status")
	e.MustPod(t, "wait", name)
	if got := e.MustPod(t, "logs", name).Out(); got != "2" {
		t.Errorf("detached container: Seccomp %q, want 2", got)
	}
	e.MustPod(t, "rm", name)

	// pod's profile is moby's (Docker's) default: without CAP_SYS_ADMIN it refuses
	// unshare and clone of namespaces and the keyring calls, which podman 4.3's
	// containers/common profile allows (a user namespace inside a rootless container works
	// under podman, not under pod).
	t.Run("stricter than podman", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3's containers/common seccomp profile allows unshare(CLONE_NEWUSER) and keyctl, which pod's moby profile refuses without CAP_SYS_ADMIN")
		if host["keyctl"] == syscall.EPERM || host["keyctl"] == syscall.ENOSYS {
			t.Skipf("keyctl fails on the host already (%v)", host["keyctl"])
		}
		if c := ctr["keyctl"]; c != syscall.EPERM {
			t.Errorf("keyctl in a container: errno %d (%v), want EPERM", int(c), c)
		}
		r := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", "unshare -U true 2>&1; echo rc=$?")
		if !strings.Contains(r.Stdout, "Operation not permitted") || !strings.Contains(r.Stdout, "rc=1") {
			t.Errorf("unshare -U in a container: want EPERM, got %q", r.Stdout)
		}
	})
}

// ---------------------------------------------------------------- masked and read-only paths

// maskedPaths and readonlyPaths are the defaults of podman 4.3 (containers/common) and pod.
var (
	maskedPaths = []string{
		"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
		"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/fs/selinux",
		"/sys/dev/block",
	}
	readonlyPaths = []string{"/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}
)

// TestSecurityMaskedPaths checks what the masks do, for every path the host kernel has: a
// masked file is /dev/null (reads nothing), a masked directory an empty read-only tmpfs; a
// file under a read-only path cannot be opened for writing (EROFS, before any permission
// check: the mount refuses it, not the file's mode).
func TestSecurityMaskedPaths(t *testing.T) {
	e := sharedEnv(t)
	var script strings.Builder
	var checked []string
	for _, p := range maskedPaths {
		if _, err := os.Stat(p); err != nil {
			continue // the host kernel has no such file: nothing to hide
		}
		checked = append(checked, p)
		fmt.Fprintf(&script, `p=%s
if [ -d $p ]; then echo "masked $p dir $(ls -A $p | wc -l) $(stat -f -c %%T $p) $(touch $p/.probe 2>&1 | grep -c 'Read-only')"
elif [ -e $p ]; then echo "masked $p file $(stat -c %%t:%%T $p) $(cat $p 2>/dev/null | wc -c)"
else echo "masked $p absent"; fi
`, p)
	}
	for _, p := range readonlyPaths {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		checked = append(checked, p)
		// The first regular file below p (p itself when a file); ": >" opens it O_TRUNC for
		// writing and writes nothing.
		fmt.Fprintf(&script, `p=%s; f=$( [ -f $p ] && echo $p || find $p -type f 2>/dev/null | head -n 1)
if [ -z "$f" ]; then echo "ro $p nofile"; else echo "ro $p $( (: > $f) 2>&1 | grep -c 'Read-only file system') $f"; fi
`, p)
	}
	// A file the container's root could write were /proc/sys not read-only: the network
	// namespace's own sysctls belong to the user namespace's root.
	script.WriteString(`(echo "0 0" > /proc/sys/net/ipv4/ping_group_range) 2>&1 | grep -q 'Read-only file system' && echo "sysctl refused" || echo "sysctl written"` + "\n")
	r := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", script.String())
	seen := map[string]bool{}
	for _, l := range r.Lines() {
		f := strings.Fields(l)
		switch {
		case len(f) >= 3 && f[0] == "masked":
			seen[f[1]] = true
			switch f[2] {
			case "absent":
			case "dir":
				if len(f) != 6 || f[3] != "0" || f[4] != "tmpfs" || f[5] != "1" {
					t.Errorf("masked directory %s: want an empty read-only tmpfs, got %q (entries, fs type, touch refused as read-only)", f[1], f[3:])
				}
			case "file":
				if len(f) != 5 || f[3] != "1:3" || f[4] != "0" {
					t.Errorf("masked file %s: want /dev/null (char 1:3) reading nothing, got %q", f[1], f[3:])
				}
			}
		case len(f) >= 3 && f[0] == "ro":
			seen[f[1]] = true
			if f[2] != "nofile" && f[2] != "1" {
				t.Errorf("read-only path %s: opening %s for writing was not refused with EROFS", f[1], strings.Join(f[3:], " "))
			}
		}
	}
	for _, p := range checked {
		if !seen[p] {
			t.Errorf("no result for %s: %s", p, r.describe())
		}
	}
	if !strings.Contains(r.Stdout, "sysctl refused") {
		t.Errorf("the container's root could write /proc/sys/net/ipv4/ping_group_range: %s", r.describe())
	}
}

// ---------------------------------------------------------------- namespaces

var nsTypes = []string{"user", "pid", "ipc", "uts", "mnt", "net"}

// readNS returns the namespace links of pid ("self" for the test process, the host's).
func readNS(t testing.TB, pid string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, n := range nsTypes {
		l, err := os.Readlink(fmt.Sprintf("/proc/%s/ns/%s", pid, n))
		if err != nil {
			t.Fatalf("namespace %s of %s: %v", n, pid, err)
		}
		out[n] = l
	}
	return out
}

// ctrNS runs a container printing its namespace links and its uid map.
func ctrNS(t testing.TB, e *Env, extra ...string) (map[string]string, []string) {
	t.Helper()
	args := append([]string{"run", "--rm"}, extra...)
	args = append(args, "alpine", "sh", "-c",
		`for n in `+strings.Join(nsTypes, " ")+`; do echo "ns $n $(readlink /proc/self/ns/$n)"; done; cat /proc/self/uid_map`)
	r := e.MustPod(t, args...)
	ns := map[string]string{}
	var rest []string
	for _, l := range r.Lines() {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "ns" {
			ns[f[1]] = f[2]
			continue
		}
		rest = append(rest, l)
	}
	if len(ns) != len(nsTypes) {
		t.Fatalf("namespace links missing: %s", r.describe())
	}
	return ns, rest
}

// TestSecurityNamespaces compares the container's namespaces with the host's (the test
// process') and with another running container: each container has its own pid, ipc, uts,
// mount and (default network) net namespace; the user namespace is not the host's and maps
// the container's root to the user, not to the host's root. --network host shares only the
// host's network namespace.
func TestSecurityNamespaces(t *testing.T) {
	e := sharedEnv(t)
	host := readNS(t, "self")

	name := e.CtrName(t, "ns")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sleep", "300")
	pid := e.MustPod(t, "inspect", "--format", "{{.State.Pid}}", name).Out()
	if n, err := strconv.Atoi(pid); err != nil || n <= 0 {
		t.Fatalf("inspect gives no pid for running container %s: %q", name, pid)
	}
	other := readNS(t, pid)

	ns, rest := ctrNS(t, e)
	for _, n := range nsTypes {
		if ns[n] == host[n] {
			t.Errorf("container shares the host's %s namespace %s", n, host[n])
		}
		if other[n] == host[n] {
			t.Errorf("detached container shares the host's %s namespace %s", n, host[n])
		}
		if n == "user" {
			if ns[n] != other[n] {
				t.Errorf("two containers are in different user namespaces (%s, %s): want the user's one", ns[n], other[n])
			}
		} else if ns[n] == other[n] {
			t.Errorf("two containers share the %s namespace %s", n, ns[n])
		}
	}
	if len(rest) == 0 {
		t.Fatalf("no uid_map from the container")
	}
	if f := strings.Fields(rest[0]); len(f) != 3 || f[0] != "0" || f[1] != strconv.Itoa(e.User.uid) || f[2] != "1" {
		t.Errorf("uid_map %q: want the container's root mapped to uid %d only", rest, e.User.uid)
	}
	for _, l := range rest {
		if f := strings.Fields(l); len(f) == 3 && f[1] == "0" {
			t.Errorf("uid_map %q maps the host's root into the container", l)
		}
	}

	hns, _ := ctrNS(t, e, "--network", "host")
	for _, n := range nsTypes {
		if n == "net" {
			if hns[n] != host[n] {
				t.Errorf("--network host: net namespace %s, want the host's %s", hns[n], host[n])
			}
		} else if hns[n] == host[n] {
			t.Errorf("--network host: container shares the host's %s namespace", n)
		}
	}
	e.MustPod(t, "rm", "-f", "-t", "0", name)
}

// ---------------------------------------------------------------- file modes

// podUmask runs the engine with the given umask (through sh, so that every process it
// starts, the pause process and the monitor included, inherits it).
func (e *Env) podUmask(t testing.TB, umask string, args ...string) *Result {
	t.Helper()
	shArgs := append([]string{"-c", "umask " + umask + `; exec "$0" "$@"`, cfg.binary}, args...)
	r := e.PodOpt(t, RunOpts{Program: "sh"}, shArgs...)
	if r.ExitCode != 0 {
		t.Fatalf("command failed: %s", r.describe())
	}
	return r
}

// layerContent reports whether rel (relative to a walked root) lies inside a container or
// image root filesystem kept by the storage library: the contents of overlay/<id>/diff,
// merged and work, and of vfs/dir/<id>. Those reproduce the image's own modes (/tmp 1777).
// The directories themselves and every other storage file are checked.
func layerContent(rel string) bool {
	c := strings.Split(rel, string(filepath.Separator))
	for i := 0; i < len(c); i++ {
		if c[i] != "storage" {
			continue
		}
		s := c[i+1:]
		if len(s) >= 4 && s[0] == "overlay" && (s[2] == "diff" || s[2] == "merged" || s[2] == "work") {
			return true
		}
		if len(s) >= 4 && s[0] == "vfs" && s[1] == "dir" {
			return true
		}
	}
	return false
}

// TestSecurityFileModes runs the engine with umask 000 (a careless or group-sharing user's
// umask must not leak into the engine's files) through pull, run -d, a container that
// exits, create and run --rm, then walks HOME and the runtime dir as root: no directory or
// regular file outside the layer contents may be group- or world-writable, all belong to
// the user, the engine's data and runtime directories are private and the container state
// files 0600. The container's own process still gets umask 0022.
func TestSecurityFileModes(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.podUmask(t, "000", "pull", "-q", "alpine")
	e.podUmask(t, "000", "run", "-d", "--name", "sleeper", "alpine", "sleep", "300")
	e.podUmask(t, "000", "run", "-d", "--name", "exited", "alpine", "sh", "-c", "echo out; echo err >&2")
	e.podUmask(t, "000", "wait", "exited")
	e.podUmask(t, "000", "create", "--name", "created", "alpine", "true")
	r := e.podUmask(t, "000", "run", "--rm", "alpine", "awk", "/^Umask:/ {print $2}", "/proc/self/status")
	expectStdout(t, r, "0022\n")

	var writable, foreign []string
	for _, root := range []string{e.Home, e.RunDir} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if layerContent(rel) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && !d.Type().IsRegular() {
				return nil // symlinks, sockets, fifos
			}
			info, err := os.Lstat(p)
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			st := info.Sys().(*syscall.Stat_t)
			if st.Mode&0o022 != 0 {
				writable = append(writable, fmt.Sprintf("%04o %s", st.Mode&0o7777, p))
			}
			if int(st.Uid) != e.User.uid {
				foreign = append(foreign, fmt.Sprintf("uid %d %s", st.Uid, p))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walking %s: %v", root, err)
		}
	}
	if len(writable) > 0 {
		t.Errorf("%d group- or world-writable files or directories written under umask 000:\n  %s",
			len(writable), strings.Join(writable, "\n  "))
	}
	if len(foreign) > 0 {
		t.Errorf("files not owned by the user (uid %d):\n  %s", e.User.uid, strings.Join(foreign, "\n  "))
	}

	dataDir := filepath.Join(e.Home, ".local", "share", "pod")
	runDir := filepath.Join(e.RunDir, "pod")
	if cfg.podman {
		dataDir = filepath.Join(e.Home, ".local", "share", "containers")
		runDir = filepath.Join(e.RunDir, "libpod")
	}
	for _, d := range []string{dataDir, runDir} {
		if info, err := os.Stat(d); err != nil {
			t.Errorf("engine directory: %v", err)
		} else if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %04o: want it private to the user (0700)", d, info.Mode().Perm())
		}
	}

	// The files holding a container's configuration (its environment), state and output.
	var private []string
	if cfg.podman {
		private = append(private, filepath.Join(dataDir, "storage", "libpod", "bolt_state.db"))
		logs, _ := filepath.Glob(filepath.Join(dataDir, "storage", "overlay-containers", "*", "userdata", "ctr.log"))
		private = append(private, logs...)
	} else {
		for _, base := range []string{"config.json", "state.json", "ctr.log", "exit"} {
			m, _ := filepath.Glob(filepath.Join(dataDir, "containers", "*", base))
			private = append(private, m...)
		}
		names, _ := filepath.Glob(filepath.Join(dataDir, "names", "*"))
		private = append(private, names...)
		bundles, _ := filepath.Glob(filepath.Join(runDir, "containers", "*", "bundle", "config.json"))
		private = append(private, bundles...)
	}
	if len(private) < 3 {
		t.Errorf("found only %d container state files (%q): the layout changed?", len(private), private)
	}
	for _, p := range private {
		info, err := os.Stat(p)
		if err != nil {
			t.Errorf("state file: %v", err)
			continue
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %04o: want 0600", p, info.Mode().Perm())
		}
	}
}

// ---------------------------------------------------------------- security flags

// TestSecurityFlags checks --privileged, --cap-add, --cap-drop and --security-opt where the
// engine has them (podman does; each subtest is skipped while pod lacks its flag).
func TestSecurityFlags(t *testing.T) {
	e := sharedEnv(t)
	flags := runFlags(t, e)
	need := func(t *testing.T, flag string) {
		t.Helper()
		if !flags[flag] {
			t.Skipf("`run` has no %s flag", flag)
		}
	}
	def := capSet(podmanDefaultCaps, nil, nil)

	t.Run("privileged", func(t *testing.T) {
		need(t, "--privileged")
		st, rest := ctrStatus(t, e, []string{"--privileged"}, "stat -c %F /proc/keys")
		all := allCaps(t)
		for _, k := range []string{"CapEff", "CapPrm", "CapBnd"} {
			expectCaps(t, "--privileged "+k, decodeCaps(t, st[k]), all)
		}
		if st["Seccomp"] != "0" {
			t.Errorf("--privileged: Seccomp %q, want 0 (no filter)", st["Seccomp"])
		}
		if len(rest) != 1 || strings.Contains(rest[0], "character special") {
			t.Errorf("--privileged: /proc/keys is still masked (%q)", rest)
		}
	})
	t.Run("cap-drop all", func(t *testing.T) {
		need(t, "--cap-drop")
		st, _ := ctrStatus(t, e, []string{"--cap-drop", "all"}, "")
		for _, k := range []string{"CapEff", "CapPrm", "CapBnd"} {
			expectCaps(t, "--cap-drop all "+k, decodeCaps(t, st[k]), []string{})
		}
	})
	t.Run("cap-drop chown", func(t *testing.T) {
		need(t, "--cap-drop")
		st, rest := ctrStatus(t, e, []string{"--cap-drop", "chown"},
			"touch /tmp/f && chown 1:1 /tmp/f 2>/dev/null && echo chown=ok || echo chown=refused")
		expectCaps(t, "--cap-drop chown CapEff", decodeCaps(t, st["CapEff"]), capSet(def, nil, []string{"CHOWN"}))
		expectCaps(t, "--cap-drop chown CapBnd", decodeCaps(t, st["CapBnd"]), capSet(def, nil, []string{"CHOWN"}))
		if strings.Join(rest, " ") != "chown=refused" {
			t.Errorf("--cap-drop chown: chown was not refused: %q", rest)
		}
	})
	t.Run("cap-add net_admin", func(t *testing.T) {
		need(t, "--cap-add")
		st, rest := ctrStatus(t, e, []string{"--cap-add", "net_admin"},
			"ip link set lo mtu 1280 && echo netadmin=ok || echo netadmin=refused")
		expectCaps(t, "--cap-add net_admin CapEff", decodeCaps(t, st["CapEff"]), capSet(def, []string{"NET_ADMIN"}, nil))
		if strings.Join(rest, " ") != "netadmin=ok" {
			t.Errorf("--cap-add net_admin: changing the container's own lo failed: %q", rest)
		}
	})
	t.Run("no-new-privileges", func(t *testing.T) {
		need(t, "--security-opt")
		st, _ := ctrStatus(t, e, []string{"--security-opt", "no-new-privileges"}, "")
		if st["NoNewPrivs"] != "1" {
			t.Errorf("--security-opt no-new-privileges: NoNewPrivs %q, want 1", st["NoNewPrivs"])
		}
		expectCaps(t, "no-new-privileges CapEff", decodeCaps(t, st["CapEff"]), def)
	})
	t.Run("seccomp=unconfined", func(t *testing.T) {
		need(t, "--security-opt")
		st, _ := ctrStatus(t, e, []string{"--security-opt", "seccomp=unconfined"}, "")
		if st["Seccomp"] != "0" {
			t.Errorf("--security-opt seccomp=unconfined: Seccomp %q, want 0", st["Seccomp"])
		}
		if c := runProbe(t, e, "--security-opt", "seccomp=unconfined")["personality"]; c != 0 {
			t.Errorf("personality(ADDR_NO_RANDOMIZE) without seccomp: errno %d (%v), want success", int(c), c)
		}
	})
}

// Bad security flags are refused before anything is created.
func TestSecurityFlagErrors(t *testing.T) {
	e := sharedEnv(t)
	before := len(e.containerIDs(t))
	for _, args := range [][]string{
		{"--cap-add", "cap_nope"},
		{"--cap-drop", "bogus"},
		{"--security-opt", "bogus=1"},
		{"--security-opt", "seccomp=/no/such/profile.json"},
	} {
		r := e.Pod(t, append(append([]string{"run", "--rm"}, args...), "alpine", "true")...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, strings.SplitN(args[1], "=", 2)[0])
	}
	if after := len(e.containerIDs(t)); after != before {
		t.Errorf("refused runs left containers: %d before, %d after", before, after)
	}
}
