package cmdutil

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
)

// ExitError carries a verb-specific exit code (for example 1 or 2 from rm)
// with the error to print. A nil Err prints nothing.
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

// FlagError marks bad command-line usage.
func FlagError(err error) error {
	return fmt.Errorf("%w\nSee 'pod --help': %w", err, define.ErrUsage)
}

// ExitCode maps an error to pod's exit code.
func ExitCode(err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return define.ExitCode(err)
}

// Message is the one line printed for err on stderr ("" when nothing is to
// be printed, e.g. a container's own non-zero exit code).
func Message(err error) string {
	var ee *ExitError
	if errors.As(err, &ee) && ee.Err == nil {
		return ""
	}
	var ce *define.ExitCodeError
	if errors.As(err, &ce) {
		return ""
	}
	msg := err.Error()
	if i := strings.Index(msg, "\nSee 'pod --help'"); i >= 0 {
		return "Error: " + msg[:i] + "\nSee 'pod --help'"
	}
	return "Error: " + strings.Join(strings.Fields(msg), " ")
}

// CheckAuthFile refuses an --authfile that does not exist.
func CheckAuthFile(path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("credential file is not accessible: %w: check --authfile: %w", err, define.ErrInvalidArg)
	}
	return nil
}
