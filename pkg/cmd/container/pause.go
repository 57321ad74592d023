package container

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PauseOptions are the inputs of `pod pause`.
type PauseOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Names   []string
}

// NewCmdPause returns `pod pause`.
func NewCmdPause(f *cmdutil.Factory, runF func(*PauseOptions) error) *cobra.Command {
	o := &PauseOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "pause [options] CONTAINER [CONTAINER...]",
		Short: "Pause all the processes in one or more containers",
		Args:  needNamesUnless(&o.All, "pause"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runPause(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "pause all running containers")
	return cmd
}

func runPause(ctx context.Context, o *PauseOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	keep := func(c *libpod.Container) bool { return c.State.Status == define.StatusRunning }
	return eachTarget(o.Factory, e, o.Names, o.All, keep, func(n string) error { return e.PauseContainer(ctx, n) })
}
