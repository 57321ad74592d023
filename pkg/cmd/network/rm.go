package network

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RmOptions are the inputs of `pod network rm`.
type RmOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	Time    int
	timeSet bool
	Names   []string
}

// NewCmdRm returns `pod network rm`.
func NewCmdRm(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "rm [options] NETWORK [NETWORK...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more networks",
		Example: "  pod network rm backend",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			o.timeSet = cmd.Flags().Changed("time")
			if runF != nil {
				return runF(o)
			}
			return runRm(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "remove the containers using the network first")
	cmd.Flags().IntVarP(&o.Time, "time", "t", 10, "seconds to wait for a running container to stop before killing it (with -f)")
	return cmd
}

// runRm removes each network: exit 1 when one did not exist, 2 when one
// is in use, 125 for other failures (the default network among them).
func runRm(ctx context.Context, o *RmOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewRemoveErrors(o.Factory.IOStreams.ErrOut, define.ErrNoSuchNetwork, define.ErrNetworkInUse)
	timeout := cmdutil.StopTimeout(o.timeSet, o.Time)
	for _, n := range o.Names {
		name, err := e.RemoveNetwork(ctx, n, o.Force, timeout)
		if err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, name)
	}
	return errs.Err()
}
