package cmdutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
		{"exit error nil err", &ExitError{Code: 1}, 1},
		{"wrapped exit error", fmt.Errorf("rm: %w", &ExitError{Code: 2, Err: define.ErrCtrStateInvalid}), 2},
		{"container exit code", &define.ExitCodeError{Code: 3}, 3},
		{"wrapped container exit code", fmt.Errorf("run: %w", &define.ExitCodeError{Code: 42}), 42},
		{"cmd not found", fmt.Errorf("start ctr: %w", define.ErrCmdNotFound), 127},
		{"cmd permission", fmt.Errorf("start ctr: %w", define.ErrCmdPermission), 126},
		{"no such container", fmt.Errorf("x: %w", define.ErrNoSuchCtr), 125},
		{"plain error", errors.New("anything"), 125},
		{"flag error", FlagError(errors.New("bad flag")), 125},
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
		{"exit error without err prints nothing", &ExitError{Code: 1}, ""},
		{"wrapped exit error without err prints nothing", fmt.Errorf("x: %w", &ExitError{Code: 3}), ""},
		{"container exit code prints nothing", &define.ExitCodeError{Code: 1}, ""},
		{"wrapped container exit code prints nothing", fmt.Errorf("run: %w", &define.ExitCodeError{Code: 7}), ""},
		{"exit error with err prints it", &ExitError{Code: 1, Err: fmt.Errorf("no container %q: %w", "x", define.ErrNoSuchCtr)},
			`Error: no container "x": no such container`},
		{"plain error", errors.New("boom"), "Error: boom"},
		{"whitespace collapsed to one line", errors.New("line one\n  line two\tend"), "Error: line one line two end"},
		{"flag error keeps help line", FlagError(errors.New("unknown flag: --bogus")), "Error: unknown flag: --bogus\nSee 'pod --help'"},
		{"wrapped flag error keeps help line", fmt.Errorf("ctx: %w", FlagError(errors.New("bad"))), "Error: ctx: bad\nSee 'pod --help'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Message(tt.err); got != tt.want {
				t.Errorf("Message() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFlagErrorWrapsUsage(t *testing.T) {
	err := FlagError(errors.New("missing image"))
	if !errors.Is(err, define.ErrUsage) {
		t.Errorf("FlagError does not wrap define.ErrUsage: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "missing image\nSee 'pod --help'") {
		t.Errorf("FlagError text = %q", err.Error())
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

func TestCheckAuthFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "auth.json")
	if err := os.WriteFile(good, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CheckAuthFile(""); err != nil {
		t.Errorf("empty path: %v", err)
	}
	if err := CheckAuthFile(good); err != nil {
		t.Errorf("existing file: %v", err)
	}
	missing := filepath.Join(dir, "nope.json")
	err := CheckAuthFile(missing)
	if err == nil {
		t.Fatal("missing file: no error")
	}
	if !errors.Is(err, define.ErrInvalidArg) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v does not wrap ErrInvalidArg and ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "--authfile") {
		t.Errorf("missing file: error %q does not name the file and the flag", err)
	}
	if ExitCode(err) != 125 {
		t.Errorf("exit code %d, want 125", ExitCode(err))
	}
}

func TestNewFactoryIsLazy(t *testing.T) {
	f := NewFactory("1.2.3")
	if f.Version != "1.2.3" || f.IOStreams == nil || f.IOStreams.Out != os.Stdout {
		t.Errorf("NewFactory: %+v", f)
	}
	// Shutdown without an opened runtime must be a no-op.
	f.Shutdown()
}
