package container

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/signals"
)

// KillOptions are the inputs of `pod kill`.
type KillOptions struct {
	Factory *cmdutil.Factory
	Signal  string
	All     bool
	Names   []string
}

// NewCmdKill returns `pod kill`.
func NewCmdKill(f *cmdutil.Factory, runF func(*KillOptions) error) *cobra.Command {
	o := &KillOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "kill [options] CONTAINER [CONTAINER...]",
		Short: "Kill one or more running containers with a signal",
		Args:  needNamesUnless(&o.All, "kill"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runKill(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Signal, "signal", "s", "KILL", "signal to send to the container")
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "signal all running containers")
	return cmd
}

func runKill(ctx context.Context, o *KillOptions) error {
	sig, err := signals.Parse(o.Signal)
	if err != nil {
		return cmdutil.NewFlagError(err)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	running := func(c *libpod.Container) bool { return c.State.Status.IsActive() }
	return eachTarget(o.Factory, e, o.Names, o.All, running, func(n string) error { return e.KillContainer(ctx, n, sig) })
}
