package image

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RmiOptions are the inputs of `pod rmi`.
type RmiOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	All     bool
	Ignore  bool
	Names   []string
}

// NewCmdRmi returns `pod rmi`.
func NewCmdRmi(f *cmdutil.Factory, runF func(*RmiOptions) error) *cobra.Command {
	o := &RmiOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "rmi [options] IMAGE [IMAGE...]",
		Short: "Remove one or more images from local storage",
		Args: func(cmd *cobra.Command, args []string) error {
			if o.All == (len(args) > 0) {
				return cmdutil.FlagErrorf("rmi requires image names or --all, not both")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runRmi(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Force, "force", "f", false, "remove the image and any containers using it")
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "remove all images")
	cmd.Flags().BoolVarP(&o.Ignore, "ignore", "i", false, "ignore errors if a specified image does not exist")
	return cmd
}

// runRmi removes each image; its exit code is 1 when an image did not
// exist, 2 when one was in use, 125 for other failures.
func runRmi(ctx context.Context, o *RmiOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	names := o.Names
	if o.All {
		imgs, err := e.Images()
		if err != nil {
			return err
		}
		for _, i := range imgs {
			names = append(names, i.ID)
		}
	}
	errs := cmdutil.NewRemoveErrors(o.Factory.IOStreams.ErrOut, define.ErrNoSuchImage, define.ErrImageInUse)
	out := o.Factory.IOStreams.Out
	for _, n := range names {
		untagged, deleted, err := e.RemoveImage(ctx, n, o.Force)
		if err != nil {
			if o.Ignore && errors.Is(err, define.ErrNoSuchImage) {
				continue
			}
			errs.Add(err)
			continue
		}
		for _, u := range untagged {
			fmt.Fprintln(out, "Untagged: "+u)
		}
		for _, d := range deleted {
			fmt.Fprintln(out, "Deleted: "+d)
		}
	}
	return errs.Err()
}
