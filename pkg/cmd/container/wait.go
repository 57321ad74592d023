package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// WaitOptions are the inputs of `pod wait`.
type WaitOptions struct {
	Factory *cmdutil.Factory
	Names   []string
}

// NewCmdWait returns `pod wait`.
func NewCmdWait(f *cmdutil.Factory, runF func(*WaitOptions) error) *cobra.Command {
	o := &WaitOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "wait [options] CONTAINER [CONTAINER...]",
		Short: "Block on one or more containers and print their exit codes",
		Args:  needArgs("container"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runWait(cmd.Context(), o)
		},
	}
	return cmd
}

func runWait(ctx context.Context, o *WaitOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range o.Names {
		code, err := e.WaitContainer(ctx, n)
		if err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, code)
	}
	return errs.Err()
}
