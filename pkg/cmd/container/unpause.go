package container

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// UnpauseOptions are the inputs of `pod unpause`.
type UnpauseOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Names   []string
}

// NewCmdUnpause returns `pod unpause`.
func NewCmdUnpause(f *cmdutil.Factory, runF func(*UnpauseOptions) error) *cobra.Command {
	o := &UnpauseOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "unpause [options] CONTAINER [CONTAINER...]",
		Short: "Unpause the processes in one or more containers",
		Args:  needNamesUnless(&o.All, "unpause"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runUnpause(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "unpause all paused containers")
	return cmd
}

func runUnpause(ctx context.Context, o *UnpauseOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	keep := func(c *libpod.Container) bool { return c.State.Status == define.StatusPaused }
	return eachTarget(o.Factory, e, o.Names, o.All, keep, func(n string) error { return e.UnpauseContainer(ctx, n) })
}
