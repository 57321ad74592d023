package container

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RmOptions are the inputs of `pod rm`.
type RmOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	All     bool
	Ignore  bool
	Volumes bool
	Time    int
	timeSet bool
	Names   []string
}

// NewCmdRm returns `pod rm`.
func NewCmdRm(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "rm [options] CONTAINER [CONTAINER...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more containers",
		Args:    needNamesUnless(&o.All, "rm"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			o.timeSet = cmd.Flags().Changed("time")
			if runF != nil {
				return runF(o)
			}
			return runRm(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "force removal of a running or paused container")
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "remove all containers")
	cmd.Flags().BoolVarP(&o.Ignore, "ignore", "i", false, "ignore errors when a specified container is missing")
	cmd.Flags().IntVarP(&o.Time, "time", "t", 10, "seconds to wait for stop before killing the container")
	cmd.Flags().BoolVarP(&o.Volumes, "volumes", "v", false, "remove the anonymous volumes of the container")
	return cmd
}

// runRm removes each container; its exit code is 1 when a container did
// not exist, 2 when one was running, 125 for other failures.
func runRm(ctx context.Context, o *RmOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewRemoveErrors(o.Factory.IOStreams.ErrOut, define.ErrNoSuchCtr, define.ErrCtrStateInvalid)
	ro := libpod.RemoveOptions{Force: o.Force, Volumes: o.Volumes}
	if o.timeSet {
		t := time.Duration(o.Time) * time.Second
		ro.Timeout = &t
	}
	names := o.Names
	if o.All {
		ctrs, bad, err := e.ListContainers()
		if err != nil {
			return err
		}
		names = nil
		if o.Force {
			names = e.CorruptContainers() // removed by id, unread
		} else {
			for _, b := range bad {
				errs.Add(b)
			}
		}
		for _, c := range ctrs {
			names = append(names, c.ID())
		}
	}
	for _, n := range names {
		if err := e.RemoveContainer(ctx, n, ro); err != nil {
			if (o.Ignore || o.Force) && isNoSuch(err) {
				continue
			}
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}

func isNoSuch(err error) bool { return errors.Is(err, define.ErrNoSuchCtr) }
