package network

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PruneOptions are the inputs of `pod network prune`.
type PruneOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	Filters []string
}

// NewCmdPrune returns `pod network prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	o := &PruneOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "prune [options]",
		Short:   "Remove all unused networks",
		Example: "  pod network prune -f --filter label=tmp",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPrune(o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	cmd.Flags().StringArrayVar(&o.Filters, "filter", nil, "remove only the networks the filters select: until=, label=, label!=")
	return cmd
}

// runPrune lists what would go and asks (unless -f), then removes every
// network no container uses (never the default one) and prints the names.
func runPrune(o *PruneOptions) error {
	e, po, err := cmdutil.ConfirmPrune(o.Factory, cmdutil.PruneRequest{
		Filters: o.Filters, Force: o.Force,
		Warning: "WARNING! This will remove all networks not used by at least one container. The following networks will be removed:",
		Preview: func(e cmdutil.Engine, po libpod.PruneOptions) ([]string, error) {
			names, _, err := e.PruneNetworks(po, true)
			return names, err
		},
	})
	if err != nil || e == nil {
		return err
	}
	removed, failed, err := e.PruneNetworks(po, false)
	if err != nil {
		return err
	}
	// Each failure is its own "Error:" line, the last one as the
	// verb's error (exit 125).
	return cmdutil.PrintPruned(o.Factory.IOStreams, removed, failed)
}
