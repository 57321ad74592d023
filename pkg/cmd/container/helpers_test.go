package container

import (
	"bytes"
	"errors"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// isUsage reports whether err is pod's own usage error (FlagError).
func isUsage(err error) bool { return errors.Is(err, define.ErrUsage) }

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) { return cmdtest.Factory("test") }

func execute(cmd *cobra.Command, args []string) error { return cmdtest.Execute(cmd, args) }

func checkErr(t *testing.T, err error, wantErr, called bool) bool {
	t.Helper()
	return cmdtest.CheckErr(t, err, wantErr, called)
}
