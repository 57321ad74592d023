package network

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ConnectOptions are the inputs of `pod network connect`.
type ConnectOptions struct {
	Factory   *cmdutil.Factory
	Network   string
	Container string
	Aliases   []string
	IP        string
}

// NewCmdConnect returns `pod network connect`.
func NewCmdConnect(f *cmdutil.Factory, runF func(*ConnectOptions) error) *cobra.Command {
	o := &ConnectOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "connect [options] NETWORK CONTAINER",
		Short:   "Add a container to a network",
		Example: "  pod network connect --alias db backend ctr1",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Network, o.Container = args[0], args[1]
			if runF != nil {
				return runF(o)
			}
			return runConnect(cmd.Context(), o)
		},
	}
	cmd.Flags().StringSliceVar(&o.Aliases, "alias", nil, "network-scoped alias for the container")
	cmd.Flags().StringVar(&o.IP, "ip", "", "IPv4 address for the container on this network")
	return cmd
}

func runConnect(ctx context.Context, o *ConnectOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.ConnectNetwork(ctx, o.Network, o.Container, libpod.ConnectOptions{Aliases: o.Aliases, IP: o.IP})
}
