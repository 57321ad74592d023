package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/signals"
)

// KillOptions are the inputs of `pod kill`.
type KillOptions struct {
	Factory *cmdutil.Factory
	targetFlags
	Signal string
	Names  []string
}

// NewCmdKill returns `pod kill`.
func NewCmdKill(f *cmdutil.Factory, runF func(*KillOptions) error) *cobra.Command {
	o := &KillOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "kill [options] CONTAINER [CONTAINER...]",
		Short: "Kill one or more running containers with a signal",
		Args:  func(cmd *cobra.Command, args []string) error { return o.check(cmd, args) },
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
	o.addCIDFile(cmd)
	o.addLatest(cmd)
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
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	names, err := o.resolve(e, errs, o.Names, running)
	if err != nil {
		errs.Add(err)
		return errs.Err()
	}
	for _, n := range names {
		if err := e.KillContainer(ctx, n, sig); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}
