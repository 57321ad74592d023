package image

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PruneOptions are the inputs of `pod image prune`.
type PruneOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Force   bool
	Filters []string
}

// NewCmdPrune returns `pod image prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	o := &PruneOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "prune [options]",
		Short: "Remove unused images",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPrune(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "remove all images no container uses, not only dangling ones")
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	cmd.Flags().StringArrayVar(&o.Filters, "filter", nil, "provide filter values (until=, label=, label!=)")
	return cmd
}

func runPrune(ctx context.Context, o *PruneOptions) error {
	warning := "WARNING! This command removes all dangling images."
	if o.All {
		warning = "WARNING! This command removes all images without at least one container associated with them."
	}
	rep, err := cmdutil.RunPrune(o.Factory, cmdutil.PruneRequest{
		Filters: o.Filters, All: o.All, Force: o.Force, Warning: warning,
		Prune: func(e cmdutil.Engine, po libpod.PruneOptions) (*libpod.PruneReport, error) {
			return e.PruneImages(ctx, po)
		},
	})
	if err != nil || rep == nil {
		return err
	}
	return cmdutil.PrintPruned(o.Factory.IOStreams, rep.Images, rep.Errors)
}
