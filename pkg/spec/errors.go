package spec

import (
	"fmt"

	"github.com/pod-engine/pod/libpod/define"
)

// argError is a user-facing message that matches define.ErrInvalidArg with
// errors.Is without repeating the sentinel's text.
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

func (e *argError) Unwrap() error { return define.ErrInvalidArg }

// invalidArg formats a message as an error wrapping define.ErrInvalidArg.
func invalidArg(format string, args ...any) error {
	return &argError{msg: fmt.Sprintf(format, args...)}
}
