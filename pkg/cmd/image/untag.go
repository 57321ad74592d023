package image

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// UntagOptions are the inputs of `pod untag`.
type UntagOptions struct {
	Factory *cmdutil.Factory
	Image   string
	Names   []string
}

// NewCmdUntag returns `pod untag`.
func NewCmdUntag(f *cmdutil.Factory, runF func(*UntagOptions) error) *cobra.Command {
	o := &UntagOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "untag IMAGE [IMAGE...]",
		Short: "Remove a name from a local image",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Image, o.Names = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runUntag(o)
		},
	}
	return cmd
}

// runUntag removes the names from the image, or all its names when none
// is given.
func runUntag(o *UntagOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.UntagImage(o.Image, o.Names)
}
