package image

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY returns the master and slave ends of a new pseudo-terminal.
func openPTY(t *testing.T, cols uint16) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: cols}); err != nil {
		t.Skipf("set window size: %v", err)
	}
	return master, slave
}

// pullOnTerminal pulls a fresh image with a terminal cols wide as the
// progress writer and returns what the terminal received.
func pullOnTerminal(t *testing.T, cols uint16) (string, *testImage) {
	master, slave := openPTY(t, cols)
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&out, master); close(done) }()

	ti := buildImage(t, "tty\n")
	dir := t.TempDir()
	ti.writeLayout(t, dir, "tty")
	if _, err := Pull(context.Background(), newStore(t), "oci:"+dir+":tty",
		PullOptions{System: testSystem(t, ""), Progress: slave}); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	_ = master.SetReadDeadline(time.Now().Add(5 * time.Second))
	<-done
	return out.String(), ti
}

// On a terminal the image library draws progress bars instead of printing
// one "Copying blob sha256:..." line per blob.
func TestPullProgressTerminal(t *testing.T) {
	got, ti := pullOnTerminal(t, 100)
	if strings.Contains(got, "Copying blob sha256:") {
		t.Errorf("terminal output has plain copy lines:\n%q", got)
	}
	short := ti.configDigest.Encoded()[:10] // bar labels are cut to one width
	if !strings.Contains(got, "Copying config "+short) || !strings.Contains(got, "done") {
		t.Errorf("terminal output lacks the progress bars:\n%q", got)
	}
}

// A terminal without a size (0 columns) would swallow the bars: plain lines
// are printed instead.
func TestPullProgressTerminalWithoutSize(t *testing.T) {
	got, ti := pullOnTerminal(t, 0)
	if !strings.Contains(got, "Copying config "+ti.configDigest.String()) {
		t.Errorf("sizeless terminal output lacks plain copy lines:\n%q", got)
	}
}
