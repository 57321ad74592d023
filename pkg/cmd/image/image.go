package image

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmd/container"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// NewCmdImage returns the `pod image` noun with its verbs.
func NewCmdImage(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "image",
		Short: "Manage images",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	ls := NewCmdImages(f, nil)
	ls.Use = "list [options] [IMAGE]"
	ls.Aliases = []string{"ls"}
	rm := NewCmdRmi(f, nil)
	rm.Use = "rm [options] IMAGE [IMAGE...]"
	insp := container.NewCmdInspect(f, nil)
	insp.Use = "inspect [options] IMAGE [IMAGE...]"
	_ = insp.Flags().Set("type", "image")
	cmd.AddCommand(NewCmdPull(f, nil), NewCmdPush(f, nil), ls, rm, insp, NewCmdTag(f, nil), NewCmdUntag(f, nil), NewCmdHistory(f, nil), NewCmdSave(f, nil), NewCmdLoad(f, nil), NewCmdPrune(f, nil),
		NewCmdExists(f, nil), NewCmdTree(f, nil), NewCmdSearch(f, nil), NewCmdImport(f, nil), NewCmdBuild(f, nil))
	return cmd
}
