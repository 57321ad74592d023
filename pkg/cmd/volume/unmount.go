package volume

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// UnmountOptions are the inputs of `pod volume unmount`.
type UnmountOptions struct {
	Factory *cmdutil.Factory
	Names   []string
}

// NewCmdUnmount returns `pod volume unmount`.
func NewCmdUnmount(f *cmdutil.Factory, runF func(*UnmountOptions) error) *cobra.Command {
	o := &UnmountOptions{Factory: f}
	return &cobra.Command{
		Use:     "unmount VOLUME [VOLUME...]",
		Aliases: []string{"umount"},
		Short:   "Unmount volume",
		Example: "  pod volume unmount data",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runUnmount(o)
		},
	}
}

func runUnmount(o *UnmountOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range o.Names {
		if err := e.UnmountVolume(n); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}
