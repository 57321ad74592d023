package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
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
	if ctx == nil {
		ctx = context.Background()
	}
	sig, err := parseSignal(o.Signal)
	if err != nil {
		return cmdutil.FlagError(err)
	}
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	ctrs, last := targets(o.Factory, rt, o.Names, o.All, false)
	for _, c := range ctrs {
		if o.All && !c.State.Status.IsActive() {
			continue
		}
		if err := c.Kill(ctx, sig); err != nil {
			last = reportErr(o.Factory, last, err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, displayName(c, o.Names))
	}
	return last
}
