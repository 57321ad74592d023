package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// ExitError is the one error type that carries an exit code to the edge:
// a container's own exit code (Err nil: nothing is printed) or a verb's own
// code for Err (rm's 1 and 2, for example).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// FlagError is bad command-line usage: an unknown flag, a bad flag value,
// missing or extra arguments. It maps to exit code 125, and never reaches
// a command's runF.
type FlagError struct {
	Err error
	// Command is the path of the command whose flags failed to parse
	// ("pod run"); when set, the message points at its help.
	Command string
}

func (e *FlagError) Error() string { return e.Err.Error() }

func (e *FlagError) Unwrap() error { return e.Err }

// ParseError is the error of a command whose flags failed to parse: it
// prints with a pointer to the command's help (`See 'pod run --help'`).
func ParseError(commandPath string, err error) error {
	return &FlagError{Err: err, Command: commandPath}
}

// NewFlagError marks err as bad usage.
func NewFlagError(err error) error { return &FlagError{Err: err} }

// FlagErrorf formats a usage error.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error to pod's exit code. This is the one table from
// sentinel to code: 126 and 127 when the container's command cannot be
// invoked or was not found, the code an ExitError carries, else 125.
func ExitCode(err error) int {
	var ee *ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, define.ErrCmdNotFound):
		return protocol.ExitCodeNotFound
	case errors.Is(err, define.ErrCmdPermission):
		return protocol.ExitCodeCannotInvoke
	}
	return protocol.ExitCodePodFailed
}

// removeExitCode is the code of rm and rmi for one error: 1 when the
// object did not exist, 2 when it is running or in use, else ExitCode's.
func removeExitCode(notFound, inUse error) func(error) int {
	return func(err error) int {
		switch {
		case errors.Is(err, notFound):
			return 1
		case errors.Is(err, inUse):
			return 2
		}
		return ExitCode(err)
	}
}

// Message is the one line printed for err on stderr ("" when nothing is to
// be printed, e.g. a container's own non-zero exit code). A usage error
// gets a second line pointing at the command's help.
func Message(err error) string {
	var ee *ExitError
	if errors.As(err, &ee) && ee.Err == nil {
		return ""
	}
	msg := "Error: " + strings.Join(strings.Fields(err.Error()), " ")
	var fe *FlagError
	if errors.As(err, &fe) && fe.Command != "" {
		msg += "\nSee '" + fe.Command + " --help'"
	}
	return msg
}

// Errors collects the failures of a verb acting on several objects: each
// one is printed when the next arrives, and Err returns the last with the
// verb's exit code.
type Errors struct {
	errOut io.Writer
	last   error
	code   int
	codeOf func(error) int // nil: the last error's ExitCode
}

// NewErrors collects errors whose exit code is the last one's.
func NewErrors(errOut io.Writer) *Errors { return &Errors{errOut: errOut} }

// NewRemoveErrors collects the errors of a remove verb (rm, rmi), whose
// exit code is 1 when an object did not exist (notFound), 2 when one is
// running or in use (inUse), 125 for anything else; over several errors the
// highest wins.
func NewRemoveErrors(errOut io.Writer, notFound, inUse error) *Errors {
	return &Errors{errOut: errOut, codeOf: removeExitCode(notFound, inUse)}
}

// Add records err (nil is ignored), printing the previous one.
func (e *Errors) Add(err error) {
	if err == nil {
		return
	}
	if e.last != nil {
		fmt.Fprintln(e.errOut, Message(e.last))
	}
	e.last = err
	if e.codeOf == nil {
		e.code = ExitCode(err)
		return
	}
	e.code = max(e.code, e.codeOf(err))
}

// Err returns nil when nothing failed, else the last error with the exit
// code.
func (e *Errors) Err() error {
	if e.last == nil {
		return nil
	}
	return &ExitError{Code: e.code, Err: e.last}
}
