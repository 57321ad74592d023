package volume

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CreateOptions are the inputs of `pod volume create`.
type CreateOptions struct {
	Factory *cmdutil.Factory
	libpod.VolumeCreateOptions
}

// NewCmdCreate returns `pod volume create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	o := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create [options] [NAME]",
		Short: "Create a new volume",
		Example: `  pod volume create data
  pod volume create --label app=web -o type=tmpfs -o o=size=64m scratch`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				o.Name = args[0]
			}
			if runF != nil {
				return runF(o)
			}
			return runCreate(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Driver, "driver", "d", "local", "volume driver name (only local)")
	fl.StringArrayVarP(&o.Labels, "label", "l", nil, "set metadata for a volume (key=value)")
	fl.StringArrayVarP(&o.Options, "opt", "o", nil, "set driver specific options: type=tmpfs|bind, device=, o=")
	fl.BoolVar(&o.Ignore, "ignore", false, "do not fail when the volume already exists")
	return cmd
}

func runCreate(ctx context.Context, o *CreateOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	name, err := e.CreateVolume(ctx, o.VolumeCreateOptions)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, name)
	return nil
}
