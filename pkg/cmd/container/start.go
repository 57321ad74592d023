package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// StartOptions are the inputs of `pod start`.
type StartOptions struct {
	Factory     *cmdutil.Factory
	Attach      bool
	Interactive bool
	Names       []string
}

// NewCmdStart returns `pod start`.
func NewCmdStart(f *cmdutil.Factory, runF func(*StartOptions) error) *cobra.Command {
	o := &StartOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "start [options] CONTAINER [CONTAINER...]",
		Short: "Start one or more containers",
		Args:  needArgs("container"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runStart(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Attach, "attach", "a", false, "attach the container's STDOUT and STDERR")
	cmd.Flags().BoolVarP(&o.Interactive, "interactive", "i", false, "keep STDIN open")
	return cmd
}

func runStart(ctx context.Context, o *StartOptions) error {
	if o.Attach && len(o.Names) > 1 {
		return cmdutil.FlagErrorf("you cannot start and attach multiple containers at once: %w", define.ErrInvalidArg)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	if o.Attach {
		c, err := e.Container(o.Names[0])
		if err != nil {
			return err
		}
		return runAttached(ctx, o.Factory, e, c)
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, name := range o.Names {
		if _, err := e.StartContainer(ctx, name, nil); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, name)
	}
	return errs.Err()
}
