package volume

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PruneOptions are the inputs of `pod volume prune`.
type PruneOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	Filters []string
}

// NewCmdPrune returns `pod volume prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	o := &PruneOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "prune [options]",
		Short:   "Remove all unused volumes",
		Example: "  pod volume prune -f --filter label=tmp",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPrune(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	cmd.Flags().StringArrayVar(&o.Filters, "filter", nil, "remove only the volumes the filters select: until=, label=, label!=")
	return cmd
}

// runPrune lists what would go and asks (unless -f), then removes every
// volume no container uses and prints the names.
func runPrune(ctx context.Context, o *PruneOptions) error {
	e, po, err := cmdutil.ConfirmPrune(o.Factory, cmdutil.PruneRequest{
		Filters: o.Filters, Force: o.Force,
		Warning: "WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:",
		Preview: func(e cmdutil.Engine, po libpod.PruneOptions) ([]string, error) {
			names, _, err := e.PruneVolumes(ctx, po, true)
			return names, err
		},
	})
	if err != nil || e == nil {
		return err
	}
	removed, failed, err := e.PruneVolumes(ctx, po, false)
	if err != nil {
		return err
	}
	// Each failure is its own "Error:" line, the last one as the
	// verb's error (exit 125).
	return cmdutil.PrintPruned(o.Factory.IOStreams, removed, failed)
}
