package libpod

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const envSignalHoldChild = "POD_LIBPOD_TEST_SIGNAL_HOLD"

// signalHoldChild runs in a child test process: SIGTERM arrives while a
// nested hold is taken; the process must live on until the last release.
func signalHoldChild() {
	var h signalHold
	outer := h.hold()
	inner := h.hold()
	_ = unix.Kill(unix.Getpid(), unix.SIGTERM)
	time.Sleep(50 * time.Millisecond)
	fmt.Println("alive while held")
	inner()
	time.Sleep(50 * time.Millisecond)
	fmt.Println("alive after the inner release")
	outer()
	fmt.Println("not reached")
}

func TestSignalHold(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envSignalHoldChild+"=1")
	out, err := cmd.Output()
	got := string(out)
	if !strings.Contains(got, "alive while held\nalive after the inner release\n") || strings.Contains(got, "not reached") {
		t.Errorf("child printed %q", got)
	}
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if err == nil || !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("child ended with %v (%v), want killed by SIGTERM after the release", cmd.ProcessState, err)
	}
	// Without a signal, holding and releasing changes nothing.
	var h signalHold
	h.hold()()
	h.hold()()
}
