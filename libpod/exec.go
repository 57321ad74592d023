package libpod

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/spec"
)

// ExecOptions are the inputs of an exec session, as the user gave them.
type ExecOptions struct {
	Cmd         []string
	Env         []string // -e values
	EnvFiles    []string // --env-file paths
	User        string   // -u: "" = the container's user
	WorkDir     string   // -w: "" = the container's
	Tty         bool
	Interactive bool // the process reads Streams.Stdin
	Detach      bool
	Privileged  bool
	// Streams: the CLI's stdio, terminal size and detach keys (foreground
	// sessions only).
	Streams *AttachStreams
}

// execConsoleTimeout bounds the wait for the runtime's terminal.
const execConsoleTimeout = 10 * time.Second

// ExecContainer runs a process in a running container. Detached, it returns
// (nil, nil) once the process runs. In the foreground the Attachment's Wait
// returns the process's exit code, or define.ErrDetach after the detach
// keys (with a terminal). A container that does not run gives
// define.ErrCtrStateInvalid.
func (r *Runtime) ExecContainer(nameOrID string, o *ExecOptions) (Attachment, error) {
	if len(o.Cmd) == 0 {
		return nil, fmt.Errorf("exec requires a command to run: %w", define.ErrInvalidArg)
	}
	streams := o.Streams
	if streams == nil {
		streams = &AttachStreams{}
	}
	if err := checkDetachKeys(streams.DetachKeys); err != nil {
		return nil, err
	}
	env, err := resolveEnv(o.EnvFiles, o.Env)
	if err != nil {
		return nil, err
	}
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return nil, err
	}
	proc, err := c.execProcess(o, env, streams)
	if err != nil {
		return nil, err
	}
	oci, err := r.OCIRuntime()
	if err != nil {
		return nil, err
	}
	sess, err := c.exec(oci, proc, o, streams)
	if err == nil {
		c.newEvent(events.Exec)
	}
	return sess, err
}

// execProcess checks that c runs and returns the session's process spec,
// built from the container's own.
func (c *Container) execProcess(o *ExecOptions, env []string, streams *AttachStreams) (*specs.Process, error) {
	unlock, err := c.lockAndSync()
	if err != nil {
		return nil, err
	}
	defer unlock()
	switch c.State.Status {
	case define.StatusRunning:
	case define.StatusPaused:
		return nil, fmt.Errorf("container %s is paused: unpause it first: can only create exec sessions on running containers: %w", c.Name(), define.ErrCtrStateInvalid)
	default:
		return nil, fmt.Errorf("can only create exec sessions on running containers: %w", define.ErrCtrStateInvalid)
	}
	var base specs.Spec
	data, err := os.ReadFile(filepath.Join(c.runDir(), "bundle", "config.json"))
	if err == nil {
		err = json.Unmarshal(data, &base)
	}
	if err != nil || base.Process == nil {
		return nil, fmt.Errorf("exec in container %s: read its runtime spec: %v: %w", c.Name(), err, define.ErrRuntime)
	}
	eo := spec.ExecOptions{
		Args: o.Cmd, Env: env, WorkDir: o.WorkDir, Terminal: o.Tty,
		Rows: streams.Rows, Cols: streams.Cols, Privileged: o.Privileged, CapLastCap: capLastCap(),
	}
	if o.User != "" {
		// The start's extended /etc/passwd and /etc/group, if it wrote any.
		pw, _ := os.ReadFile(filepath.Join(c.runDir(), "passwd"))
		gr, _ := os.ReadFile(filepath.Join(c.runDir(), "group"))
		u, err := spec.ResolveUserWith(c.State.Mountpoint, o.User, pw, gr)
		if err != nil {
			return nil, fmt.Errorf("exec in container %s: %w", c.Name(), err)
		}
		eo.User = &u
	}
	return spec.ExecProcess(base.Process, eo), nil
}

// exec runs proc through the runtime; see ExecContainer.
func (c *Container) exec(oci *ociruntime.Runtime, proc *specs.Process, o *ExecOptions, streams *AttachStreams) (_ Attachment, retErr error) {
	dir, err := ociruntime.NewTmpDir(c.runDir())
	if err != nil {
		return nil, fmt.Errorf("exec in container %s: %w", c.Name(), err)
	}
	defer func() {
		if retErr != nil || o.Detach {
			os.RemoveAll(dir)
		}
	}()
	eo := ociruntime.ExecOptions{
		ProcessFile: filepath.Join(dir, "process.json"),
		LogFile:     filepath.Join(dir, "runtime.log"),
		Detach:      o.Detach,
	}
	if err := writeProcessFile(eo.ProcessFile, proc); err != nil {
		return nil, err
	}
	s := &execSession{c: c, dir: dir, oci: oci, logFile: eo.LogFile, streams: streams}
	if o.Tty && !o.Detach {
		return s, s.startTerminal(eo, o.Interactive)
	}
	cmd := oci.ExecCommand(c.ID(), eo)
	if !o.Detach {
		cmd.Stdout, cmd.Stderr = streams.Stdout, streams.Stderr
		if o.Interactive && streams.Stdin != nil {
			cmd.Stdin = streams.Stdin
		}
	}
	if o.Detach {
		if err := oci.ExecError(c.ID(), eo.LogFile, cmd.Run()); err != nil {
			return nil, c.execFailed(err)
		}
		return nil, nil
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("exec in container %s: %w", c.Name(), err)
	}
	s.cmd = cmd
	return s, nil
}

// execFailed turns the runtime's failure into the error the user sees.
func (c *Container) execFailed(err error) error {
	var rerr *ociruntime.Error
	msg := err.Error()
	if errors.As(err, &rerr) {
		msg = rerr.UserMessage()
	}
	switch {
	case errors.Is(err, ociruntime.ErrPermission):
		return fmt.Errorf("%s: %w", msg, define.ErrCmdPermission)
	case errors.Is(err, ociruntime.ErrNotFound):
		return fmt.Errorf("%s: %w", msg, define.ErrCmdNotFound)
	}
	return fmt.Errorf("exec in container %s: %s: %w", c.Name(), msg, define.ErrRuntime)
}

// execSession is a foreground exec: the runtime's own process without a
// terminal (it passes its stdio on), or, with one, the session's process
// itself, re-parented to this process, with the terminal master.
type execSession struct {
	c       *Container
	dir     string
	oci     *ociruntime.Runtime
	logFile string
	streams *AttachStreams
	cmd     *exec.Cmd // without a terminal

	pid        int      // with a terminal: the process, our child by now
	master     *os.File // with a terminal
	output     chan struct{}
	exited     chan unix.WaitStatus
	detach     chan struct{} // closed by the detach keys
	detachOnce sync.Once
}

var _ Attachment = (*execSession)(nil)

// startTerminal starts the process detached with a terminal: this process
// becomes a subreaper first, so that the process is re-parented to it when
// the runtime exits and its exit code can be read.
func (s *execSession) startTerminal(eo ociruntime.ExecOptions, interactive bool) error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("exec in container %s: become a subreaper: %w", s.c.Name(), err)
	}
	cs, err := ociruntime.ListenConsole(s.dir)
	if err != nil {
		return err
	}
	defer cs.Close()
	eo.Detach, eo.ConsoleSocket, eo.PidFile = true, cs.Path, filepath.Join(s.dir, "pid")
	cmd := s.oci.ExecCommand(s.c.ID(), eo)
	if err := s.oci.ExecError(s.c.ID(), eo.LogFile, cmd.Run()); err != nil {
		return s.c.execFailed(err)
	}
	if s.master, err = cs.Receive(execConsoleTimeout); err != nil {
		return fmt.Errorf("exec in container %s: %w", s.c.Name(), err)
	}
	if s.pid, err = readPid(eo.PidFile); err != nil {
		s.master.Close()
		return fmt.Errorf("exec in container %s: %w", s.c.Name(), err)
	}
	s.exited, s.detach = make(chan unix.WaitStatus, 1), make(chan struct{})
	go func() {
		for {
			var ws unix.WaitStatus
			wpid, err := unix.Wait4(s.pid, &ws, 0, nil)
			if err == unix.EINTR {
				continue
			}
			if err != nil || wpid != s.pid {
				ws = unix.WaitStatus(255 << 8)
			}
			s.exited <- ws
			return
		}
	}()
	s.output = make(chan struct{})
	go func() {
		defer close(s.output)
		if s.streams.Stdout != nil {
			_, _ = io.Copy(s.streams.Stdout, s.master)
		} else {
			_, _ = io.Copy(io.Discard, s.master)
		}
	}()
	if interactive && s.streams.Stdin != nil {
		keys, _ := protocol.ParseDetachKeys(s.streams.DetachKeys)
		go s.copyInput(keys)
	}
	return nil
}

// copyInput copies the user's input to the terminal until EOF or the
// detach keys.
func (s *execSession) copyInput(keys []byte) {
	scan := protocol.NewDetachScanner(keys)
	buf := make([]byte, 4096)
	for {
		n, err := s.streams.Stdin.Read(buf)
		if n > 0 {
			pass, detach := scan.Scan(buf[:n])
			if len(pass) > 0 {
				if _, werr := s.master.Write(pass); werr != nil {
					return
				}
			}
			if detach {
				s.detachOnce.Do(func() { close(s.detach) })
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Pid returns the process signals are proxied to.
func (s *execSession) Pid() int {
	if s.cmd != nil {
		return s.cmd.Process.Pid
	}
	return s.pid
}

// Resize sets the session terminal's size.
func (s *execSession) Resize(rows, cols uint16) {
	if s.master != nil {
		_ = unix.IoctlSetWinsize(int(s.master.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	}
}

// Wait returns the process's exit code.
func (s *execSession) Wait() (int, error) {
	if s.cmd != nil {
		err := s.cmd.Wait()
		if ferr := s.oci.ExecError(s.c.ID(), s.logFile, err); ferr != nil {
			return -1, s.c.execFailed(ferr)
		}
		return s.cmd.ProcessState.ExitCode(), nil
	}
	var ws unix.WaitStatus
	select {
	case <-s.detach:
		return -1, define.ErrDetach
	case ws = <-s.exited:
	}
	// The terminal hangs up once every process holding it is gone.
	select {
	case <-s.output:
	case <-time.After(time.Second):
	}
	switch {
	case ws.Exited():
		return ws.ExitStatus(), nil
	case ws.Signaled():
		return protocol.ExitCodeSignalBase + int(ws.Signal()), nil
	}
	return 255, nil
}

// readPid reads the pid file the runtime wrote.
func readPid(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read pid file: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("pid file %s: bad pid %q", path, data)
	}
	return pid, nil
}

// Finish removes the session's files. After a detach, a `cat` in its own
// session keeps reading the terminal, so the process does not get a
// hang-up when this process exits.
func (s *execSession) Finish() error {
	defer os.RemoveAll(s.dir)
	detached := false
	if s.detach != nil {
		select {
		case <-s.detach:
			detached = true
		default:
		}
	}
	if detached && s.master != nil {
		// cat reads with blocking reads: the descriptor is shared.
		_ = unix.SetNonblock(int(s.master.Fd()), false)
		holder := exec.Command("cat")
		holder.Stdin = s.master
		holder.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if holder.Start() == nil {
			_ = holder.Process.Release()
		}
	}
	if s.master != nil {
		s.master.Close()
	}
	return nil
}

// writeProcessFile writes a process spec into a private temporary
// directory: nothing reads it after a crash, so it is not synced.
func writeProcessFile(path string, proc any) error {
	data, err := json.Marshal(proc)
	if err == nil {
		err = os.WriteFile(path, data, 0o600)
	}
	if err != nil {
		return fmt.Errorf("write the process spec %s: %w", path, err)
	}
	return nil
}

// killPid sends SIGKILL to pid.
func killPid(pid int) error { return unix.Kill(pid, unix.SIGKILL) }
