package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// StartOptions are the inputs of `pod start`.
type StartOptions struct {
	Factory *cmdutil.Factory
	targetFlags
	Attach      bool
	Interactive bool
	DetachKeys  string
	SigProxy    bool
	Names       []string
}

// NewCmdStart returns `pod start`.
func NewCmdStart(f *cmdutil.Factory, runF func(*StartOptions) error) *cobra.Command {
	o := &StartOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "start [options] CONTAINER [CONTAINER...]",
		Short: "Start one or more containers",
		Args: func(cmd *cobra.Command, args []string) error {
			return o.check(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runStart(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Attach, "attach", "a", false, "attach the container's STDOUT and STDERR")
	cmd.Flags().BoolVarP(&o.Interactive, "interactive", "i", false, "attach the container's STDIN")
	cmd.Flags().BoolVar(&o.SigProxy, "sig-proxy", true, "proxy received signals to the container's process (with --attach)")
	addDetachKeysFlag(cmd, &o.DetachKeys)
	cmd.Flags().BoolVar(&o.All, "all", false, "start all containers that are not running (with --filter: those that match)")
	o.addFilter(cmd, "f")
	o.addLatest(cmd)
	return cmd
}

func runStart(ctx context.Context, o *StartOptions) error {
	if o.Attach && (len(o.Names) > 1 || o.All || len(o.Filters) > 0) {
		return cmdutil.FlagErrorf("you cannot start and attach multiple containers at once: %w", define.ErrInvalidArg)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	stopped := func(c *libpod.Container) bool { return !c.State.Status.IsActive() }
	if o.Latest {
		stopped = nil
	}
	if o.Names, err = o.resolve(e, errs, o.Names, stopped); err != nil {
		errs.Add(err)
		return errs.Err()
	}
	if o.Attach {
		c, err := e.Container(o.Names[0])
		if err != nil {
			return err
		}
		if c.State.Status.IsActive() {
			// podman attaches to a container that already runs.
			return runAttach(ctx, &AttachOptions{Factory: o.Factory, Name: c.ID(), DetachKeys: o.DetachKeys,
				NoStdin: !o.Interactive, SigProxy: o.SigProxy})
		}
		return runAttached(ctx, o.Factory, e, c, attachFlags{detachKeys: o.DetachKeys, sigProxy: o.SigProxy})
	}
	for _, name := range o.Names {
		if _, err := e.StartContainer(ctx, name, nil); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, name)
	}
	return errs.Err()
}
