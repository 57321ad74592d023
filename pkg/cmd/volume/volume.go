package volume

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// NewCmdVolume returns the `pod volume` noun with its verbs.
func NewCmdVolume(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "volume",
		Short: "Manage volumes",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		NewCmdCreate(f, nil),
		NewCmdExists(f, nil),
		NewCmdExport(f, nil),
		NewCmdImport(f, nil),
		NewCmdInspect(f, nil),
		NewCmdLs(f, nil),
		NewCmdMount(f, nil),
		NewCmdPrune(f, nil),
		NewCmdRm(f, nil),
		NewCmdUnmount(f, nil),
	)
	return cmd
}
