package container

import (
	"bytes"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// isUsage reports whether err is pod's own usage error (FlagError).
func isUsage(err error) bool { return cmdtest.IsUsage(err) }

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) { return cmdtest.Factory("test") }

func execute(cmd *cobra.Command, args []string) error { return cmdtest.Execute(cmd, args) }

func checkErr(t *testing.T, err error, wantErr, called bool) bool {
	t.Helper()
	return cmdtest.CheckErr(t, err, wantErr, called)
}
