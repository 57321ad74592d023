package container

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/logs"
)

// LogsOptions are the inputs of `pod logs`.
type LogsOptions struct {
	Factory    *cmdutil.Factory
	Follow     bool
	Tail       int
	Timestamps bool
	Since      string
	Until      string
	Names      []string
}

// NewCmdLogs returns `pod logs`.
func NewCmdLogs(f *cmdutil.Factory, runF func(*LogsOptions) error) *cobra.Command {
	o := &LogsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "logs [options] CONTAINER [CONTAINER...]",
		Short: "Fetch the logs of one or more containers",
		Args:  needArgs("container"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runLogs(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.Follow, "follow", "f", false, "follow log output")
	fl.IntVar(&o.Tail, "tail", -1, "output the specified number of lines at the end of the logs (-1 for all)")
	fl.BoolVarP(&o.Timestamps, "timestamps", "t", false, "output the timestamps in the log")
	fl.StringVar(&o.Since, "since", "", "show logs since TIMESTAMP or duration")
	fl.StringVar(&o.Until, "until", "", "show logs until TIMESTAMP or duration")
	return cmd
}

func runLogs(ctx context.Context, o *LogsOptions) error {
	opts := logs.Options{Tail: o.Tail, Timestamps: o.Timestamps, Follow: o.Follow}
	now := time.Now()
	var err error
	if o.Since != "" {
		if opts.Since, err = logs.ParseSince(o.Since, now); err != nil {
			return cmdutil.FlagErrorf("--since: %w", errors.Join(err, define.ErrInvalidArg))
		}
	}
	if o.Until != "" {
		if opts.Until, err = logs.ParseUntil(o.Until, now); err != nil {
			return cmdutil.FlagErrorf("--until: %w", errors.Join(err, define.ErrInvalidArg))
		}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	io := o.Factory.IOStreams
	for _, n := range o.Names {
		if err := e.ContainerLogs(ctx, n, opts, io.Out, io.ErrOut); err != nil {
			return err
		}
	}
	return nil
}
