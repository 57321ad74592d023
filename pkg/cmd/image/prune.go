package image

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

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
	po, err := cmdutil.ParsePruneFilters(o.Filters, time.Now())
	if err != nil {
		return err
	}
	po.All = o.All
	io := o.Factory.IOStreams
	warning := "WARNING! This command removes all dangling images."
	if o.All {
		warning = "WARNING! This command removes all images without at least one container associated with them."
	}
	if !o.Force && !io.Confirm(warning) {
		return nil
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	rep, err := e.PruneImages(ctx, po)
	if err != nil {
		return err
	}
	for _, id := range rep.Images {
		fmt.Fprintln(io.Out, id)
	}
	errs := cmdutil.NewErrors(io.ErrOut)
	for _, err := range rep.Errors {
		errs.Add(err)
	}
	return errs.Err()
}
