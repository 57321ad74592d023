package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sleepers lists the live processes running `sleep <arg>`.
func sleepers(arg string) []int {
	var pids []int
	for _, p := range listProcs() {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.pid))
		if string(cmdline) == "sleep\x00"+arg+"\x00" && alive(p.pid) {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// cleanupProcs lists the environment's live `pod container cleanup`
// processes.
func cleanupProcs(e *Env) []int {
	var pids []int
	for _, p := range listProcs() {
		if !p.hasEnv("HOME=" + e.Home) {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.pid))
		if strings.Contains(string(cmdline), "\x00container\x00cleanup\x00") && alive(p.pid) {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// interruptedBuild starts a build whose third step sleeps, waits until
// the sleep runs, and sends sig to pod.
func interruptedBuild(t *testing.T, e *Env, name, arg string, sig syscall.Signal) (ctx string, r *Result) {
	t.Helper()
	ctx = buildContext(t, e, name, map[string]string{
		"Containerfile": "FROM alpine\nRUN echo one > /one\nARG S\nRUN sleep $S\nRUN echo after > /after\n",
	})
	b := e.PodBG(t, "build", "--build-arg", "S="+arg, "-t", name, ctx)
	if !waitFor(60*time.Second, func() bool { return len(sleepers(arg)) > 0 }) {
		b.Kill()
		t.Fatalf("the RUN sleep never started: %s", b.Wait(t, 10*time.Second).describe())
	}
	pid := b.EnginePID()
	if pid == 0 {
		t.Fatal("no pod process")
	}
	syscall.Kill(pid, sig)
	r = b.Wait(t, 30*time.Second)
	if r.ExitCode == 0 || strings.Contains(r.Stdout, "STEP 5/5") {
		t.Fatalf("the build went on after %v: %s", sig, r.describe())
	}
	return ctx, r
}

// expectNothingLeft checks that no container, storage container or
// process of the interrupted build is left, and that the next build reuses
// the steps before the interrupted one.
func expectNothingLeft(t *testing.T, e *Env, ctx, name, arg string) {
	t.Helper()
	if out := e.MustPod(t, "ps", "-a", "--external", "--format", "{{.ID}} {{.Image}} {{.Command}}").Out(); out != "" {
		t.Errorf("ps -a --external after the interrupted build:\n%s", out)
	}
	// The container's monitor and its cleanup command end on their own
	// (a lock file the cleanup made is then removed by the next listing).
	if !waitFor(10*time.Second, func() bool { return len(sleepers(arg)) == 0 && len(cleanupProcs(e)) == 0 }) {
		t.Errorf("the RUN's processes outlived its removal: %v %v", sleepers(arg), cleanupProcs(e))
	}
	e.MustPod(t, "ps", "-a")
	if ids := e.storageContainers(t); len(ids) != 0 {
		t.Errorf("storage containers left: %q", ids)
	}
	if r := e.Pod(t, "system", "check"); r.ExitCode != 0 {
		t.Errorf("system check: %s", r.describe())
	}
	if pids := sleepers(arg); len(pids) != 0 {
		t.Errorf("the RUN's process still runs: %v", pids)
	}
	if locks, _ := filepath.Glob(filepath.Join(e.RunDir, "pod", "locks", "build-*")); len(locks) != 0 {
		t.Errorf("build locks left: %q", locks)
	}
	r := e.MustPod(t, "build", "--build-arg", "S=0", "-t", name, ctx)
	steps := strings.Split(r.Stdout, "STEP ")
	if len(steps) != 6 || !strings.Contains(steps[2], "--> Using cache") || strings.Contains(steps[4], "Using cache") {
		t.Errorf("the next build did not reuse the step before the interrupted one:\n%s", r.Stdout)
	}
	if out := e.MustPod(t, "run", "--rm", name, "cat", "/one", "/after").Out(); out != "one\nafter" {
		t.Errorf("the rebuilt image has %q", out)
	}
}

// A SIGKILL of pod during a RUN leaves its container running; the next
// command removes it, its storage and its process.
func TestBuildKilled(t *testing.T) {
	skipUnderPodman(t, "tests pod's own cleanup after a killed build")
	e := NewEnv(t, EnvOptions{})
	ctx, _ := interruptedBuild(t, e, "killed", "4241", syscall.SIGKILL)
	expectNothingLeft(t, e, ctx, "killed", "4241")
}

// A SIGINT (ctrl-c) of pod during a RUN: the build stops its container,
// removes what it made and dies of the signal, before any other command.
func TestBuildInterrupted(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx, r := interruptedBuild(t, e, "interrupted", "4242", syscall.SIGINT)
	if !waitFor(10*time.Second, func() bool { return len(sleepers("4242")) == 0 }) {
		t.Errorf("the RUN's process outlived the interrupted build")
	}
	if ids := e.storageContainers(t); len(ids) != 0 {
		t.Errorf("the interrupted build left storage containers %q: %s", ids, r.describe())
	}
	expectNothingLeft(t, e, ctx, "interrupted", "4242")
}
