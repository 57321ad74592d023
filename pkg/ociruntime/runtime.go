package ociruntime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultTimeout bounds a runtime command whose context has no deadline.
const DefaultTimeout = 2 * time.Minute

// extraDirs are searched after $PATH: /usr/sbin is often missing from a
// user's PATH while runc lives there.
var extraDirs = [...]string{"/usr/bin", "/usr/local/bin", "/usr/sbin", "/usr/local/sbin", "/bin", "/sbin"}

// Runtime runs one OCI runtime binary.
type Runtime struct {
	Path      string   // absolute path of crun or runc
	Root      string   // state directory, passed as the global --root DIR
	ExtraArgs []string // extra global arguments, placed before the command
}

// State is the output of the runtime's state command.
type State struct {
	OCIVersion string `json:"ociVersion"`
	ID         string `json:"id"`
	Status     string `json:"status"` // creating, created, running, paused, stopped
	Pid        int    `json:"pid"`
	Bundle     string `json:"bundle"`
}

// Find locates a runtime. name "" picks crun when installed, else runc;
// "crun" or "runc" (or any other base name) forces that runtime; a path
// containing a slash is used as is. The result has no Root: set it.
func Find(name string) (*Runtime, error) {
	if name == "" {
		for _, n := range [...]string{"crun", "runc"} {
			if p, err := lookPath(n); err == nil {
				return &Runtime{Path: p}, nil
			}
		}
		return nil, ErrNoRuntime
	}
	if strings.ContainsRune(name, '/') {
		p, err := filepath.Abs(name)
		if err != nil {
			return nil, fmt.Errorf("OCI runtime %s: %w", name, err)
		}
		if err := isExecutable(p); err != nil {
			return nil, fmt.Errorf("OCI runtime %s: %w", name, err)
		}
		return &Runtime{Path: p}, nil
	}
	p, err := lookPath(name)
	if err != nil {
		return nil, fmt.Errorf("OCI runtime %s not found in $PATH or %s: %w", name, strings.Join(extraDirs[:], ", "), ErrNoRuntime)
	}
	return &Runtime{Path: p}, nil
}

func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs, nil
		}
	}
	for _, d := range extraDirs {
		p := filepath.Join(d, name)
		if isExecutable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, exec.ErrNotFound)
}

func isExecutable(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if st.IsDir() || st.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s: not an executable file", p)
	}
	return nil
}

// Name returns the runtime's base name, e.g. "crun" or "runc".
func (r *Runtime) Name() string { return filepath.Base(r.Path) }

// Create runs `create --bundle B --pid-file P [--console-socket S] ID`.
// stdio become the runtime's stdin, stdout and stderr (nil: /dev/null); the
// container process inherits them when it has no terminal. The runtime's own
// error messages are read from a JSON log file (global --log) so they stay
// apart from the container's stdio. preserve become the runtime's
// descriptors 3 on, passed on to the container (--preserve-fds).
func (r *Runtime) Create(ctx context.Context, id, bundle, pidFile, consoleSocket string, stdio [3]*os.File, preserve ...*os.File) error {
	return r.create(ctx, "create", id, bundle, pidFile, consoleSocket, stdio, preserve)
}

// RunDetached is Create and Start in one runtime process
// (`run --detach ...`): for containers that need nothing done between the
// two steps.
func (r *Runtime) RunDetached(ctx context.Context, id, bundle, pidFile, consoleSocket string, stdio [3]*os.File, preserve ...*os.File) error {
	return r.create(ctx, "run", id, bundle, pidFile, consoleSocket, stdio, preserve)
}

func (r *Runtime) create(ctx context.Context, op, id, bundle, pidFile, consoleSocket string, stdio [3]*os.File, preserve []*os.File) error {
	logf, err := os.CreateTemp(bundle, ".runtime-create-*.log")
	if err != nil {
		logf, err = os.CreateTemp("", "pod-runtime-create-*.log")
		if err != nil {
			return r.newError("create", id, "", fmt.Errorf("create runtime log file: %w", err))
		}
	}
	logPath := logf.Name()
	logf.Close()
	defer os.Remove(logPath)

	args := []string{"--log", logPath, "--log-format", "json", op}
	if op == "run" {
		args = append(args, "--detach")
	}
	args = append(args, "--bundle", bundle)
	if pidFile != "" {
		args = append(args, "--pid-file", pidFile)
	}
	if consoleSocket != "" {
		args = append(args, "--console-socket", consoleSocket)
	}
	if len(preserve) > 0 {
		args = append(args, "--preserve-fds", strconv.Itoa(len(preserve)))
	}
	args = append(args, id)

	ctx, cancel := withTimeout(ctx)
	defer cancel()
	cmd := r.command(ctx, args)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdio[0], stdio[1], stdio[2]
	cmd.ExtraFiles = preserve
	runErr := cmd.Run()
	if runErr == nil {
		return nil
	}
	out, _ := os.ReadFile(logPath)
	return r.newError(op, id, lastMessage(out), ctxErr(ctx, runErr))
}

// Start runs `start ID`.
func (r *Runtime) Start(ctx context.Context, id string) error {
	_, err := r.run(ctx, "start", id, "start", id)
	return err
}

// Kill runs `kill [--all] ID SIG`.
func (r *Runtime) Kill(ctx context.Context, id string, sig syscall.Signal, all bool) error {
	args := []string{"kill"}
	if all {
		args = append(args, "--all")
	}
	args = append(args, id, strconv.Itoa(int(sig)))
	_, err := r.run(ctx, "kill", id, args...)
	return err
}

// Delete runs `delete [--force] ID`. A container the runtime does not know
// is not an error.
func (r *Runtime) Delete(ctx context.Context, id string, force bool) error {
	args := []string{"delete"}
	if force {
		args = append(args, "--force")
	}
	args = append(args, id)
	_, err := r.run(ctx, "delete", id, args...)
	if errors.Is(err, ErrNotExist) {
		return nil
	}
	return err
}

// State runs `state ID` and parses its JSON output.
func (r *Runtime) State(ctx context.Context, id string) (*State, error) {
	out, err := r.run(ctx, "state", id, "state", id)
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(out, &st); err != nil {
		return nil, r.newError("state", id, "", fmt.Errorf("parse state output: %w", err))
	}
	return &st, nil
}

// Pause runs `pause ID`.
func (r *Runtime) Pause(ctx context.Context, id string) error {
	_, err := r.run(ctx, "pause", id, "pause", id)
	return err
}

// Resume runs `resume ID`.
func (r *Runtime) Resume(ctx context.Context, id string) error {
	_, err := r.run(ctx, "resume", id, "resume", id)
	return err
}

// Version returns the first line of `--version`, e.g. "crun version 1.8.1".
func (r *Runtime) Version(ctx context.Context) (string, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, r.Path, "--version")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		return "", r.newError("--version", "", lastMessage(stderr.Bytes()), ctxErr(ctx, err))
	}
	line, _, _ := strings.Cut(stdout.String(), "\n")
	return strings.TrimSpace(line), nil
}

// run executes a command without stdin, returns its stdout, and turns a
// failure into an *Error carrying the last message printed on stderr.
func (r *Runtime) run(ctx context.Context, op, id string, args ...string) ([]byte, error) {
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := r.command(ctx, args)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := lastMessage(stderr.Bytes())
		if msg == "" {
			msg = lastMessage(stdout.Bytes())
		}
		return nil, r.newError(op, id, msg, ctxErr(ctx, err))
	}
	return stdout.Bytes(), nil
}

func (r *Runtime) command(ctx context.Context, args []string) *exec.Cmd {
	full := make([]string, 0, len(args)+len(r.ExtraArgs)+2)
	if r.Root != "" {
		full = append(full, "--root", r.Root)
	}
	full = append(full, r.ExtraArgs...)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, r.Path, full...)
	// Output pipes may be inherited by a process the runtime leaves
	// behind: do not wait for them forever.
	cmd.WaitDelay = time.Second
	return cmd
}

func (r *Runtime) newError(op, id, msg string, err error) *Error {
	name := r.Name()
	msg = strings.TrimPrefix(msg, name+": ")
	return &Error{Runtime: name, Op: op, ID: id, Msg: msg, Err: err}
}

func withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}

// ctxErr reports a timeout or cancellation rather than the "signal: killed"
// the runtime died of.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			return fmt.Errorf("timed out: %w", cerr)
		}
		return cerr
	}
	return err
}
