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

// The fault-injection suite: pod is killed (SIGKILL), terminated (SIGTERM) or interrupted
// (SIGINT) after a random delay during each verb that changes something. After each fault
// the next command works, `system check` finds nothing the next command did not fix, no
// container's processes or mounts outlive its removal, and a running container is never
// lost from ps. POD_E2E_FAULT_ITER sets the rounds per verb and signal (make test-faults
// runs many); POD_E2E_SEED replays a run.

// faultCase is one verb under fault: prepare makes what it acts on, args is the command.
type faultCase struct {
	verb    string
	prepare func(t *testing.T, e *Env, name string)
	args    func(name string) []string
}

func faultCases() []faultCase {
	older := cfg.registry + "/library/alpine:3.19.4"
	sleeperRun := func(t *testing.T, e *Env, name string) {
		e.MustPod(t, "run", "-d", "--name", name, "--network", "none", "alpine", "sleep", "1000")
	}
	return []faultCase{
		{"pull", func(t *testing.T, e *Env, _ string) { e.Pod(t, "rmi", "-f", older) },
			func(string) []string { return []string{"pull", "-q", older} }},
		{"create", nil, func(n string) []string { return []string{"create", "--name", n, "alpine", "true"} }},
		{"run -d", nil, func(n string) []string {
			return []string{"run", "-d", "--name", n, "alpine", "sleep", "1000"}
		}},
		{"run --rm", nil, func(n string) []string {
			return []string{"run", "--rm", "--name", n, "--network", "none", "alpine", "sleep", "0.1"}
		}},
		{"start", func(t *testing.T, e *Env, n string) {
			e.MustPod(t, "create", "--name", n, "alpine", "sleep", "1000")
		}, func(n string) []string { return []string{"start", n} }},
		{"stop", sleeperRun, func(n string) []string { return []string{"stop", "-t", "1", n} }},
		{"rm", sleeperRun, func(n string) []string { return []string{"rm", "-f", "-t", "1", n} }},
		{"rmi", func(t *testing.T, e *Env, _ string) { e.MustPod(t, "pull", "-q", older) },
			func(string) []string { return []string{"rmi", older} }},
	}
}

// nsProcesses lists the processes of the environment's user namespaces other than its pause
// process: monitors, containers, network helpers.
func (e *Env) nsProcesses() []int {
	e.notePauseNS()
	hostNS, _ := os.Readlink("/proc/self/ns/user")
	nss := map[string]bool{}
	e.nsMu.Lock()
	for pid, start := range e.pauses {
		if ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", pid)); err == nil && ns != hostNS && procStart(pid) == start {
			nss[ns] = true
		}
	}
	pauses := map[int]bool{}
	for pid := range e.pauses {
		pauses[pid] = true
	}
	e.nsMu.Unlock()
	var out []int
	for _, p := range listProcs() {
		if !nss[p.userns] || pauses[p.pid] {
			continue
		}
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p.pid))
		if strings.TrimSpace(string(comm)) == "pod-pause" {
			continue
		}
		out = append(out, p.pid)
	}
	return out
}

func describeProcs(pids []int) string {
	var b strings.Builder
	for _, pid := range pids {
		cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		fmt.Fprintf(&b, "%d: %s; ", pid, strings.ReplaceAll(strings.TrimRight(string(cmd), "\x00"), "\x00", " "))
	}
	return b.String()
}

// expectRecovered checks the invariants after a fault, then removes every container and
// checks that nothing of them is left.
func (e *Env) expectRecovered(t *testing.T, what string) {
	t.Helper()
	e.expectConsistent(t)
	r := e.Pod(t, "system", "check")
	if r.ExitCode != 0 || r.Out() != "No problems found" {
		t.Errorf("%s: system check after the next command: %s", what, r.describe())
		e.Pod(t, "system", "check", "--repair")
	}
	// Every running container is really running: its monitor is alive.
	for _, line := range e.MustPod(t, "ps", "--no-trunc", "--format", "{{.ID}}").Lines() {
		if len(monitorsOf(line)) == 0 {
			t.Errorf("%s: ps shows %s running without a monitor", what, line[:12])
		}
	}
	e.MustPod(t, "rm", "-a", "-f", "-t", "0")
	if !waitFor(5*time.Second, func() bool { return len(e.nsProcesses()) == 0 }) {
		t.Errorf("%s: processes left after rm -a -f: %s", what, describeProcs(e.nsProcesses()))
	}
	if m := e.containerMounts(t); len(m) != 0 {
		t.Errorf("%s: mounts left after rm -a -f: %q", what, m)
	}
}

func TestFaultSignals(t *testing.T) {
	skipUnderPodman(t, "tests pod's own recovery")
	rng, seed := faultRand(t)
	rounds := 1
	if s := os.Getenv("POD_E2E_FAULT_ITER"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	t.Logf("%d round(s) per verb and signal (POD_E2E_FAULT_ITER)", rounds)
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	n := 0
	for _, fc := range faultCases() {
		for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
			for round := 0; round < rounds; round++ {
				n++
				name := fmt.Sprintf("f%d", n)
				if fc.prepare != nil {
					fc.prepare(t, e, name)
				}
				delay := time.Duration(rng.Intn(80)) * time.Millisecond
				what := fmt.Sprintf("%s, %v after %v", fc.verb, sig, delay)
				b := e.PodBG(t, fc.args(name)...)
				time.Sleep(delay)
				if pid := b.EnginePID(); pid > 0 {
					syscall.Kill(pid, sig)
				}
				r := b.Wait(t, 60*time.Second)
				if panicRe.MatchString(r.RawStderr) {
					t.Errorf("%s: pod crashed: %s", what, r.describe())
				}
				e.MustPod(t, "ps", "-a") // the next command
				e.expectRecovered(t, what)
				if t.Failed() {
					t.Fatalf("stopping at the first failure (%s); replay with POD_E2E_SEED=%d", what, seed)
				}
			}
		}
	}
}

// kill -9 of a network helper or of the pause process while containers run: the next
// commands work, stop and rm clean up, nothing is left.
func TestFaultHelpersKilled(t *testing.T) {
	skipUnderPodman(t, "tests pod's own recovery")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	for _, net := range []string{"pasta", "slirp4netns"} {
		id := e.runSleeper(t, "net-"+net, "--network", net)
		data, err := os.ReadFile(fmt.Sprintf("%s/pod/containers/%s/helper.pid", e.RunDir, id))
		if err != nil {
			t.Fatalf("%s: no helper pid record: %v", net, err)
		}
		pid, _ := strconv.Atoi(strings.Fields(string(data))[0])
		syscall.Kill(pid, syscall.SIGKILL)
		waitFor(5*time.Second, func() bool { return !alive(pid) })
		if got := e.state(t, "net-"+net); got != "running" {
			t.Errorf("%s killed: the container is %q", net, got)
		}
		e.MustPod(t, "stop", "-t", "0", "net-"+net)
		e.expectRecovered(t, net+" killed")
	}
	e.runSleeper(t, "survivor")
	if pid := e.PausePID(); pid > 0 {
		syscall.Kill(pid, syscall.SIGKILL)
		waitFor(5*time.Second, func() bool { return !alive(pid) })
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "ok"), "ok\n")
	if got := e.state(t, "survivor"); got != "running" {
		t.Errorf("pause process killed: the container is %q", got)
	}
	e.expectRecovered(t, "pause process killed")
}
