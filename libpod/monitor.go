package libpod

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// FindMonitor locates pod-monitor (FindHelper).
func FindMonitor(podPath string) (string, error) { return FindHelper(podPath, "pod-monitor") }

// FindHelper locates one of pod's helper programs (pod-monitor,
// pod-portfwd): beside the pod executable, then in ../libexec/pod relative
// to it, then on PATH.
func FindHelper(podPath, name string) (string, error) {
	dir := filepath.Dir(podPath)
	for _, p := range []string{filepath.Join(dir, name), filepath.Join(dir, "..", "libexec", "pod", name)} {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return filepath.Clean(p), nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found beside %s, in %s or on PATH: reinstall pod (make install): %w",
		name, podPath, filepath.Join(dir, "..", "libexec", "pod"), define.ErrMissingTool)
}

// Attachment is a container started in the foreground: its output reaches
// the attached streams until it exits.
type Attachment interface {
	// Pid is the container's init pid (signals are proxied to it).
	Pid() int
	// Resize sets the container terminal's size.
	Resize(rows, cols uint16)
	// Wait blocks until the container exits and returns its exit code;
	// all its output has reached the attached streams by then.
	Wait() (int, error)
	// Finish cleans up after the exit (unmount; removal for --rm) in this
	// process and lets the monitor go.
	Finish() error
}

// Session is the CLI's end of a monitor it started: the sync pipe it reads
// and the ctl pipe it writes (see package protocol). Detached starts close
// it at once.
type Session struct {
	name    string // the container's, for messages
	cmd     *exec.Cmd
	sync    *bufio.Reader
	syncF   *os.File
	ctl     *os.File
	pid     int
	cleanup func() error // run by Finish
	// detached: the user typed the detach keys; the monitor cleans up.
	detached bool
}

var _ Attachment = (*Session)(nil)

// startMonitor starts pod-monitor at path with o, in its own session. The
// sync and ctl pipes become its descriptors 3 and 4; the attached stdio
// (nil entries are absent) follow, then preserve (passed on to the
// container as its descriptors 3 on).
func startMonitor(path, name string, o protocol.Options, stdio [3]*os.File, preserve ...*os.File) (*Session, error) {
	syncR, syncW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start pod-monitor for %s: %w", name, err)
	}
	ctlR, ctlW, err := os.Pipe()
	if err != nil {
		syncR.Close()
		syncW.Close()
		return nil, fmt.Errorf("start pod-monitor for %s: %w", name, err)
	}
	files := []*os.File{syncW, ctlR}
	o.SyncFD, o.CtlFD = 3, 4
	fds := [3]*int{&o.AttachIn, &o.AttachOut, &o.AttachErr}
	for i, f := range stdio {
		*fds[i] = -1
		if f != nil {
			files = append(files, f)
			*fds[i] = 2 + len(files)
		}
	}
	if len(preserve) > 0 {
		o.PreserveFD, o.PreserveCount = 3+len(files), len(preserve)
		files = append(files, preserve...)
	}
	cmd := exec.Command(path, o.Args()...)
	cmd.Dir = "/"
	cmd.ExtraFiles = files
	// One P is plenty for the monitor, and the Go runtime sizes itself
	// from GOMAXPROCS at start-up.
	cmd.Env = append(append(os.Environ(), "GOMAXPROCS=1"), o.Env()...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	syncW.Close()
	ctlR.Close()
	if err != nil {
		syncR.Close()
		ctlW.Close()
		return nil, fmt.Errorf("start pod-monitor for %s: %w", name, err)
	}
	return &Session{name: name, cmd: cmd, sync: bufio.NewReaderSize(syncR, 4096), syncF: syncR, ctl: ctlW}, nil
}

// Pid returns the container's init pid.
func (s *Session) Pid() int { return s.pid }

// read returns the next sync record; timeout 0 waits for ever.
func (s *Session) read(timeout time.Duration) (protocol.SyncRecord, error) {
	if timeout > 0 {
		_ = s.syncF.SetReadDeadline(time.Now().Add(timeout))
	} else {
		_ = s.syncF.SetReadDeadline(time.Time{})
	}
	line, err := s.sync.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return protocol.SyncRecord{}, fmt.Errorf("container %s: no answer from pod-monitor within %s: %w", s.name, timeout, define.ErrTimeout)
		}
		return protocol.SyncRecord{}, fmt.Errorf("container %s: pod-monitor exited unexpectedly: %w", s.name, define.ErrRuntime)
	}
	rec, err := protocol.DecodeSync(line)
	if err != nil {
		return rec, fmt.Errorf("container %s: pod-monitor: %v: %w", s.name, err, define.ErrRuntime)
	}
	return rec, nil
}

// waitStarted reads the monitor's first record: "started" sets the pid,
// "error" becomes the error the start failed with (reported is then true:
// the monitor undid the start itself). Without an answer in time the
// monitor is killed and reported is false.
func (s *Session) waitStarted(timeout time.Duration) (reported bool, err error) {
	rec, err := s.read(timeout)
	if err != nil {
		s.kill()
		return false, err
	}
	switch rec.Type {
	case protocol.RecordStarted:
		s.pid = rec.Pid
		return false, nil
	case protocol.RecordError:
		s.close()
		_ = s.cmd.Wait() // the monitor exits at once after an error record
		return true, startError(s.name, rec)
	}
	s.kill()
	return false, fmt.Errorf("container %s: pod-monitor sent %q before starting: %w", s.name, rec.Type, define.ErrRuntime)
}

// startError turns an error record into the error the start failed with:
// this is where the monitor's exit codes become pod's sentinels.
func startError(name string, rec protocol.SyncRecord) error {
	msg := rec.Message
	if msg == "" {
		msg = "the OCI runtime failed"
	}
	switch rec.ExitCode {
	case protocol.ExitCodeNotFound:
		return fmt.Errorf("%s: %w", msg, define.ErrCmdNotFound)
	case protocol.ExitCodeCannotInvoke:
		return fmt.Errorf("%s: %w", msg, define.ErrCmdPermission)
	}
	return fmt.Errorf("start container %s: %s: %w", name, msg, define.ErrRuntime)
}

func (s *Session) send(rec protocol.CtlRecord) {
	if s.ctl == nil {
		return
	}
	if b, err := protocol.Encode(rec); err == nil {
		_, _ = s.ctl.Write(b)
	}
}

// Resize sets the container terminal's size.
func (s *Session) Resize(rows, cols uint16) { s.send(protocol.Resize(rows, cols)) }

// kill stops a monitor that did not answer as it should.
func (s *Session) kill() {
	_ = s.cmd.Process.Kill()
	s.close()
	_ = s.cmd.Wait()
}

// close closes the CLI's ends of both pipes.
func (s *Session) close() {
	if s.ctl != nil {
		s.ctl.Close()
		s.ctl = nil
	}
	if s.syncF != nil {
		s.syncF.Close()
		s.syncF = nil
	}
}

// Detach lets the monitor go: it cleans up on its own when the container
// exits (the ctl pipe reaches EOF without "cleaned").
func (s *Session) Detach() {
	s.close()
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Release()
	}
}

// Wait blocks until the container exits and returns its exit code. All its
// output has reached the attached streams by then. After the detach keys
// it returns define.ErrDetach: the caller then lets the monitor go
// (Detach) without cleaning up.
func (s *Session) Wait() (int, error) {
	for {
		rec, err := s.read(0)
		if err != nil {
			return -1, err
		}
		switch rec.Type {
		case protocol.RecordExit:
			return rec.ExitCode, nil
		case protocol.RecordDetach:
			s.detached = true
			return -1, define.ErrDetach
		}
	}
}

// Finish runs the cleanup in this process (unmount; removal for --rm),
// tells the monitor it is done and lets it go without waiting: the monitor
// only reaps its network helper after that.
func (s *Session) Finish() error {
	if s.detached {
		s.Detach()
		return nil
	}
	logrus.Debugf("container exited; cleaning up")
	var err error
	if s.cleanup != nil {
		err = s.cleanup()
	}
	logrus.Debugf("cleanup done")
	if err == nil || errors.Is(err, define.ErrNoSuchCtr) {
		s.send(protocol.Cleaned())
		err = nil
	}
	s.Detach()
	return err
}

// hostUser names the user on the host in messages that ask root for help.
func hostUser() string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if u := strings.TrimSpace(os.Getenv(k)); u != "" {
			return u
		}
	}
	return "$USER"
}
