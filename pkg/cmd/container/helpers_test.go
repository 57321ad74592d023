package container

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// testFactory returns a Factory whose streams are buffers. Its Runtime is
// never opened by these tests: every command runs with a runF.
func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	f := cmdutil.NewFactory("test")
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	f.IOStreams = &cmdutil.IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}
	return f, out, errOut
}

// execute runs cmd with args, with cobra's own printing silenced.
func execute(cmd *cobra.Command, args []string) error {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	return cmd.Execute()
}

// checkErr checks the outcome of a command: wantErr says whether an error
// is expected, called whether runF ran. A usage error must not reach runF.
func checkErr(t *testing.T, err error, wantErr, called bool) bool {
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

// isUsage reports whether err is pod's own usage error (FlagError).
func isUsage(err error) bool { return errors.Is(err, define.ErrUsage) }

// parseCase is one command line and the options it must parse into.
type parseCase[O any] struct {
	name    string
	args    []string
	want    O
	wantErr bool
}

// checkParse runs every case through the command newCmd builds, with a
// runF that captures the options; fix adjusts the parsed and the wanted
// options (factory, slices cobra leaves empty, unexported fields) before
// they are compared.
func checkParse[O any](t *testing.T, cases []parseCase[O], newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, fix func(f *cmdutil.Factory, got, want *O)) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *O
			err := execute(newCmd(f, func(o *O) error { got = o; return nil }), tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			want := tt.want
			fix(f, got, &want)
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
		})
	}
}
