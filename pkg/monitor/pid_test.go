package monitor

import (
	"os/exec"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/procfs"
)

// sleeper starts a stopped child standing for a container's init.
func sleeper(t *testing.T) *exec.Cmd {
	t.Helper()
	c := exec.Command("sleep", "60")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Process.Kill()
		_ = c.Wait()
	})
	if err := c.Process.Signal(unix.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// The health loop must see it stopped, or it would run a check.
	for deadline := time.Now().Add(5 * time.Second); !procfs.Stopped(c.Process.Pid); {
		if time.Now().After(deadline) {
			t.Fatal("the child did not stop")
		}
		time.Sleep(time.Millisecond)
	}
	return c
}

// The health checks and the timeout read the container's pid from their
// own goroutines while restarts change it (run with -race): each reads a
// whole pid, and none is signalled once reaped.
func TestContainerPidAcrossRestarts(t *testing.T) {
	first, second := sleeper(t), sleeper(t)
	m := &monitor{opts: &protocol.Options{}}
	m.pid.Store(int64(first.Process.Pid))

	// The health loop, every millisecond; both children are stopped, so
	// it never runs a check.
	h := &healthChecker{m: m, hc: &protocol.Healthcheck{Interval: time.Millisecond}, done: make(chan struct{})}
	loopDone := make(chan struct{})
	go func() {
		h.loop()
		close(loopDone)
	}()
	killed := make(chan struct{})
	end := time.Now().Add(50 * time.Millisecond)
	go func() {
		for time.Now().Before(end) {
			m.signalContainer(0) // the timeout's and health action's access
		}
		close(killed)
	}()
	for i := 0; time.Now().Before(end); i++ { // restarts: reaped, then a new init
		m.pid.Store(0)
		pid := first.Process.Pid
		if i%2 == 1 {
			pid = second.Process.Pid
		}
		m.pid.Store(int64(pid))
	}
	<-killed
	h.stop()
	<-loopDone

	m.pid.Store(0) // reaped
	m.timedOut()   // must not signal anything
	m.pid.Store(int64(second.Process.Pid))
	m.timedOut()
	var ws unix.WaitStatus
	if _, err := unix.Wait4(second.Process.Pid, &ws, 0, nil); err != nil || !ws.Signaled() || ws.Signal() != unix.SIGKILL {
		t.Fatalf("the current init: %v, %v; want killed by SIGKILL", ws, err)
	}
	if err := unix.Kill(first.Process.Pid, 0); err != nil {
		t.Fatalf("the previous init was signalled: %v", err)
	}
}
