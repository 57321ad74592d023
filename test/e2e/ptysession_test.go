package e2e

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// PTYSession is an engine command on a pseudo-terminal that a test types
// into and reads, as a user at a terminal would: the command is the
// session leader and its foreground process group gets SIGWINCH when the
// test resizes the terminal.
type PTYSession struct {
	t      testing.TB
	cmd    *exec.Cmd
	master *os.File
	out    syncBuffer
	done   chan error
	read   chan struct{} // closed when the output reaches EOF
	res    *Result
	cancel context.CancelFunc
}

// PodPTY starts the engine with args on a new 24x80 terminal. setpriv (not
// runuser, which forks and stays in the foreground) switches to the test
// user, so the engine itself is the terminal's foreground process.
func (e *Env) PodPTY(t testing.TB, args ...string) *PTYSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	envv := []string{"HOME=" + e.Home, "XDG_RUNTIME_DIR=" + e.RunDir, "PATH=" + cfg.binDir + ":" + hostPath, "TERM=xterm"}
	full := []string{"--reuid", strconv.Itoa(e.User.uid), "--regid", strconv.Itoa(e.User.gid), "--init-groups", "--", "env", "-i"}
	full = append(append(append(full, envv...), cfg.binary), args...)
	cmd := exec.CommandContext(ctx, "setpriv", full...)
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=" + hostPath}
	master, slave, err := openPTY()
	if err != nil {
		cancel()
		t.Fatalf("pty: %v", err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	s := &PTYSession{t: t, cmd: cmd, master: master, done: make(chan error, 1), read: make(chan struct{}),
		res: &Result{Args: e.displayArgs(RunOpts{}, args)}, cancel: cancel}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %v: %v", args, err)
	}
	slave.Close()
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			s.out.Write(buf[:n])
			if err != nil {
				close(s.read)
				return
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cancel()
		master.Close()
	})
	return s
}

// Send types s.
func (s *PTYSession) Send(str string) {
	if _, err := s.master.Write([]byte(str)); err != nil {
		s.t.Errorf("type %q: %v", str, err)
	}
}

// Expect waits until the output so far contains want.
func (s *PTYSession) Expect(want string, timeout time.Duration) {
	s.t.Helper()
	if !waitFor(timeout, func() bool { return strings.Contains(s.out.String(), want) }) {
		s.t.Fatalf("terminal output never showed %q within %s; it shows:\n%s", want, timeout, s.out.String())
	}
}

// Output is everything the command wrote so far.
func (s *PTYSession) Output() string { return s.out.String() }

// Resize sets the terminal size; the kernel sends SIGWINCH to its
// foreground process group.
func (s *PTYSession) Resize(rows, cols uint16) {
	ws := [4]uint16{rows, cols, 0, 0}
	if err := ioctl(s.master.Fd(), syscall.TIOCSWINSZ, unsafe.Pointer(&ws)); err != nil {
		s.t.Errorf("resize: %v", err)
	}
}

// Wait waits for the command to exit and returns its result.
func (s *PTYSession) Wait(timeout time.Duration) *Result {
	s.t.Helper()
	var err error
	select {
	case err = <-s.done:
	case <-time.After(timeout):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		err = <-s.done
		s.res.TimedOut = true
		s.t.Errorf("%v did not exit within %s; output:\n%s", s.res.Args, timeout, s.out.String())
	}
	select {
	case <-s.read:
	case <-time.After(2 * time.Second):
	}
	s.res.Stdout = s.out.String()
	s.res.ExitCode = exitCode(s.cmd, err)
	logResult(s.t, s.res)
	return s.res
}
