package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"exit error code", &ExitError{Code: 2, Err: errors.New("boom")}, 2},
		{"container exit code", &ExitError{Code: 3}, 3},
		{"wrapped container exit code", fmt.Errorf("run: %w", &ExitError{Code: 42}), 42},
		{"wrapped exit error", fmt.Errorf("rm: %w", &ExitError{Code: 2, Err: define.ErrCtrStateInvalid}), 2},
		{"cmd not found", fmt.Errorf("start ctr: %w", define.ErrCmdNotFound), 127},
		{"cmd permission", fmt.Errorf("start ctr: %w", define.ErrCmdPermission), 126},
		{"no such container", fmt.Errorf("x: %w", define.ErrNoSuchCtr), 125},
		{"state invalid outside rm", fmt.Errorf("x: %w", define.ErrCtrStateInvalid), 125},
		{"plain error", errors.New("anything"), 125},
		{"flag error", FlagErrorf("bad flag"), 125},
		{"wrapped flag error", fmt.Errorf("x: %w", NewFlagError(errors.New("bad"))), 125},
		{"nil", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"container exit code prints nothing", &ExitError{Code: 1}, ""},
		{"wrapped container exit code prints nothing", fmt.Errorf("x: %w", &ExitError{Code: 3}), ""},
		{"exit error with err prints it", &ExitError{Code: 1, Err: fmt.Errorf("no container %q: %w", "x", define.ErrNoSuchCtr)},
			`Error: no container "x": no such container`},
		{"plain error", errors.New("boom"), "Error: boom"},
		{"whitespace collapsed to one line", errors.New("line one\n  line two\tend"), "Error: line one line two end"},
		{"usage error without a command has no help line", FlagErrorf("requires an image"), "Error: requires an image"},
		{"flag error names its command", &FlagError{Err: errors.New("unknown flag: --bogus"), Command: "pod run"},
			"Error: unknown flag: --bogus\nSee 'pod run --help'"},
		{"wrapped flag error keeps help line", fmt.Errorf("ctx: %w", &FlagError{Err: errors.New("bad"), Command: "pod ps"}),
			"Error: ctx: bad\nSee 'pod ps --help'"},
		{"parse error inside an exit error", &ExitError{Code: 125, Err: ParseError("pod rm", errors.New("bad"))}, "Error: bad\nSee 'pod rm --help'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Message(tt.err); got != tt.want {
				t.Errorf("Message() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFlagErrorKeepsChain(t *testing.T) {
	err := FlagErrorf("--since: %w", define.ErrInvalidArg)
	var fe *FlagError
	if !errors.As(err, &fe) || !errors.Is(err, define.ErrInvalidArg) || err.Error() != "--since: invalid argument" {
		t.Errorf("FlagErrorf = %q (%T)", err, err)
	}
}

func TestExitErrorError(t *testing.T) {
	if got := (&ExitError{Code: 4}).Error(); got != "exit status 4" {
		t.Errorf("nil Err: Error() = %q", got)
	}
	inner := errors.New("inner")
	e := &ExitError{Code: 1, Err: inner}
	if e.Error() != "inner" || !errors.Is(e, inner) {
		t.Errorf("ExitError does not expose its error: %q", e.Error())
	}
}

func TestErrors(t *testing.T) {
	notFound := fmt.Errorf("a: %w", define.ErrNoSuchCtr)
	running := fmt.Errorf("b: %w", define.ErrCtrStateInvalid)
	other := errors.New("c")
	for _, tt := range []struct {
		name     string
		remove   bool
		errs     []error
		wantCode int
		wantLast error
		wantOut  string
	}{
		{"nothing failed", false, nil, 0, nil, ""},
		{"nil is ignored", false, []error{nil}, 0, nil, ""},
		{"last error's code", false, []error{fmt.Errorf("x: %w", define.ErrCmdNotFound), other}, 125, other, "Error: x: OCI runtime attempted to invoke a command that was not found\n"},
		{"rm: not found is 1", true, []error{notFound}, 1, notFound, ""},
		{"rm: running is 2 and beats not found", true, []error{running, notFound}, 2, notFound, "Error: b: container state improper\n"},
		{"rm: anything else is 125 and wins", true, []error{other, running, notFound}, 125, notFound,
			"Error: c\nError: b: container state improper\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			e := NewErrors(&out)
			if tt.remove {
				e = NewRemoveErrors(&out, define.ErrNoSuchCtr, define.ErrCtrStateInvalid)
			}
			for _, err := range tt.errs {
				e.Add(err)
			}
			err := e.Err()
			if tt.wantLast == nil {
				if err != nil {
					t.Fatalf("Err() = %v", err)
				}
				return
			}
			if ExitCode(err) != tt.wantCode || !errors.Is(err, tt.wantLast) {
				t.Errorf("Err() = %v, code %d; want %v, %d", err, ExitCode(err), tt.wantLast, tt.wantCode)
			}
			if out.String() != tt.wantOut {
				t.Errorf("printed %q, want %q", out.String(), tt.wantOut)
			}
		})
	}
}

func TestNewFactoryIsLazy(t *testing.T) {
	f := NewFactory("1.2.3")
	if f.Version != "1.2.3" || f.IOStreams == nil || f.IOStreams.Out != os.Stdout || f.Engine == nil {
		t.Errorf("NewFactory: %+v", f)
	}
	// Shutdown without an opened engine must be a no-op.
	f.Shutdown()
}
