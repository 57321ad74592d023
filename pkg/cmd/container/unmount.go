package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// UnmountOptions are the inputs of `pod unmount`.
type UnmountOptions struct {
	Factory *cmdutil.Factory
	Names   []string
	All     bool
	Force   bool
}

// NewCmdUnmount returns `pod unmount` (also `umount`): undo `pod mount`.
func NewCmdUnmount(f *cmdutil.Factory, runF func(*UnmountOptions) error) *cobra.Command {
	o := &UnmountOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "unmount [options] CONTAINER [CONTAINER...]",
		Aliases: []string{"umount"},
		Short:   "Unmount working container's root filesystem",
		Long: "Undo one `pod mount` of each container (with --force, all of them). " +
			"The mount a running container runs on stays until it exits.",
		Example: "  pod unmount ctrID\n  pod unmount ctrID1 ctrID2 ctrID3\n  pod unmount --all",
		Args: func(cmd *cobra.Command, args []string) error {
			if o.All && len(args) > 0 {
				return cmdutil.FlagErrorf("no arguments are needed with --all")
			}
			if !o.All && len(args) == 0 {
				return cmdutil.FlagErrorf("you must provide at least one name or id")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runUnmount(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "Unmount all of the currently mounted containers")
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "Force the complete unmount of the specified mounted containers")
	return cmd
}

func runUnmount(ctx context.Context, o *UnmountOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	names := o.Names
	if o.All {
		// Every mounted container but those that run on their mount,
		// by id, as podman.
		mounted, err := e.MountedContainers(ctx)
		if err != nil {
			return err
		}
		for _, m := range mounted {
			if c, err := e.Container(m.ID); err == nil && !c.State.Status.IsActive() {
				names = append(names, m.ID)
			}
		}
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range names {
		if err := e.UnmountContainer(ctx, n, o.Force); err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, n)
	}
	return errs.Err()
}
