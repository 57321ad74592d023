package network

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ReattachOptions are the inputs of the hidden `pod network reattach`,
// which a container's monitor runs before restarting it.
type ReattachOptions struct {
	Factory   *cmdutil.Factory
	Container string
}

// NewCmdReattach returns the hidden `pod network reattach CONTAINER`: it
// plugs a running container on user networks back into them (same
// addresses, aliases and DNS names) when its attachment is gone, and does
// nothing otherwise.
func NewCmdReattach(f *cmdutil.Factory, runF func(*ReattachOptions) error) *cobra.Command {
	o := &ReattachOptions{Factory: f}
	return &cobra.Command{
		Use:    "reattach CONTAINER",
		Short:  "Plug a restarted container back into its networks (run by the monitor)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Container = args[0]
			if runF != nil {
				return runF(o)
			}
			return runReattach(cmd.Context(), o)
		},
	}
}

func runReattach(ctx context.Context, o *ReattachOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.ReattachNetworks(ctx, o.Container)
}
