package container

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CleanupOptions are the inputs of the hidden `pod container cleanup`,
// which pod-monitor runs after a container exited.
type CleanupOptions struct {
	Factory *cmdutil.Factory
	Names   []string
}

// NewCmdCleanup returns `pod container cleanup`.
func NewCmdCleanup(f *cmdutil.Factory, runF func(*CleanupOptions) error) *cobra.Command {
	o := &CleanupOptions{Factory: f}
	return &cobra.Command{
		Use:    "cleanup CONTAINER [CONTAINER...]",
		Short:  "Unmount a stopped container and remove it when it was run with --rm",
		Hidden: true,
		Args:   cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runCleanup(cmd.Context(), o)
		},
	}
}

func runCleanup(ctx context.Context, o *CleanupOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range o.Names {
		// A container already removed (--rm done by the CLI) is clean.
		if err := e.CleanupContainer(ctx, n); err != nil && !errors.Is(err, define.ErrNoSuchCtr) {
			errs.Add(err)
		}
	}
	return errs.Err()
}
