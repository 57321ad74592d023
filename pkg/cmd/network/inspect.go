package network

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// InspectOptions are the inputs of `pod network inspect`.
type InspectOptions struct {
	Factory *cmdutil.Factory
	Format  string
	Names   []string
}

// NewCmdInspect returns `pod network inspect`.
func NewCmdInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	o := &InspectOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "inspect [options] NETWORK [NETWORK...]",
		Short:   "Display detailed information on one or more networks",
		Example: "  pod network inspect backend\n  pod network inspect --format '{{range .Subnets}}{{.Subnet}}{{end}}' backend",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runInspect(o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "json", "format the output with a Go template or json")
	return cmd
}

func runInspect(o *InspectOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	nets := []*libpod.NetworkReport{}
	for _, n := range o.Names {
		v, err := e.InspectNetwork(n)
		if err != nil {
			errs.Add(fmt.Errorf("inspecting object: network %s: %w", n, err))
			continue
		}
		nets = append(nets, v)
	}
	return cmdutil.WriteInspect(o.Factory.IOStreams, o.Format, nets, errs)
}
