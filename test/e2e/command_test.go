package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// ---------------------------------------------------------------- running commands

// RunOpts tunes one command.
type RunOpts struct {
	Stdin   string
	Timeout time.Duration
	Env     []string // extra KEY=VALUE for the command
	TTY     bool     // give the command a pseudo-terminal as stdin/stdout/stderr
	Program string   // run this program instead of the engine (e.g. "sh")
	NoXDG   bool     // run without XDG_RUNTIME_DIR (as from cron, su or sudo -u)
}

// Result is the outcome of one command.
type Result struct {
	Args      []string
	Stdout    string
	Stderr    string // with known podman host warnings removed in podman mode
	RawStderr string
	ExitCode  int
	Duration  time.Duration
	TimedOut  bool
}

// Out is stdout without surrounding white space.
func (r *Result) Out() string { return strings.TrimSpace(r.Stdout) }

// Lines splits trimmed stdout into lines; none for empty output.
func (r *Result) Lines() []string { return splitLines(r.Stdout) }

func splitLines(s string) []string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func (r *Result) describe() string {
	return fmt.Sprintf("`%s` exited %d%s after %.1fs\n--- stdout:\n%s\n--- stderr:\n%s",
		strings.Join(r.Args, " "), r.ExitCode, map[bool]string{true: " (TIMED OUT)"}[r.TimedOut],
		r.Duration.Seconds(), clip(r.Stdout), clip(r.RawStderr))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:2000] + "\n[...]\n" + s[len(s)-2000:]
	}
	return s
}

// Pod runs the engine with args in the environment.
func (e *Env) Pod(t testing.TB, args ...string) *Result {
	t.Helper()
	return e.run(t, RunOpts{}, args...)
}

// PodOpt runs the engine with args and options.
func (e *Env) PodOpt(t testing.TB, o RunOpts, args ...string) *Result {
	t.Helper()
	return e.run(t, o, args...)
}

// MustPod runs the engine and fails the test unless it exits 0.
func (e *Env) MustPod(t testing.TB, args ...string) *Result {
	t.Helper()
	r := e.run(t, RunOpts{}, args...)
	if r.ExitCode != 0 {
		t.Fatalf("command failed: %s", r.describe())
	}
	return r
}

func (e *Env) command(ctx context.Context, o RunOpts, args []string) *exec.Cmd {
	envv := []string{"HOME=" + e.Home}
	if !e.opts.NoXDG && !o.NoXDG {
		envv = append(envv, "XDG_RUNTIME_DIR="+e.RunDir)
	}
	envv = append(envv, "PATH="+cfg.binDir+":"+hostPath)
	envv = append(envv, o.Env...)
	prog := cfg.binary
	if o.Program != "" {
		prog = o.Program
	}
	full := append([]string{"-u", e.User.name, "--", "env", "-i"}, envv...)
	full = append(full, prog)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, "runuser", full...)
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=" + hostPath}
	return cmd
}

func (e *Env) displayArgs(o RunOpts, args []string) []string {
	name := "pod"
	if cfg.podman {
		name = "podman"
	}
	if o.Program != "" {
		name = o.Program
	}
	return append([]string{name}, args...)
}

func (e *Env) run(t testing.TB, o RunOpts, args ...string) *Result {
	if t != nil {
		t.Helper()
	}
	if o.Timeout == 0 {
		o.Timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	cmd := e.command(ctx, o, args)
	res := &Result{Args: e.displayArgs(o, args)}
	start := time.Now()
	var err error
	if o.TTY {
		err = runWithPTY(cmd, o.Stdin, res)
	} else {
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if o.Stdin != "" {
			cmd.Stdin = strings.NewReader(o.Stdin)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		cmd.WaitDelay = 10 * time.Second
		err = cmd.Run()
		res.Stdout, res.RawStderr = stdout.String(), stderr.String()
	}
	res.Duration = time.Since(start)
	res.TimedOut = ctx.Err() != nil
	res.ExitCode = exitCode(cmd, err)
	res.Stderr = filterStderr(res.RawStderr)
	e.notePauseNS()
	if t != nil {
		logResult(t, res)
		if panicRe.MatchString(res.RawStderr) {
			t.Errorf("engine panicked or crashed: %s", res.describe())
		}
		if res.TimedOut {
			t.Errorf("command timed out after %s: %s", o.Timeout, res.describe())
		}
		if errors.Is(err, exec.ErrWaitDelay) {
			t.Errorf("`%s` exited but a process it left behind kept its stdout/stderr open",
				strings.Join(res.Args, " "))
		}
	}
	return res
}

func exitCode(cmd *exec.Cmd, err error) int {
	if cmd.ProcessState != nil {
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return cmd.ProcessState.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

var podmanNoise = []*regexp.Regexp{
	regexp.MustCompile(`level=warning msg="\\"/\\" is not a shared mount`),
}

// filterStderr drops host warnings podman prints on this machine (no systemd, "/" private)
// that say nothing about the command under test.
func filterStderr(s string) string {
	if !cfg.podman || s == "" {
		return s
	}
	var keep []string
	for _, line := range strings.SplitAfter(s, "\n") {
		drop := false
		for _, re := range podmanNoise {
			if re.MatchString(line) {
				drop = true
			}
		}
		if !drop {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

func logResult(t testing.TB, r *Result) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "$ %s  → exit %d (%.2fs)", strings.Join(r.Args, " "), r.ExitCode, r.Duration.Seconds())
	if s := strings.TrimRight(r.Stdout, "\n"); s != "" {
		fmt.Fprintf(&b, "\n  stdout: %s", indent(clip(s)))
	}
	if s := strings.TrimRight(r.RawStderr, "\n"); s != "" {
		fmt.Fprintf(&b, "\n  stderr: %s", indent(clip(s)))
	}
	t.Log(b.String())
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n          ") }

// ---------------------------------------------------------------- pseudo-terminal

func ioctl(fd uintptr, req uint, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(req), uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

// openPTY returns a new pseudo-terminal master and its unlocked slave.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if err = ioctl(master.Fd(), syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlock pty: %w", err)
	}
	var n uint32
	if err = ioctl(master.Fd(), syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty number: %w", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	ws := [4]uint16{24, 80, 0, 0}
	_ = ioctl(slave.Fd(), syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	return master, slave, nil
}

// runWithPTY runs cmd as the leader of a new session whose controlling terminal is a fresh
// pty; everything it writes is collected as stdout.
func runWithPTY(cmd *exec.Cmd, stdin string, res *Result) error {
	master, slave, err := openPTY()
	if err != nil {
		return err
	}
	defer master.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		slave.Close()
		return err
	}
	slave.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&out, master) // ends with EIO once every holder of the slave is gone
		close(done)
	}()
	if stdin != "" {
		master.Write([]byte(stdin))
	}
	err = cmd.Wait()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	master.Close()
	<-done
	res.Stdout = out.String()
	return err
}

// ---------------------------------------------------------------- background commands

// syncBuffer is a bytes.Buffer safe to read while the command writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Bg is a command running while the test does other things.
type Bg struct {
	cmd    *exec.Cmd
	res    *Result
	stdout syncBuffer
	stderr syncBuffer
	start  time.Time
	done   chan error
	cancel context.CancelFunc
	once   sync.Once
}

// PodBG starts the engine with args and returns at once.
func (e *Env) PodBG(t testing.TB, args ...string) *Bg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	o := RunOpts{}
	b := &Bg{cmd: e.command(ctx, o, args), res: &Result{Args: e.displayArgs(o, args)}, done: make(chan error, 1), cancel: cancel}
	b.cmd.Stdout, b.cmd.Stderr = &b.stdout, &b.stderr
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	b.cmd.Cancel = func() error { return syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL) }
	b.cmd.WaitDelay = 10 * time.Second
	b.start = time.Now()
	if err := b.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting %v: %v", b.res.Args, err)
	}
	go func() { b.done <- b.cmd.Wait() }()
	t.Cleanup(func() { b.Kill() })
	return b
}

// Exited reports whether the command has finished, without waiting.
func (b *Bg) Exited() bool {
	select {
	case err := <-b.done:
		b.done <- err
		return true
	default:
		return false
	}
}

// Wait waits up to timeout for the command and returns its result.
func (b *Bg) Wait(t testing.TB, timeout time.Duration) *Result {
	t.Helper()
	var err error
	select {
	case err = <-b.done:
		b.done <- err
	case <-time.After(timeout):
		b.Kill()
		err = <-b.done
		b.done <- err
		b.res.TimedOut = true
	}
	b.res.Duration = time.Since(b.start)
	b.res.Stdout, b.res.RawStderr = b.stdout.String(), b.stderr.String()
	b.res.Stderr = filterStderr(b.res.RawStderr)
	b.res.ExitCode = exitCode(b.cmd, err)
	logResult(t, b.res)
	if panicRe.MatchString(b.res.RawStderr) {
		t.Errorf("engine panicked or crashed: %s", b.res.describe())
	}
	if b.res.TimedOut {
		t.Errorf("background command did not finish within %s: %s", timeout, b.res.describe())
	}
	return b.res
}

// EnginePID returns the pid of the engine process started by this command (the
// shallowest descendant of runuser whose executable is the engine), or 0.
func (b *Bg) EnginePID() int {
	children := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		children[ppid] = append(children[ppid], pid)
	}
	queue := []int{b.cmd.Process.Pid}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe == cfg.binary {
			return pid
		}
		queue = append(queue, children[pid]...)
	}
	return 0
}

// Kill stops the command's process group.
func (b *Bg) Kill() {
	b.once.Do(func() {
		if b.cmd.Process != nil {
			syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		}
		b.cancel()
	})
}
