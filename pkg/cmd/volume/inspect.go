package volume

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// InspectOptions are the inputs of `pod volume inspect`.
type InspectOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Format  string
	Names   []string
}

// NewCmdInspect returns `pod volume inspect`.
func NewCmdInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	o := &InspectOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "inspect [options] VOLUME [VOLUME...]",
		Short:   "Display detailed information on one or more volumes",
		Example: "  pod volume inspect data\n  pod volume inspect --all --format '{{.Name}} {{.Mountpoint}}'",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			switch {
			case o.All && len(args) > 0:
				return cmdutil.FlagErrorf("provide one or more volume names or use --all")
			case !o.All && len(args) == 0:
				return cmdutil.FlagErrorf("provide one or more volume names or use --all")
			}
			if runF != nil {
				return runF(o)
			}
			return runInspect(o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "inspect all volumes")
	cmd.Flags().StringVarP(&o.Format, "format", "f", "json", "format the output with a Go template or json")
	return cmd
}

func runInspect(o *InspectOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	vols := []*libpod.InspectVolume{}
	if o.All {
		if vols, err = e.ListVolumes(nil); err != nil {
			return err
		}
	}
	for _, n := range o.Names {
		v, err := e.InspectVolume(n)
		if err != nil {
			errs.Add(fmt.Errorf("inspecting object: %w", err))
			continue
		}
		vols = append(vols, v)
	}
	return cmdutil.WriteInspect(o.Factory.IOStreams, o.Format, vols, errs)
}
