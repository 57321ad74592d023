package image

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// TagOptions are the inputs of `pod tag`.
type TagOptions struct {
	Factory *cmdutil.Factory
	Image   string
	Targets []string
}

// NewCmdTag returns `pod tag`.
func NewCmdTag(f *cmdutil.Factory, runF func(*TagOptions) error) *cobra.Command {
	o := &TagOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "tag IMAGE TARGET_NAME [TARGET_NAME...]",
		Short: "Add an additional name to a local image",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Image, o.Targets = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runTag(o)
		},
	}
	return cmd
}

// runTag adds the target names to the image; a name another image has
// moves to this one.
func runTag(o *TagOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.TagImage(o.Image, o.Targets)
}
