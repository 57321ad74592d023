package container

import (
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
			return runCleanup(o)
		},
	}
}

func runCleanup(o *CleanupOptions) error {
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	var last error
	for _, n := range o.Names {
		c, err := rt.LookupContainer(n)
		if err != nil {
			if errors.Is(err, define.ErrNoSuchCtr) {
				continue // already removed (--rm done by the CLI)
			}
			last = reportErr(o.Factory, last, err)
			continue
		}
		if err := c.Cleanup(); err != nil && !errors.Is(err, define.ErrNoSuchCtr) {
			last = reportErr(o.Factory, last, err)
		}
	}
	return last
}
