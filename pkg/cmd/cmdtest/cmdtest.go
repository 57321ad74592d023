package cmdtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// Factory returns a Factory whose streams are buffers, and the stdout and
// stderr buffers. Its engine is never opened by flag-parsing tests: they
// run every command with a runF.
func Factory(version string) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	f := cmdutil.NewFactory(version)
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	f.IOStreams = &cmdutil.IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}
	return f, out, errOut
}

// IsUsage reports whether err is a usage error (cmdutil.FlagError).
func IsUsage(err error) bool {
	var fe *cmdutil.FlagError
	return errors.As(err, &fe)
}

// Execute runs cmd with args, with cobra's own printing silenced.
func Execute(cmd *cobra.Command, args []string) error {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return cmdutil.ParseError(c.CommandPath(), err) })
	return cmd.ExecuteContext(context.Background())
}

// CheckErr checks the outcome of a command: wantErr says whether an error
// is expected, called whether runF ran. A usage error must not reach runF
// and must map to exit code 125. It reports whether the test should go on
// to compare the parsed options.
func CheckErr(t *testing.T, err error, wantErr, called bool) bool {
	t.Helper()
	if wantErr {
		if err == nil {
			t.Fatal("expected an error, got none")
		}
		if called {
			t.Error("runF was called despite a usage error")
		}
		if code := cmdutil.ExitCode(err); code != 125 {
			t.Errorf("usage error %v maps to exit code %d, want 125", err, code)
		}
		return false
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if !called {
		t.Fatal("runF was not called")
	}
	return true
}

// ParseCase is one command line and the options it must parse into.
type ParseCase[O any] struct {
	Name    string
	Args    []string
	Want    O
	WantErr bool
}

// CheckParse runs every case through the command newCmd builds, with a
// runF that captures the options; fix adjusts the parsed and the wanted
// options (factory, slices cobra leaves empty, unexported fields) before
// they are compared.
func CheckParse[O any](t *testing.T, cases []ParseCase[O], newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, fix func(f *cmdutil.Factory, got, want *O)) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			f, _, _ := Factory("test")
			var got *O
			err := Execute(newCmd(f, func(o *O) error { got = o; return nil }), tt.Args)
			if !CheckErr(t, err, tt.WantErr, got != nil) {
				return
			}
			want := tt.Want
			fix(f, got, &want)
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
		})
	}
}
