package container

import (
	"bytes"
	"errors"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

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

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) { return cmdtest.Factory("test") }

func execute(cmd *cobra.Command, args []string) error { return cmdtest.Execute(cmd, args) }

func checkErr(t *testing.T, err error, wantErr, called bool) bool {
	t.Helper()
	return cmdtest.CheckErr(t, err, wantErr, called)
}
