package network

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// DisconnectOptions are the inputs of `pod network disconnect`.
type DisconnectOptions struct {
	Factory   *cmdutil.Factory
	Network   string
	Container string
	Force     bool
}

// NewCmdDisconnect returns `pod network disconnect`.
func NewCmdDisconnect(f *cmdutil.Factory, runF func(*DisconnectOptions) error) *cobra.Command {
	o := &DisconnectOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "disconnect [options] NETWORK CONTAINER",
		Short:   "Disconnect a container from a network",
		Example: "  pod network disconnect backend ctr1",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Network, o.Container = args[0], args[1]
			if runF != nil {
				return runF(o)
			}
			return runDisconnect(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "force the disconnect (accepted for compatibility)")
	return cmd
}

func runDisconnect(ctx context.Context, o *DisconnectOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.DisconnectNetwork(ctx, o.Network, o.Container, o.Force)
}
