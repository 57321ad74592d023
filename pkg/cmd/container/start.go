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
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Attach && len(o.Names) > 1 {
		return cmdutil.FlagError(fmt.Errorf("you cannot start and attach multiple containers at once: %w", define.ErrInvalidArg))
	}
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	var last error
	for _, name := range o.Names {
		c, err := rt.LookupContainer(name)
		if err != nil {
			last = reportErr(o.Factory, last, err)
			continue
		}
		if o.Attach {
			return runAttached(ctx, o.Factory, c)
		}
		if _, err := c.Start(ctx, nil); err != nil {
			last = reportErr(o.Factory, last, err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, name)
	}
	return last
}

// reportErr prints the previous error (several objects: every failure is
// printed) and keeps the newest one as the command's result.
func reportErr(f *cmdutil.Factory, prev, err error) error {
	if prev != nil {
		fmt.Fprintln(f.IOStreams.ErrOut, cmdutil.Message(prev))
	}
	return err
}
