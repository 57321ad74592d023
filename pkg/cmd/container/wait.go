package container

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// WaitOptions are the inputs of `pod wait`.
type WaitOptions struct {
	Factory *cmdutil.Factory
	targetFlags
	Conditions []string
	// Interval is --interval as given: a duration, or milliseconds.
	Interval string
	Names    []string
}

// NewCmdWait returns `pod wait`.
func NewCmdWait(f *cmdutil.Factory, runF func(*WaitOptions) error) *cobra.Command {
	o := &WaitOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "wait [options] CONTAINER [CONTAINER...]",
		Short: "Block on one or more containers and print their exit codes",
		Args: func(cmd *cobra.Command, args []string) error {
			return o.check(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runWait(cmd.Context(), o)
		},
	}
	cmd.Flags().StringSliceVar(&o.Conditions, "condition", nil, "condition to wait on (created, running, paused, exited or stopped; default exited)")
	cmd.Flags().StringVarP(&o.Interval, "interval", "i", "250ms", "time interval to wait before polling for completion (a duration, or milliseconds)")
	o.addLatest(cmd)
	return cmd
}

// parseConditions reads --condition values; "stopped" is "exited" and
// "configured" is "created", as pod has no separate statuses for them.
func parseConditions(in []string) ([]define.ContainerStatus, error) {
	var out []define.ContainerStatus
	for _, c := range in {
		switch c {
		case "created", "configured":
			out = append(out, define.StatusCreated)
		case "running", "paused", "exited":
			out = append(out, define.ContainerStatus(c))
		case "stopped":
			out = append(out, define.StatusExited)
		default:
			return nil, fmt.Errorf("unknown container state: %s: --condition takes created, running, paused, exited or stopped: %w", c, define.ErrInvalidArg)
		}
	}
	return out, nil
}

// parseInterval reads --interval: a Go duration, or a number of
// milliseconds.
func parseInterval(s string) (time.Duration, error) {
	if ms, err := strconv.ParseUint(s, 10, 32); err == nil {
		return time.Duration(ms) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, cmdutil.FlagErrorf("invalid --interval %q: use a duration such as 250ms or 1s, or milliseconds: %w", s, define.ErrInvalidArg)
	}
	return d, nil
}

func runWait(ctx context.Context, o *WaitOptions) error {
	conds, err := parseConditions(o.Conditions)
	if err != nil {
		return err
	}
	if _, err := parseInterval(o.Interval); err != nil {
		return err
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	names, err := o.resolve(e, errs, o.Names, nil)
	if err != nil {
		return err
	}
	for _, n := range names {
		code, err := e.WaitContainer(ctx, n, conds)
		if err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, code)
	}
	return errs.Err()
}
