package e2e

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Faults: processes killed at awkward moments, a lost or different runtime directory. After
// each, what pod reports must match what runs, and the next command must work.

// monitorsOf returns the pids of the live pod-monitor processes of the container id.
func monitorsOf(id string) []int {
	var pids []int
	for _, p := range listProcs() {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p.pid))
		if strings.TrimSpace(string(comm)) != "pod-monitor" {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.pid))
		if strings.Contains(string(cmdline), "\x00--id\x00"+id+"\x00") {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// faultRand returns the random source of fault delays and its seed: POD_E2E_SEED, else the
// time. The seed is logged so that a failure can be replayed.
func faultRand(t *testing.T) (*rand.Rand, int64) {
	seed := time.Now().UnixNano()
	if s := os.Getenv("POD_E2E_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("seed %d (replay with POD_E2E_SEED=%d)", seed, seed)
	return rand.New(rand.NewSource(seed)), seed
}

// noMonitors waits a little for the monitors of id to finish (a monitor runs its cleanup
// after the container exited) and reports whether none is left.
func noMonitors(id string) bool {
	return waitFor(5*time.Second, func() bool { return len(monitorsOf(id)) == 0 })
}

// alive reports whether pid names a live, non-zombie process.
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && len(s) > i+2 && s[i+2] != 'Z' && s[i+2] != 'X'
}

// inspectPid returns the container's init pid as pod reports it.
func (e *Env) inspectPid(t testing.TB, ctr string) int {
	t.Helper()
	pid, err := strconv.Atoi(e.MustPod(t, "inspect", "--format", "{{.State.Pid}}", ctr).Out())
	if err != nil || pid <= 0 {
		t.Fatalf("inspect %s: no pid (%v)", ctr, err)
	}
	return pid
}

// expectConsistent checks every container of the environment: none is shown created or
// exited while a monitor of it runs, and none shows a zero time as an age.
func (e *Env) expectConsistent(t testing.TB) {
	t.Helper()
	r := e.MustPod(t, "ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.State}} {{.Status}}")
	for _, line := range r.Lines() {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if strings.Contains(line, "years ago") {
			t.Errorf("ps shows an impossible age: %q", line)
		}
		if f[1] == "created" && len(monitorsOf(f[0])) > 0 {
			t.Errorf("container %s is shown created while its monitor runs", f[0][:12])
		}
	}
}

// The runtime directory of a boot is recorded: a command run without XDG_RUNTIME_DIR (cron,
// su, sudo -u) sees and controls the same containers, with their real exit codes.
func TestFaultRuntimeDirUnset(t *testing.T) {
	skipUnderPodman(t, "podman keys its state by the runtime directory it is given")
	e := NewEnv(t, EnvOptions{})
	sleeperID := e.runSleeper(t, "sleeper")
	e.MustPod(t, "run", "-d", "--name", "seven", "alpine", "sh", "-c", "sleep 2; exit 7")
	noXDG := RunOpts{NoXDG: true}

	r := e.PodOpt(t, noXDG, "ps", "--format", "{{.Names}} {{.State}}")
	expectExit(t, r, 0)
	if got := r.Lines(); !contains(got, "sleeper running") || !contains(got, "seven running") {
		t.Errorf("ps without XDG_RUNTIME_DIR: %q, want both containers running", got)
	}
	r = e.PodOpt(t, noXDG, "wait", "seven")
	expectStdout(t, r, "7\n")
	r = e.PodOpt(t, noXDG, "stop", "-t", "0", "sleeper")
	expectExit(t, r, 0)
	if !noMonitors(sleeperID) {
		t.Errorf("stop without XDG_RUNTIME_DIR left the monitor running: %v", monitorsOf(sleeperID))
	}
	got := e.MustPod(t, "ps", "-a", "--format", "{{.Names}} {{.Status}}").Lines()
	for _, want := range []string{"seven Exited (7)", "sleeper Exited (137)"} {
		found := false
		for _, l := range got {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("ps -a with XDG_RUNTIME_DIR: %q, want a line starting %q", got, want)
		}
	}
	if _, err := os.Stat(fmt.Sprintf("/tmp/pod-run-%d/pod/pause.pid", e.User.uid)); err == nil && e.PausePID() != 0 {
		if data, _ := os.ReadFile(fmt.Sprintf("/tmp/pod-run-%d/pod/pause.pid", e.User.uid)); strings.HasPrefix(string(data), strconv.Itoa(e.PausePID())+"\n") == false {
			pid, _ := strconv.Atoi(strings.Fields(string(data) + " 0")[0])
			if alive(pid) && procStart(pid) != "" && e.pauses[pid] == "" {
				t.Errorf("a second pause process (%d) runs for the fallback runtime directory", pid)
			}
		}
	}
	e.expectRecovered(t, "XDG_RUNTIME_DIR unset")
}

// A lost runtime directory (logout, a tmp cleaner) loses no running container: it is still
// shown running, and rm -f stops it for real before its storage goes.
func TestFaultLostRuntimeDir(t *testing.T) {
	skipUnderPodman(t, "podman loses its runtime state with the directory")
	e := NewEnv(t, EnvOptions{})
	id := e.runSleeper(t, "survivor")
	pid := e.inspectPid(t, "survivor")
	if err := os.RemoveAll(filepath.Join(e.RunDir, "pod")); err != nil {
		t.Fatal(err)
	}
	r := e.MustPod(t, "ps", "-a", "--format", "{{.Names}} {{.State}} {{.Status}}")
	if !strings.HasPrefix(r.Out(), "survivor running Up") {
		t.Errorf("after the runtime directory was lost: %q, want survivor running", r.Out())
	}
	e.expectConsistent(t)
	r = e.Pod(t, "system", "check")
	if r.ExitCode != 0 || r.Out() != "No problems found" {
		t.Errorf("system check after the runtime directory was lost: %s", r.describe())
	}
	e.MustPod(t, "rm", "-f", "-t", "1", "survivor")
	if alive(pid) {
		t.Errorf("rm -f left the container process %d running", pid)
	}
	if !noMonitors(id) {
		t.Errorf("rm -f left the monitor running: %v", monitorsOf(id))
	}
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("containers left: %q", ids)
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "ok"), "ok\n")
}

// kill -9 of pod-monitor: the container still runs and is shown so; stop stops it for real,
// and its network helper goes too.
func TestFaultMonitorKilled(t *testing.T) {
	skipUnderPodman(t, "conmon's death is reported differently")
	e := NewEnv(t, EnvOptions{})
	id := e.runSleeper(t, "orphan", "--network", "pasta")
	pid := e.inspectPid(t, "orphan")
	helper := 0
	if data, err := os.ReadFile(filepath.Join(e.RunDir, "pod", "containers", id, "helper.pid")); err == nil {
		helper, _ = strconv.Atoi(strings.Fields(string(data))[0])
	}
	if helper == 0 || !alive(helper) {
		t.Fatalf("no live network helper recorded for the container (%d)", helper)
	}
	mons := monitorsOf(id)
	if len(mons) != 1 {
		t.Fatalf("monitors of the container: %v", mons)
	}
	syscall.Kill(mons[0], syscall.SIGKILL)
	waitFor(5*time.Second, func() bool { return !alive(mons[0]) })

	if got := e.state(t, "orphan"); got != "running" {
		t.Errorf("with its monitor killed and its process alive the container is %q, want running", got)
	}
	e.MustPod(t, "stop", "-t", "1", "orphan")
	if alive(pid) {
		t.Errorf("stop returned but the container process %d still runs", pid)
	}
	if !waitFor(5*time.Second, func() bool { return !alive(helper) }) {
		t.Errorf("the network helper %d outlived the container", helper)
	}
	if got := e.state(t, "orphan"); got != "exited" {
		t.Errorf("after stop the container is %q", got)
	}
	e.MustPod(t, "rm", "orphan")
	if ents, _ := os.ReadDir(filepath.Join(e.RunDir, "pod", "containers")); len(ents) != 0 {
		t.Errorf("rm left run directories: %v", ents)
	}
	e.expectRecovered(t, "monitor killed")
}

// SIGKILL of `pod start` at random moments: whatever the moment, the container is shown
// running exactly when its monitor runs, and start, stop and rm work afterwards. The seed is
// printed so that a failure can be replayed (POD_E2E_SEED).
func TestFaultKilledStart(t *testing.T) {
	skipUnderPodman(t, "tests pod's own reconciliation")
	rng, _ := faultRand(t)
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "create", "--name", "victim", "--network", "none", "alpine", "sleep", "1000").Out()
	for i := 0; i < 12; i++ {
		delay := time.Duration(5+rng.Intn(60)) * time.Millisecond
		b := e.PodBG(t, "start", "victim")
		time.Sleep(delay)
		if pid := b.EnginePID(); pid > 0 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		b.Wait(t, 30*time.Second)
		e.expectConsistent(t)
		if r := e.Pod(t, "system", "check"); r.ExitCode != 0 {
			t.Errorf("trial %d (killed after %v): system check: %s", i, delay, r.describe())
		}
		running := len(monitorsOf(id)) > 0
		if got := e.state(t, "victim"); (got == "running") != running {
			t.Errorf("trial %d (killed after %v): state %q, monitor running %v", i, delay, got, running)
		}
		// The next commands work on what really runs.
		e.MustPod(t, "start", "victim")
		if got := e.state(t, "victim"); got != "running" || len(monitorsOf(id)) != 1 {
			t.Fatalf("trial %d: after start: %q with monitors %v", i, got, monitorsOf(id))
		}
		e.MustPod(t, "stop", "-t", "0", "victim")
		if !noMonitors(id) {
			t.Errorf("trial %d: stop left monitors %v", i, monitorsOf(id))
		}
	}
	e.MustPod(t, "rm", "victim")
}

// storageContainers returns the ids of the storage library's containers in the environment.
func (e *Env) storageContainers(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(e.Home, ".local/share/pod/storage/overlay-containers/containers.json"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	var ids []string
	for _, part := range strings.Split(string(data), `"id":"`)[1:] {
		ids = append(ids, part[:64])
	}
	return ids
}

// SIGKILL of `pod create` at random moments leaks nothing: the next command removes what a
// half-done create left, the name is free again, and the image can be removed.
func TestFaultKilledCreate(t *testing.T) {
	skipUnderPodman(t, "tests pod's own storage reconciliation")
	rng, _ := faultRand(t)
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	for i := 0; i < 20; i++ {
		name := fmt.Sprintf("c%d", i)
		delay := time.Duration(1+rng.Intn(25)) * time.Millisecond
		b := e.PodBG(t, "create", "--name", name, "alpine", "true")
		time.Sleep(delay)
		if pid := b.EnginePID(); pid > 0 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		b.Wait(t, 30*time.Second)
		ids := e.containerIDs(t) // the next command: cleans up
		if got := e.storageContainers(t); len(got) != len(ids) {
			t.Errorf("trial %d (killed after %v): %d storage containers for %d containers", i, delay, len(got), len(ids))
		}
		if r := e.MustPod(t, "ps", "--external", "-q"); r.Out() != "" {
			t.Errorf("trial %d: ps --external shows leftovers: %q", i, r.Out())
		}
		if r := e.Pod(t, "system", "check", "--quick"); r.ExitCode != 0 {
			t.Errorf("trial %d: system check: %s", i, r.describe())
		}
		// The name is free, or taken by the container the create made.
		r := e.Pod(t, "create", "--name", name, "alpine", "true")
		if r.ExitCode != 0 && !strings.Contains(r.Stderr, "in use") {
			t.Errorf("trial %d: create --name %s again: %s", i, name, r.describe())
		}
	}
	if ents, _ := filepath.Glob(filepath.Join(e.Home, ".local/share/pod/names/.tmp/*")); len(ents) != 0 {
		t.Errorf("name reservation files left: %q", ents)
	}
	e.MustPod(t, "rm", "-a", "-f")
	if got := e.storageContainers(t); len(got) != 0 {
		t.Errorf("storage containers left after rm -a -f: %q", got)
	}
	e.MustPod(t, "rmi", "alpine")
}

// A storage container that no pod container owns is shown by ps --external, and rm removes
// it, after which its image can go.
func TestFaultExternalContainer(t *testing.T) {
	skipUnderPodman(t, "podman records containers in a database")
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "create", "--name", "lost", "alpine", "true").Out()
	// The container's own records go; its storage stays.
	os.RemoveAll(filepath.Join(e.Home, ".local/share/pod/containers", id))
	os.Remove(filepath.Join(e.Home, ".local/share/pod/names/lost"))
	r := e.MustPod(t, "ps", "-a", "--external", "--no-trunc", "--format", "{{.ID}} {{.Command}} {{.Status}}")
	if r.Out() != id+" pod Storage" {
		t.Errorf("ps --external: %q, want the storage container", r.Out())
	}
	if r := e.Pod(t, "rmi", "alpine"); r.ExitCode == 0 {
		t.Errorf("rmi removed an image a storage container uses")
	}
	e.MustPod(t, "rm", id[:12])
	if got := e.storageContainers(t); len(got) != 0 {
		t.Errorf("rm left the storage container: %q", got)
	}
	e.MustPod(t, "rmi", "alpine")
}

// A full disk: whatever filled it, rm, rm -f and rmi free it (they must not need space to
// delete), and run and pull fail with one clear line, leaving nothing half-written.
func TestFaultFullDisk(t *testing.T) {
	skipUnderPodman(t, "podman's storage needs space to delete")
	e := NewEnv(t, EnvOptions{})
	data := filepath.Join(e.Home, ".local/share/pod")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{".local", ".local/share", ".local/share/pod"} {
		os.Chown(filepath.Join(e.Home, d), e.User.uid, e.User.gid)
	}
	if err := syscall.Mount("tmpfs", data, "tmpfs", 0, fmt.Sprintf("size=48m,mode=0700,uid=%d,gid=%d", e.User.uid, e.User.gid)); err != nil {
		t.Skipf("cannot mount a tmpfs for the data directory: %v", err)
	}
	t.Cleanup(func() {
		killEnvProcesses(e)
		syscall.Unmount(data, syscall.MNT_DETACH)
	})
	e.MustPod(t, "pull", "-q", "alpine")
	fill := func(name string) {
		t.Helper()
		// The container's writable layer fills the disk; it then stays up (or exits).
		e.MustPod(t, "run", "-d", "--name", name, "--network", "none", "alpine", "sh", "-c",
			"dd if=/dev/zero of=/fill bs=1M 2>/dev/null; echo full; sleep 1000")
		// (The log cannot say so: it is on the full disk too.)
		full := waitFor(30*time.Second, func() bool {
			var st syscall.Statfs_t
			return syscall.Statfs(data, &st) == nil && st.Bavail < 16
		})
		if !full {
			t.Fatal("the disk did not fill up")
		}
	}

	fill("filler")
	r := e.Pod(t, "run", "--rm", "--network", "none", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no space left")
	e.MustPod(t, "ps", "-a")
	e.MustPod(t, "rm", "-f", "-t", "0", "filler")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--network", "none", "alpine", "echo", "ok"), "ok\n")

	fill("filler2")
	e.MustPod(t, "stop", "-t", "0", "filler2")
	r = e.Pod(t, "pull", "-q", cfg.registry+"/library/alpine:3.19.4")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no space left")
	if got := e.MustPod(t, "images", "-q").Lines(); len(got) != 1 {
		t.Errorf("a failed pull left images: %q", got)
	}
	e.MustPod(t, "rmi", "-f", "alpine")
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("rmi -f left containers: %q", ids)
	}
	r = e.MustPod(t, "system", "check")
	if !strings.Contains(r.Out(), "No problems found") {
		t.Errorf("system check after the full disk: %q", r.Out())
	}
}
