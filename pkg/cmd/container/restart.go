package container

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RestartOptions are the inputs of `pod restart`.
type RestartOptions struct {
	Factory *cmdutil.Factory
	Names   []string
	All     bool
	Running bool
	Timeout uint
	tSet    bool
}

// NewCmdRestart returns `pod restart`.
func NewCmdRestart(f *cmdutil.Factory, runF func(*RestartOptions) error) *cobra.Command {
	o := &RestartOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "restart [options] CONTAINER [CONTAINER...]",
		Short: "Restart one or more containers",
		Args: func(cmd *cobra.Command, args []string) error {
			all, _ := cmd.Flags().GetBool("all")
			running, _ := cmd.Flags().GetBool("running")
			switch {
			case (all || running) && len(args) > 0:
				return cmdutil.FlagErrorf("--all or --running and containers cannot be used together")
			case !all && !running && len(args) == 0:
				return cmdutil.FlagErrorf("you must provide at least one container name or ID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			o.tSet = cmd.Flags().Changed("time")
			if runF != nil {
				return runF(o)
			}
			return runRestart(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "restart all non-running containers")
	cmd.Flags().BoolVar(&o.Running, "running", false, "restart only running containers")
	cmd.Flags().UintVarP(&o.Timeout, "time", "t", 10, "seconds to wait for stop before killing the container")
	return cmd
}

func runRestart(ctx context.Context, o *RestartOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	names := o.Names
	if o.All || o.Running {
		ctrs, _, err := e.ListContainers()
		if err != nil {
			return err
		}
		for _, c := range ctrs {
			if o.Running && c.State.Status != define.StatusRunning {
				continue
			}
			names = append(names, c.ID())
		}
	}
	var timeout *time.Duration
	if o.tSet {
		d := time.Duration(o.Timeout) * time.Second
		timeout = &d
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, name := range names {
		if err := e.StopContainer(ctx, name, timeout); err != nil {
			errs.Add(err)
			continue
		}
		if _, err := e.StartContainer(ctx, name, nil); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, name)
	}
	return errs.Err()
}
