package system

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
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
	what := "all dangling images"
	if o.All {
		what = "all images without at least one container associated with them"
	}
	rep, err := cmdutil.RunPrune(o.Factory, cmdutil.PruneRequest{
		Filters: o.Filters, All: o.All, Force: o.Force,
		Warning: "WARNING! This command removes:\n\t- all stopped containers\n\t- " + what + "\n",
		Prune: func(e cmdutil.Engine, po libpod.PruneOptions) (*libpod.PruneReport, error) {
			return e.Prune(ctx, po)
		},
	})
	if err != nil || rep == nil {
		return err
	}
	io := o.Factory.IOStreams
	if len(rep.Containers) > 0 {
		fmt.Fprintln(io.Out, "Deleted Containers")
	}
	_ = cmdutil.PrintPruned(io, rep.Containers, nil) // no errors: nothing to report yet
	if len(rep.Images) > 0 {
		fmt.Fprintln(io.Out, "Deleted Images")
	}
	_ = cmdutil.PrintPruned(io, rep.Images, nil)
	fmt.Fprintf(io.Out, "Total reclaimed space: %s\n", strings.ReplaceAll(report.HumanSize(rep.Reclaimed), " ", ""))
	return cmdutil.PrintPruned(io, nil, rep.Errors)
}
