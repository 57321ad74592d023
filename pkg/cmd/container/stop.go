package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// StopOptions are the inputs of `pod stop`.
type StopOptions struct {
	Factory *cmdutil.Factory
	targetFlags
	Time    int
	timeSet bool
	Ignore  bool
	Names   []string
}

// NewCmdStop returns `pod stop`.
func NewCmdStop(f *cmdutil.Factory, runF func(*StopOptions) error) *cobra.Command {
	o := &StopOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "stop [options] CONTAINER [CONTAINER...]",
		Short: "Stop one or more containers",
		Args:  func(cmd *cobra.Command, args []string) error { return o.check(cmd, args) },
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
	o.addCIDFile(cmd)
	o.addFilter(cmd, "f")
	o.addLatest(cmd)
	return cmd
}

func runStop(ctx context.Context, o *StopOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	timeout := cmdutil.StopTimeout(o.timeSet, o.Time)
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	names, err := o.resolve(e, errs, o.Names, nil)
	if err != nil {
		errs.Add(err)
		return errs.Err()
	}
	for _, n := range names {
		if err := e.StopContainer(ctx, n, timeout); err != nil {
			if o.Ignore && isNoSuch(err) {
				continue
			}
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}

// eachTarget runs act on every target (see targets) and prints the name of
// each it succeeded on; every error but the last is printed, the last
// returned with its exit code.
func eachTarget(f *cmdutil.Factory, e cmdutil.Engine, names []string, all bool, keep func(*libpod.Container) bool, act func(string) error) error {
	errs := cmdutil.NewErrors(f.IOStreams.ErrOut)
	for _, n := range targets(e, errs, names, all, keep) {
		if err := act(n); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(f.IOStreams.Out, n)
	}
	return errs.Err()
}

// targets are the containers a verb acts on: the names given, or with all
// the id of every container that keep accepts (nil: every one; unreadable
// ones are reported to errs).
func targets(e cmdutil.Engine, errs *cmdutil.Errors, names []string, all bool, keep func(*libpod.Container) bool) []string {
	if !all {
		return names
	}
	ctrs, bad, err := e.ListContainers()
	for _, b := range bad {
		errs.Add(b)
	}
	if err != nil {
		errs.Add(err)
		return nil
	}
	ids := make([]string, 0, len(ctrs))
	for _, c := range ctrs {
		if keep == nil || keep(c) {
			ids = append(ids, c.ID())
		}
	}
	return ids
}

// needOne requires exactly one argument, a what.
func needOne(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return cmdutil.FlagErrorf("%q requires exactly one %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

func needNamesUnless(all *bool, verb string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if *all && len(args) > 0 {
			return cmdutil.FlagErrorf("--all and containers cannot be given together")
		}
		if !*all && len(args) == 0 {
			return cmdutil.FlagErrorf("%s requires at least one container (or --all)", verb)
		}
		return nil
	}
}
