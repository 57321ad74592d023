package monitor

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// With Passthrough the container writes to the client's own pipes: its
// descriptors 1 and 2 are those pipes (no copy), and nothing is logged.
func TestPassthroughHandsOverDescriptors(t *testing.T) {
	h := newHarness(t, "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2")
	outR, outW, _ := os.Pipe()
	errR, errW, _ := os.Pipe()
	h.files = []*os.File{outW, errW}
	h.opts.AttachOut, h.opts.AttachErr = 5, 6
	h.opts.Passthrough = true
	h.start()
	outW.Close()
	errW.Close()
	if r := h.record(10 * time.Second); r.Type != protocol.RecordStarted {
		t.Fatalf("record %+v", r)
	}
	if r := h.record(10 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 0 {
		t.Fatalf("record %+v", r)
	}
	h.ctlW.Close()
	h.wait(10 * time.Second)
	for _, p := range []struct {
		name string
		r    *os.File
	}{{"stdout", outR}, {"stderr", errR}} {
		var st syscall.Stat_t
		if err := syscall.Fstat(int(p.r.Fd()), &st); err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.r)
		if want := fmt.Sprintf("pipe:[%d]\n", st.Ino); string(b) != want {
			t.Errorf("container %s is %q, want the client's %q", p.name, b, want)
		}
	}
	if fi, err := os.Stat(h.opts.LogPath); err == nil && fi.Size() > 0 {
		t.Errorf("passthrough wrote a log of %d bytes", fi.Size())
	}
}
