package system

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// PruneOptions are the inputs of `pod system prune`.
type PruneOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Volumes bool
	Filters []string
	Force   bool
}

// NewCmdPrune returns `pod system prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	o := &PruneOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "prune [options]",
		Short: "Remove stopped containers and unused images",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPrune(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "remove all unused images, not only dangling ones")
	fl.BoolVar(&o.Volumes, "volumes", false, "prune volumes (pod has none yet)")
	fl.StringArrayVar(&o.Filters, "filter", nil, "provide filter values (until=, label=, label!=)")
	fl.BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	return cmd
}

func runPrune(ctx context.Context, o *PruneOptions) error {
	po, err := cmdutil.ParsePruneFilters(o.Filters, time.Now())
	if err != nil {
		return err
	}
	po.All = o.All
	io := o.Factory.IOStreams
	if !o.Force {
		what := "all dangling images"
		if o.All {
			what = "all images without at least one container associated with them"
		}
		if !io.Confirm("WARNING! This command removes:\n\t- all stopped containers\n\t- " + what + "\n") {
			return nil
		}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	rep, err := e.Prune(ctx, po)
	if err != nil {
		return err
	}
	if len(rep.Containers) > 0 {
		fmt.Fprintln(io.Out, "Deleted Containers")
		for _, id := range rep.Containers {
			fmt.Fprintln(io.Out, id)
		}
	}
	if len(rep.Images) > 0 {
		fmt.Fprintln(io.Out, "Deleted Images")
		for _, id := range rep.Images {
			fmt.Fprintln(io.Out, id)
		}
	}
	fmt.Fprintf(io.Out, "Total reclaimed space: %s\n", strings.ReplaceAll(report.HumanSize(rep.Reclaimed), " ", ""))
	errs := cmdutil.NewErrors(io.ErrOut)
	for _, err := range rep.Errors {
		errs.Add(err)
	}
	return errs.Err()
}
