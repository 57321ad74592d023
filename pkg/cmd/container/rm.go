package container

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// RmOptions are the inputs of `pod rm`.
type RmOptions struct {
	Factory *cmdutil.Factory
	targetFlags
	Force   bool
	Ignore  bool
	Volumes bool
	Depend  bool
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
		Args:    func(cmd *cobra.Command, args []string) error { return o.check(cmd, args) },
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
	cmd.Flags().BoolVar(&o.Depend, "depend", false, "remove the container and all containers that depend on it")
	o.addCIDFile(cmd)
	o.addFilter(cmd, "")
	o.addLatest(cmd)
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
	ro := libpod.RemoveOptions{Force: o.Force, Volumes: o.Volumes, Timeout: cmdutil.StopTimeout(o.timeSet, o.Time)}
	var names []string
	if o.All && len(o.Filters) == 0 {
		ctrs, bad, err := e.ListContainers()
		if err != nil {
			return err
		}
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
	} else if names, err = o.resolve(e, errs, o.Names, nil); err != nil {
		errs.Add(err)
		return errs.Err()
	}
	if o.Depend {
		if names, err = withDependents(e, names); err != nil {
			errs.Add(err)
			return errs.Err()
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

// withDependents puts before each container the containers that depend on
// it (those that share its network namespace or take its volumes), so that
// rm --depend removes them first.
func withDependents(e cmdutil.Engine, names []string) ([]string, error) {
	ctrs, _, err := e.ListContainers()
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	var visit func(t *libpod.Container, name string)
	visit = func(t *libpod.Container, name string) {
		if seen[t.ID()] {
			return
		}
		seen[t.ID()] = true
		for _, c := range ctrs {
			if c.ID() != t.ID() && dependsOn(c, t) {
				visit(c, c.ID())
			}
		}
		out = append(out, name)
	}
	for _, n := range names {
		c, err := e.Container(n)
		if err != nil {
			out = append(out, n) // rm reports it
			continue
		}
		visit(c, n)
	}
	return out, nil
}

// dependsOn reports whether c needs the container t.
func dependsOn(c, t *libpod.Container) bool {
	id := t.ID()
	if c.Config.NetworkMode == protocol.NetworkContainer {
		for _, v := range c.Config.NetworkOptions {
			if v == id {
				return true
			}
		}
	}
	for _, v := range c.Config.VolumesFrom {
		ref, _, _ := strings.Cut(v, ":")
		if ref == id || ref == t.Name() || (len(ref) >= 12 && strings.HasPrefix(id, ref)) {
			return true
		}
	}
	return false
}

func isNoSuch(err error) bool { return errors.Is(err, define.ErrNoSuchCtr) }
