package container

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RenameOptions are the inputs of `pod rename`.
type RenameOptions struct {
	Factory *cmdutil.Factory
	Name    string
	NewName string
}

// NewCmdRename returns `pod rename`.
func NewCmdRename(f *cmdutil.Factory, runF func(*RenameOptions) error) *cobra.Command {
	o := &RenameOptions{Factory: f}
	return &cobra.Command{
		Use:   "rename CONTAINER NAME",
		Short: "Rename an existing container",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.FlagErrorf("%q requires exactly 2 arguments: the container and its new name", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name, o.NewName = args[0], args[1]
			if runF != nil {
				return runF(o)
			}
			return runRename(cmd.Context(), o)
		},
	}
}

func runRename(ctx context.Context, o *RenameOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.RenameContainer(ctx, o.Name, o.NewName)
}
