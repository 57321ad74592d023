package container

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PruneOptions are the inputs of `pod container prune`.
type PruneOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	Filters []string
}

// NewCmdPrune returns `pod container prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	o := &PruneOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "prune [options]",
		Short: "Remove all non running containers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPrune(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	cmd.Flags().StringArrayVar(&o.Filters, "filter", nil, "provide filter values (until=, label=, label!=)")
	return cmd
}

func runPrune(ctx context.Context, o *PruneOptions) error {
	rep, err := cmdutil.RunPrune(o.Factory, cmdutil.PruneRequest{
		Filters: o.Filters, Force: o.Force,
		Warning: "WARNING! This will remove all non running containers.",
		Prune: func(e cmdutil.Engine, po libpod.PruneOptions) (*libpod.PruneReport, error) {
			return e.PruneContainers(ctx, po)
		},
	})
	if err != nil || rep == nil {
		return err
	}
	return cmdutil.PrintPruned(o.Factory.IOStreams, rep.Containers, rep.Errors)
}
