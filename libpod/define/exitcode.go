package define

import (
	"errors"
	"fmt"
)

// Exit codes shared with podman and the shell.
const (
	ExecErrorCodeGeneric      = 125 // pod itself failed
	ExecErrorCodeCannotInvoke = 126 // the container command cannot be invoked
	ExecErrorCodeNotFound     = 127 // the container command was not found
)

// ExitCodeError carries a container's own exit code (or 126/127) to the edge.
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode maps an error to the process exit code of the pod CLI.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var ec *ExitCodeError
	if errors.As(err, &ec) {
		return ec.Code
	}
	switch {
	case errors.Is(err, ErrCmdNotFound):
		return ExecErrorCodeNotFound
	case errors.Is(err, ErrCmdPermission):
		return ExecErrorCodeCannotInvoke
	}
	return ExecErrorCodeGeneric
}
