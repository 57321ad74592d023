package volume

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RmOptions are the inputs of `pod volume rm`.
type RmOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Force   bool
	Time    int
	timeSet bool
	Names   []string
}

// NewCmdRm returns `pod volume rm`.
func NewCmdRm(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "rm [options] VOLUME [VOLUME...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more volumes",
		Example: "  pod volume rm data\n  pod volume rm -f data   # removes the containers using it too",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if (len(args) > 0) == o.All {
				return cmdutil.FlagErrorf("choose either one or more volumes or all")
			}
			o.timeSet = cmd.Flags().Changed("time")
			if runF != nil {
				return runF(o)
			}
			return runRm(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "remove all volumes")
	fl.BoolVarP(&o.Force, "force", "f", false, "remove the containers using the volume first (running ones are stopped)")
	fl.IntVarP(&o.Time, "time", "t", 10, "seconds to wait for a running container to stop before killing it")
	return cmd
}

// runRm removes each volume: exit 1 when one did not exist, 2 when one is
// in use, 125 for other failures.
func runRm(ctx context.Context, o *RmOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	names := o.Names
	if o.All {
		vols, err := e.ListVolumes(nil)
		if err != nil {
			return err
		}
		for _, v := range vols {
			names = append(names, v.Name)
		}
	}
	ro := libpod.VolumeRemoveOptions{Force: o.Force, Timeout: cmdutil.StopTimeout(o.timeSet, o.Time)}
	errs := cmdutil.NewRemoveErrors(o.Factory.IOStreams.ErrOut, define.ErrNoSuchVolume, define.ErrVolumeInUse)
	for _, n := range names {
		if err := e.RemoveVolume(ctx, n, ro); err != nil {
			if o.All && errors.Is(err, define.ErrNoSuchVolume) {
				continue
			}
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}
