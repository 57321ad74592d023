package network

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// NewCmdNetwork returns the `pod network` noun with its verbs.
func NewCmdNetwork(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "network",
		Short: "Manage networks",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		NewCmdConnect(f, nil),
		NewCmdCreate(f, nil),
		NewCmdDisconnect(f, nil),
		NewCmdExists(f, nil),
		NewCmdInspect(f, nil),
		NewCmdLs(f, nil),
		NewCmdPrune(f, nil),
		NewCmdReattach(f, nil),
		NewCmdReload(f, nil),
		NewCmdRm(f, nil),
	)
	return cmd
}
