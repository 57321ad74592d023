package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CreateOptions are the inputs of `pod create`.
type CreateOptions struct {
	Factory *cmdutil.Factory
	Flags   CreateFlags
	Image   string
	Command []string
}

// NewCmdCreate returns `pod create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	o := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create [options] IMAGE [COMMAND [ARG...]]",
		Short: "Create but do not start a container",
		Args:  requireImage,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Flags.noteSet(cmd.Flags())
			if err := o.Flags.check(cmd.Flags(), false); err != nil {
				return err
			}
			o.Image, o.Command = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runCreate(cmd.Context(), o)
		},
	}
	addCreateFlags(cmd.Flags(), &o.Flags)
	return cmd
}

func runCreate(ctx context.Context, o *CreateOptions) error {
	if err := o.Flags.Log.checkPassthrough(o.Factory.IOStreams, false); err != nil {
		return err
	}
	_, c, err := o.Flags.create(ctx, o.Factory, o.Image, o.Command)
	if err != nil {
		return err
	}
	if !o.Flags.Log.passthrough() { // podman prints no id then
		fmt.Fprintln(o.Factory.IOStreams.Out, c.ID())
	}
	return nil
}

func requireImage(cmd *cobra.Command, args []string) error {
	if len(args) < 1 {
		return cmdutil.FlagErrorf("%q requires at least 1 argument: an image", cmd.CommandPath())
	}
	return nil
}
