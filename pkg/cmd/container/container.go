package container

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// NewCmdContainer returns the `pod container` noun with its verbs.
func NewCmdContainer(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "container",
		Short: "Manage containers",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	ls := NewCmdPs(f, nil)
	ls.Use = "list [options]"
	ls.Aliases = []string{"ls", "ps"}
	cmd.AddCommand(
		NewCmdCreate(f, nil), NewCmdStart(f, nil), NewCmdAttach(f, nil), NewCmdExec(f, nil), NewCmdRestart(f, nil), NewCmdPort(f, nil), NewCmdRun(f, nil), ls, NewCmdLogs(f, nil),
		NewCmdStop(f, nil), NewCmdKill(f, nil), NewCmdPause(f, nil), NewCmdUnpause(f, nil), NewCmdRm(f, nil), NewCmdWait(f, nil),
		NewCmdContainerInspect(f, nil), NewCmdCleanup(f, nil), NewCmdRename(f, nil), NewCmdExists(f, nil), NewCmdPrune(f, nil),
		NewCmdCp(f, nil),
		NewCmdTop(f, nil), NewCmdDiff(f, nil), NewCmdMount(f, nil), NewCmdUnmount(f, nil), NewCmdStats(f, nil),
		NewCmdCommit(f, nil), NewCmdExport(f, nil),
	)
	return cmd
}
