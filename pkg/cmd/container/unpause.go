package container

import (
	"context"
	"fmt"

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
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range targets(e, errs, o.Names, o.All, func(c *libpod.Container) bool { return c.State.Status == define.StatusPaused }) {
		if err := e.UnpauseContainer(ctx, n); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}
