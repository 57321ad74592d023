package container

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RunOptions are the inputs of `pod run`.
type RunOptions struct {
	Factory *cmdutil.Factory
	Flags   CreateFlags
	Detach  bool
	// DetachKeys is the sequence that detaches from a -t container.
	DetachKeys string
	// SigProxy forwards the signals the CLI receives to the container.
	SigProxy bool
	// Rmi removes the image after the container is gone (implies --rm).
	Rmi bool
	// PreserveFDs passes the CLI's descriptors 3 to 2+PreserveFDs on to
	// the container.
	PreserveFDs uint
	Image       string
	Command     []string
}

// NewCmdRun returns `pod run`.
func NewCmdRun(f *cmdutil.Factory, runF func(*RunOptions) error) *cobra.Command {
	o := &RunOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "run [options] IMAGE [COMMAND [ARG...]]",
		Short: "Run a command in a new container",
		Args:  requireImage,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Flags.noteSet(cmd.Flags())
			if err := o.Flags.check(cmd.Flags(), o.Detach); err != nil {
				return err
			}
			if o.Rmi {
				if o.Detach {
					return notSupportedYet("rmi", "with --detach")
				}
				o.Flags.Rm = true
			}
			o.Image, o.Command = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runRun(cmd.Context(), o)
		},
	}
	addCreateFlags(cmd.Flags(), &o.Flags)
	cmd.Flags().BoolVarP(&o.Detach, "detach", "d", false, "run the container in the background and print its ID")
	addDetachKeysFlag(cmd, &o.DetachKeys)
	cmd.Flags().BoolVar(&o.SigProxy, "sig-proxy", true, "proxy received signals to the container's process")
	cmd.Flags().UintVar(&o.PreserveFDs, "preserve-fds", 0, "pass this many additional file descriptors (3 on) to the container")
	cmd.Flags().BoolVar(&o.Rmi, "rmi", false, "remove the image after the container exits, unless other containers use it (implies --rm)")
	return cmd
}

func runRun(ctx context.Context, o *RunOptions) error {
	if err := o.Flags.Log.checkPassthrough(o.Factory.IOStreams, o.Detach); err != nil {
		return err
	}
	if o.PreserveFDs > 0 {
		files, err := libpod.InheritedFiles(o.PreserveFDs)
		if err != nil {
			return err
		}
		ctx = libpod.WithPreservedFiles(ctx, files)
	}
	e, c, err := o.Flags.create(ctx, o.Factory, o.Image, o.Command)
	if err != nil {
		return err
	}
	if o.Detach {
		if _, err := e.StartContainer(ctx, c.ID(), nil); err != nil {
			removeAfterFailedStart(ctx, e, c)
			return err
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, c.ID())
		return nil
	}
	err = runAttached(ctx, o.Factory, e, c, attachFlags{detachKeys: o.DetachKeys, sigProxy: o.SigProxy})
	if o.Rmi {
		removeImage(ctx, e, c)
	}
	return err
}

// removeImage removes c's image after the run (--rmi); an image other
// containers still use stays, as does one the run detached from.
func removeImage(ctx context.Context, e cmdutil.Engine, c *libpod.Container) {
	if _, errs := e.RemoveImages(ctx, libpod.RemoveImagesOptions{Names: []string{c.Config.ImageID}}); len(errs) > 0 {
		logrus.Debugf("--rmi: %v", errors.Join(errs...))
	}
}

// removeAfterFailedStart removes a --rm container whose start failed: it
// will never exit, so nothing else would.
func removeAfterFailedStart(ctx context.Context, e cmdutil.Engine, c *libpod.Container) {
	if c.Config.AutoRemove {
		zero := time.Duration(0)
		_ = e.RemoveContainer(ctx, c.ID(), libpod.RemoveOptions{Force: true, Timeout: &zero})
	}
}
