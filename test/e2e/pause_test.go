package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// counter reads the number the ticker container last wrote.
func (e *Env) counter(t *testing.T, ctr string) int {
	t.Helper()
	r := e.MustPod(t, "logs", "--tail", "1", ctr)
	n, err := strconv.Atoi(strings.TrimSpace(r.Stdout))
	if err != nil {
		t.Fatalf("ticker log %q: %v", r.Stdout, err)
	}
	return n
}

// pause stops every process of the container (a child shell too) until unpause; stop and
// rm -f work on a paused container; pausing what does not run is refused as podman does.
func TestPauseUnpause(t *testing.T) {
	skipUnderPodman(t, "podman refuses pause for rootless containers without cgroups v2")
	e := sharedEnv(t)
	name := e.CtrName(t, "ticker")
	// A child shell counts; its parent only waits.
	e.MustPod(t, "run", "-d", "--name", name, "--network", "none", "alpine", "sh", "-c",
		`trap "exit 0" TERM; sh -c 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done' & wait`)
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	waitFor(5*time.Second, func() bool { return e.Pod(t, "logs", name).Stdout != "" })

	expectStdout(t, e.MustPod(t, "pause", name), name+"\n")
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.Paused}} {{.State.PauseMethod}}", name).Out(); got != "paused true sigstop" {
		t.Errorf("inspect of a paused container: %q", got)
	}
	if got := e.MustPod(t, "ps", "--filter", "name=^"+name+"$", "--format", "{{.Status}}").Out(); got != "Paused" {
		t.Errorf("ps of a paused container: %q", got)
	}
	n := e.counter(t, name)
	time.Sleep(700 * time.Millisecond)
	if m := e.counter(t, name); m != n {
		t.Errorf("the container's child counted on while paused: %d then %d", n, m)
	}
	r := e.Pod(t, "pause", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "already paused")

	expectStdout(t, e.MustPod(t, "unpause", name), name+"\n")
	if !waitFor(5*time.Second, func() bool { return e.counter(t, name) > n }) {
		t.Errorf("the container did not resume after unpause")
	}
	r = e.Pod(t, "unpause", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "is not paused")

	// stop of a paused container: the signal is seen once resumed.
	e.MustPod(t, "pause", name)
	e.MustPod(t, "stop", "-t", "5", name)
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).Out(); got != "exited 0" {
		t.Errorf("stop of a paused container: %q, want exited 0", got)
	}
	r = e.Pod(t, "pause", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "is not running")

	// rm -f of a paused container.
	e.MustPod(t, "start", name)
	e.MustPod(t, "pause", name)
	e.MustPod(t, "rm", "-f", "-t", "1", name)
	if ids := e.MustPod(t, "ps", "-a", "-q", "--filter", "name=^"+name+"$").Out(); ids != "" {
		t.Errorf("rm -f left the paused container: %q", ids)
	}
}
