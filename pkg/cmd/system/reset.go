package system

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ResetOptions are the inputs of `pod system reset`.
type ResetOptions struct {
	Factory *cmdutil.Factory
	Force   bool
}

// NewCmdReset returns `pod system reset`.
func NewCmdReset(f *cmdutil.Factory, runF func(*ResetOptions) error) *cobra.Command {
	o := &ResetOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "reset [options]",
		Short: "Remove all containers, images and pod's state; keep the configuration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runReset(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	return cmd
}

func runReset(ctx context.Context, o *ResetOptions) error {
	if !o.Force && !o.Factory.IOStreams.Confirm("WARNING! This will remove:\n\t- all containers\n\t- all images\n\t- all build cache\n") {
		return nil
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.Reset(ctx)
}
