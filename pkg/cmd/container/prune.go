package container

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

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
	po, err := cmdutil.ParsePruneFilters(o.Filters, time.Now())
	if err != nil {
		return err
	}
	io := o.Factory.IOStreams
	if !o.Force && !io.Confirm("WARNING! This will remove all non running containers.") {
		return nil
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	rep, err := e.PruneContainers(ctx, po)
	if err != nil {
		return err
	}
	for _, id := range rep.Containers {
		fmt.Fprintln(io.Out, id)
	}
	errs := cmdutil.NewErrors(io.ErrOut)
	for _, err := range rep.Errors {
		errs.Add(err)
	}
	return errs.Err()
}
