package libpod

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod/define"
)

// FindMonitor locates pod-monitor: beside the pod executable, then in
// ../libexec/pod relative to it, then on PATH.
func FindMonitor(podPath string) (string, error) {
	dir := filepath.Dir(podPath)
	for _, p := range []string{filepath.Join(dir, "pod-monitor"), filepath.Join(dir, "..", "libexec", "pod", "pod-monitor")} {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return filepath.Clean(p), nil
		}
	}
	if p, err := exec.LookPath("pod-monitor"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("pod-monitor not found beside %s, in %s or on PATH: reinstall pod (make install): %w",
		podPath, filepath.Join(dir, "..", "libexec", "pod"), define.ErrMissingTool)
}

// syncRecord is one line the monitor writes on the sync pipe.
type syncRecord struct {
	Type      string    `json:"type"`
	Pid       int       `json:"pid,omitempty"`
	Message   string    `json:"message,omitempty"`
	ExitCode  int       `json:"exitCode"`
	OOMKilled bool      `json:"oomKilled,omitempty"`
	ExitedAt  time.Time `json:"exitedAt,omitempty"`
}

// ctlRecord is one line the CLI writes on the control pipe.
type ctlRecord struct {
	Type string `json:"type"`
	Rows uint16 `json:"rows,omitempty"`
	Cols uint16 `json:"cols,omitempty"`
}

// Session is the CLI's end of a monitor it started: the sync pipe it reads
// and the control pipe it writes. Detached starts close it at once.
type Session struct {
	c     *Container
	cmd   *exec.Cmd
	sync  *bufio.Reader
	syncF *os.File
	ctl   *os.File
	exit  *syncRecord
}

// Pid returns the container's init pid.
func (s *Session) Pid() int { return s.c.State.Pid }

func (s *Session) read(timeout time.Duration) (*syncRecord, error) {
	if timeout > 0 {
		s.syncF.SetReadDeadline(time.Now().Add(timeout))
	} else {
		s.syncF.SetReadDeadline(time.Time{})
	}
	line, err := s.sync.ReadBytes('\n')
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, fmt.Errorf("container %s: no answer from pod-monitor within %s: %w", s.c.Name(), timeout, define.ErrTimeout)
		}
		return nil, fmt.Errorf("container %s: pod-monitor exited unexpectedly: %w", s.c.Name(), define.ErrRuntime)
	}
	rec := new(syncRecord)
	if err := json.Unmarshal(line, rec); err != nil {
		return nil, fmt.Errorf("container %s: bad record from pod-monitor %q: %w", s.c.Name(), strings.TrimSpace(string(line)), define.ErrRuntime)
	}
	return rec, nil
}

func (s *Session) send(rec ctlRecord) {
	if s.ctl == nil {
		return
	}
	b, _ := json.Marshal(rec)
	s.ctl.Write(append(b, '\n'))
}

// Resize sets the container terminal's size.
func (s *Session) Resize(rows, cols uint16) {
	s.send(ctlRecord{Type: "resize", Rows: rows, Cols: cols})
}

// Detach closes the CLI's end: the monitor then cleans up on its own when
// the container exits.
func (s *Session) Detach() {
	if s.ctl != nil {
		s.ctl.Close()
		s.ctl = nil
	}
	if s.syncF != nil {
		s.syncF.Close()
		s.syncF = nil
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Release()
	}
}

// Wait blocks until the container exits and returns its exit code. All its
// output has reached the attached streams by then.
func (s *Session) Wait() (int, error) {
	for {
		rec, err := s.read(0)
		if err != nil {
			return -1, err
		}
		if rec.Type == "exit" {
			s.exit = rec
			return rec.ExitCode, nil
		}
	}
}

// Finish runs the cleanup in this process (unmount; removal for --rm), tells
// the monitor it is done, and waits for the monitor to exit.
func (s *Session) Finish() error {
	logrus.Debugf("container exited; cleaning up")
	err := s.c.Cleanup()
	logrus.Debugf("cleanup done")
	if err == nil || errors.Is(err, define.ErrNoSuchCtr) {
		s.send(ctlRecord{Type: "cleaned"})
		err = nil
	}
	if s.ctl != nil {
		s.ctl.Close()
		s.ctl = nil
	}
	// The monitor only reaps its network helper now: do not wait for it.
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Release()
	}
	if s.syncF != nil {
		s.syncF.Close()
	}
	return err
}
