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
	return cmd
}

// rm exit codes: 1 when a container did not exist, 2 when one was running.
func runRm(ctx context.Context, o *RmOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	code := 0
	var last error
	note := func(err error) {
		if last != nil {
			fmt.Fprintln(o.Factory.IOStreams.ErrOut, cmdutil.Message(last))
		}
		last = err
		switch {
		case errors.Is(err, define.ErrNoSuchCtr) && code == 0:
			code = 1
		case errors.Is(err, define.ErrCtrStateInvalid) && code != 125:
			code = 2
		case !errors.Is(err, define.ErrNoSuchCtr) && !errors.Is(err, define.ErrCtrStateInvalid):
			code = 125
		}
	}
	var ctrs []*libpod.Container
	if o.All {
		all, bad, err := rt.ListContainers()
		if err != nil {
			return err
		}
		ctrs = all
		if o.Force {
			for _, id := range rt.CorruptIDs() {
				if err := rt.RemoveCorrupt(ctx, id); err != nil {
					note(err)
					continue
				}
				fmt.Fprintln(o.Factory.IOStreams.Out, id)
			}
		} else {
			for _, b := range bad {
				note(b)
			}
		}
	}
	for _, n := range o.Names {
		c, err := rt.LookupContainer(n)
		if err != nil && o.Force && errors.Is(err, define.ErrCorruptState) {
			if id, ierr := rt.ResolveID(n); ierr == nil {
				if err = rt.RemoveCorrupt(ctx, id); err == nil {
					fmt.Fprintln(o.Factory.IOStreams.Out, n)
					continue
				}
			}
		}
		if err != nil {
			if (o.Ignore || o.Force) && errors.Is(err, define.ErrNoSuchCtr) {
				continue
			}
			note(err)
			continue
		}
		ctrs = append(ctrs, c)
	}
	for _, c := range ctrs {
		timeout := time.Duration(c.Config.StopTimeout) * time.Second
		if o.timeSet {
			timeout = time.Duration(o.Time) * time.Second
		}
		if err := c.Remove(ctx, o.Force || false, timeout); err != nil {
			if (o.Ignore || o.Force) && errors.Is(err, define.ErrNoSuchCtr) {
				continue
			}
			note(err)
			continue
		}
		if o.All {
			fmt.Fprintln(o.Factory.IOStreams.Out, c.ID())
		} else {
			fmt.Fprintln(o.Factory.IOStreams.Out, displayName(c, o.Names))
		}
	}
	if last != nil {
		return &cmdutil.ExitError{Code: code, Err: last}
	}
	return nil
}

func isNoSuch(err error) bool { return errors.Is(err, define.ErrNoSuchCtr) }
