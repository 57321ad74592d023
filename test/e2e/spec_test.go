package e2e

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecurityDefaults checks the container's view of capabilities, seccomp, masked and
// read-only /proc and /sys paths, and unprivileged ping.
func TestSecurityDefaults(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", `
grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/self/status
cat /proc/sys/net/ipv4/ping_group_range
awk '{print "mount", $5, $6}' /proc/self/mountinfo
ping -c1 -W5 127.0.0.1 >/dev/null && echo ping ok`)
	status := map[string]string{}
	mounts := map[string]string{}
	for _, l := range r.Lines() {
		if k, v, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, "mount ") {
			status[k] = strings.TrimSpace(v)
		}
		if f := strings.Fields(l); len(f) == 3 && f[0] == "mount" {
			mounts[f[1]] = f[2]
		}
	}
	// podman's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP
	// SETGID SETPCAP SETUID SYS_CHROOT.
	for _, k := range []string{"CapEff", "CapBnd"} {
		if status[k] != "00000000800405fb" {
			t.Errorf("%s = %q, want podman's default capability set 00000000800405fb", k, status[k])
		}
	}
	if status["Seccomp"] != "2" {
		t.Errorf("Seccomp = %q, want 2 (filter)", status["Seccomp"])
	}
	if status["NoNewPrivs"] != "0" {
		t.Errorf("NoNewPrivs = %q, want 0 by default", status["NoNewPrivs"])
	}
	if !strings.Contains(r.Stdout, "ping ok") {
		t.Errorf("ping without NET_RAW failed (net.ipv4.ping_group_range not opened?)")
	}
	for _, p := range []string{"/proc/keys", "/proc/timer_list", "/sys/firmware", "/proc/acpi"} {
		if _, err := os.Stat(p); err == nil {
			if _, ok := mounts[p]; !ok {
				t.Errorf("%s is not masked in the container", p)
			}
		}
	}
	for _, p := range []string{"/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq"} {
		if opts, ok := mounts[p]; !ok || !strings.HasPrefix(opts, "ro") {
			t.Errorf("%s is not mounted read-only in the container (options %q)", p, opts)
		}
	}
	if opts := mounts["/sys"]; !strings.HasPrefix(opts, "ro") {
		t.Errorf("/sys is not read-only (options %q)", opts)
	}

	r = e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", "touch /proc/sys/kernel/hostname 2>/dev/null && echo writable || echo refused")
	expectStdout(t, r, "refused\n")
}

// TestNamespaces checks that a container gets its own pid, ipc, uts, mount and network
// namespaces inside the user namespace of the pause process.
func TestNamespaces(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c",
		`echo pid $$; for n in user pid ipc uts mnt net; do echo $n $(readlink /proc/self/ns/$n); done`)
	pause := e.PausePID()
	if pause == 0 {
		t.Fatalf("no pause process recorded in %s", e.PauseFile())
	}
	for _, l := range r.Lines() {
		f := strings.Fields(l)
		if len(f) != 2 {
			continue
		}
		if f[0] == "pid" && !strings.Contains(f[1], ":") {
			if f[1] != "1" {
				t.Errorf("the container's first process has pid %s, want 1", f[1])
			}
			continue
		}
		outer, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", pause, f[0]))
		if err != nil {
			t.Fatal(err)
		}
		if f[0] == "user" && f[1] != outer {
			t.Errorf("container user namespace %s differs from the pause process' %s", f[1], outer)
		}
		if f[0] != "user" && f[1] == outer {
			t.Errorf("container shares the %s namespace %s with the pause process", f[0], outer)
		}
	}
}

func TestUnshare(t *testing.T) {
	e := sharedEnv(t)
	expectStdout(t, e.MustPod(t, "unshare", "id", "-u"), "0\n")
	r := e.MustPod(t, "unshare", "cat", "/proc/self/uid_map")
	lines := r.Lines()
	if len(lines) < 2 {
		t.Fatalf("uid_map inside the user namespace: %q", r.Stdout)
	}
	if f := strings.Fields(lines[0]); len(f) != 3 || f[0] != "0" || f[1] != strconv.Itoa(e.User.uid) || f[2] != "1" {
		t.Errorf("uid_map line 1 = %q, want \"0 %d 1\"", lines[0], e.User.uid)
	}
	sub := e.User.subuids[0]
	if f := strings.Fields(lines[1]); len(f) != 3 || f[0] != "1" || f[1] != strconv.Itoa(sub[0]) || f[2] != strconv.Itoa(sub[1]) {
		t.Errorf("uid_map line 2 = %q, want \"1 %d %d\"", lines[1], sub[0], sub[1])
	}
	r = e.Pod(t, "unshare", "sh", "-c", "exit 6")
	expectExit(t, r, 6)
}

// TestSigProxy sends a signal to the engine while it runs a container in the foreground.
func TestSigProxy(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "sigproxy")
	bg := e.PodBG(t, "run", "--rm", "--name", name, "alpine", "sh", "-c",
		`trap "exit 42" USR1; echo ready; while :; do sleep 0.2; done`)
	if !waitFor(30*time.Second, func() bool { return strings.Contains(bg.stdout.String(), "ready") }) {
		bg.Kill()
		bg.Wait(t, 10*time.Second)
		t.Fatalf("foreground container never printed ready")
	}
	pid := bg.EnginePID()
	if pid == 0 {
		t.Fatalf("cannot find the engine process under runuser pid %d", bg.cmd.Process.Pid)
	}
	if err := syscall.Kill(pid, syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	r := bg.Wait(t, 30*time.Second)
	expectExit(t, r, 42)
	expectStdout(t, r, "ready\n")
}

func TestStopSignal(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "stopsig")
	e.MustPod(t, "run", "-d", "--name", name, "alpine:3.20.3-stopsignal", "sh", "-c",
		`trap "exit 10" USR1; trap "exit 15" TERM; echo ready; while :; do sleep 0.2; done`)
	e.waitLog(t, name, "ready")
	e.MustPod(t, "stop", name)
	if got := e.MustPod(t, "inspect", "--format", "{{.State.ExitCode}}", name).Out(); got != "10" {
		t.Errorf("stop of an image with STOPSIGNAL SIGUSR1: exit code %s, want 10", got)
	}
	e.MustPod(t, "rm", name)
	e.Pod(t, "rmi", "alpine:3.20.3-stopsignal")
}

// TestStalePausePID starts from a pause pid file naming a process that does not exist.
func TestStalePausePID(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 fails with \"cannot re-exec process to join the existing user namespace\"")
	e := NewEnv(t, EnvOptions{})
	dir := e.PauseFile()[:strings.LastIndexByte(e.PauseFile(), '/')]
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.PauseFile(), []byte("4194000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chownTree(e.RunDir, e.User.uid, e.User.gid); err != nil {
		t.Fatal(err)
	}
	r := e.MustPod(t, "run", "--rm", "alpine", "echo", "ok")
	expectStdout(t, r, "ok\n")
	if pid := e.PausePID(); pid == 0 || pid == 4194000 || !procAlive(pid) {
		t.Errorf("pause pid file not renewed: %d", pid)
	}
}
