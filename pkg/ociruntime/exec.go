package ociruntime

import (
	"errors"
	"os"
	"os/exec"
)

// ExecOptions are the options of one `exec`.
type ExecOptions struct {
	ProcessFile   string // --process: the process spec (JSON)
	LogFile       string // global --log: the runtime's own messages, in JSON
	PidFile       string // --pid-file ("" = none)
	ConsoleSocket string // --console-socket ("" = none)
	Detach        bool   // --detach: return once the process runs
}

// ExecCommand returns the runtime command that runs a process in container
// id. It has no timeout: a foreground process runs as long as it likes.
// The caller sets its stdio; with neither a terminal nor --detach the
// process inherits them.
func (r *Runtime) ExecCommand(id string, o ExecOptions) *exec.Cmd {
	args := make([]string, 0, 16)
	if r.Root != "" {
		args = append(args, "--root", r.Root)
	}
	args = append(args, r.ExtraArgs...)
	if o.LogFile != "" {
		args = append(args, "--log", o.LogFile, "--log-format", "json")
	}
	args = append(args, "exec", "--process", o.ProcessFile)
	if o.Detach {
		args = append(args, "--detach")
	}
	if o.PidFile != "" {
		args = append(args, "--pid-file", o.PidFile)
	}
	if o.ConsoleSocket != "" {
		args = append(args, "--console-socket", o.ConsoleSocket)
	}
	args = append(args, id)
	return exec.Command(r.Path, args...)
}

// ExecError tells a failed exec (an *Error matching ErrNotFound,
// ErrPermission or ErrNotExist) from a process that ran and exited with a
// non-zero code (nil): only the first leaves a message in the runtime's
// log file.
func (r *Runtime) ExecError(id, logFile string, runErr error) error {
	if runErr == nil {
		return nil
	}
	var exitErr *exec.ExitError
	out, _ := os.ReadFile(logFile)
	msg, _ := scanMessages(out)
	if msg == "" && errors.As(runErr, &exitErr) {
		return nil
	}
	return r.newError("exec", id, msg, runErr)
}
