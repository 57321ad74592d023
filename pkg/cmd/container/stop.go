package container

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// StopOptions are the inputs of `pod stop`.
type StopOptions struct {
	Factory *cmdutil.Factory
	Time    int
	timeSet bool
	All     bool
	Ignore  bool
	Names   []string
}

// NewCmdStop returns `pod stop`.
func NewCmdStop(f *cmdutil.Factory, runF func(*StopOptions) error) *cobra.Command {
	o := &StopOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "stop [options] CONTAINER [CONTAINER...]",
		Short: "Stop one or more containers",
		Args:  needNamesUnless(&o.All, "stop"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			o.timeSet = cmd.Flags().Changed("time")
			if runF != nil {
				return runF(o)
			}
			return runStop(cmd.Context(), o)
		},
	}
	cmd.Flags().IntVarP(&o.Time, "time", "t", 10, "seconds to wait for stop before killing the container")
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "stop all running containers")
	cmd.Flags().BoolVarP(&o.Ignore, "ignore", "i", false, "ignore errors when a specified container is missing")
	return cmd
}

func runStop(ctx context.Context, o *StopOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	ctrs, last := targets(o.Factory, rt, o.Names, o.All, o.Ignore)
	for _, c := range ctrs {
		timeout := time.Duration(c.Config.StopTimeout) * time.Second
		if o.timeSet {
			timeout = time.Duration(o.Time) * time.Second
		}
		if err := c.Stop(ctx, timeout); err != nil {
			last = reportErr(o.Factory, last, err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, displayName(c, o.Names))
	}
	return last
}

// targets resolves the named containers (or all with all). Missing ones
// are reported (unless ignore) and the last error returned.
func targets(f *cmdutil.Factory, rt *libpod.Runtime, names []string, all, ignore bool) ([]*libpod.Container, error) {
	var last error
	if all {
		ctrs, bad, err := rt.ListContainers()
		for _, b := range bad {
			last = reportErr(f, last, b)
		}
		if err != nil {
			return nil, err
		}
		return ctrs, last
	}
	var out []*libpod.Container
	for _, n := range names {
		c, err := rt.LookupContainer(n)
		if err != nil {
			if ignore && isNoSuch(err) {
				continue
			}
			last = reportErr(f, last, err)
			continue
		}
		out = append(out, c)
	}
	return out, last
}

// displayName echoes what the user typed for a container, or its id.
func displayName(c *libpod.Container, names []string) string {
	for _, n := range names {
		if n == c.Name() || n == c.ID() || (len(n) < 64 && len(n) > 0 && c.ID()[:len(n)] == n) {
			return n
		}
	}
	return c.ID()
}

// needArgs requires at least one argument, naming what is missing.
func needArgs(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmdutil.FlagError(fmt.Errorf("%q requires at least one %s", cmd.CommandPath(), what))
		}
		return nil
	}
}

func needNamesUnless(all *bool, verb string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if *all && len(args) > 0 {
			return cmdutil.FlagError(fmt.Errorf("--all and containers cannot be given together"))
		}
		if !*all && len(args) == 0 {
			return cmdutil.FlagError(fmt.Errorf("%s requires at least one container (or --all)", verb))
		}
		return nil
	}
}
