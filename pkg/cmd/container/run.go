package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RunOptions are the inputs of `pod run`.
type RunOptions struct {
	Factory *cmdutil.Factory
	Flags   CreateFlags
	Detach  bool
	Image   string
	Command []string
}

// NewCmdRun returns `pod run`.
func NewCmdRun(f *cmdutil.Factory, runF func(*RunOptions) error) *cobra.Command {
	o := &RunOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "run [options] IMAGE [COMMAND [ARG...]]",
		Short: "Run a command in a new container",
		Args:  requireImage,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Flags.noteSet(cmd.Flags())
			o.Image, o.Command = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runRun(cmd.Context(), o)
		},
	}
	addCreateFlags(cmd.Flags(), &o.Flags)
	cmd.Flags().BoolVarP(&o.Detach, "detach", "d", false, "run the container in the background and print its ID")
	return cmd
}

func runRun(ctx context.Context, o *RunOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	c, err := createContainer(ctx, o.Factory, rt, &o.Flags, o.Image, o.Command)
	if err != nil {
		return err
	}
	if o.Detach {
		if _, err := c.Start(ctx, nil); err != nil {
			if c.Config.AutoRemove {
				_ = c.Remove(ctx, true, 0)
			}
			return err
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, c.ID())
		return nil
	}
	return runAttached(ctx, o.Factory, c)
}
