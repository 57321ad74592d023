package container

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// WaitOptions are the inputs of `pod wait`.
type WaitOptions struct {
	Factory    *cmdutil.Factory
	Conditions []string
	Interval   time.Duration
	Names      []string
}

// NewCmdWait returns `pod wait`.
func NewCmdWait(f *cmdutil.Factory, runF func(*WaitOptions) error) *cobra.Command {
	o := &WaitOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "wait [options] CONTAINER [CONTAINER...]",
		Short: "Block on one or more containers and print their exit codes",
		Args:  needArgs("container"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runWait(cmd.Context(), o)
		},
	}
	cmd.Flags().StringSliceVar(&o.Conditions, "condition", nil, "condition to wait on (created, running, paused, exited or stopped; default exited)")
	cmd.Flags().DurationVarP(&o.Interval, "interval", "i", 250*time.Millisecond, "time interval to wait before polling for completion")
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
			return nil, fmt.Errorf("unknown container state: %s: %w", c, define.ErrInvalidArg)
		}
	}
	return out, nil
}

func runWait(ctx context.Context, o *WaitOptions) error {
	conds, err := parseConditions(o.Conditions)
	if err != nil {
		return err
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range o.Names {
		code, err := e.WaitContainer(ctx, n, conds)
		if err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, code)
	}
	return errs.Err()
}
