package image

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RmiOptions are the inputs of `pod rmi`.
type RmiOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	All     bool
	Ignore  bool
	NoPrune bool
	Names   []string
}

// NewCmdRmi returns `pod rmi`.
func NewCmdRmi(f *cmdutil.Factory, runF func(*RmiOptions) error) *cobra.Command {
	o := &RmiOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "rmi [options] IMAGE [IMAGE...]",
		Short: "Remove one or more images from local storage",
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.All && len(args) > 0:
				return cmdutil.FlagErrorf("when using the --all switch, you may not pass any images names or IDs")
			case !o.All && len(args) == 0:
				return cmdutil.FlagErrorf("image name or ID must be specified")
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
	fl := cmd.Flags()
	fl.BoolVarP(&o.Force, "force", "f", false, "remove the image and any containers using it")
	fl.BoolVarP(&o.All, "all", "a", false, "remove all images")
	fl.BoolVarP(&o.Ignore, "ignore", "i", false, "ignore errors if a specified image does not exist")
	fl.BoolVar(&o.NoPrune, "no-prune", false, "do not remove dangling images (pod never removes them with rmi)")
	return cmd
}

// runRmi removes the images and prints every name untagged, then every id
// deleted. Its exit code is 1 when an image did not exist, 2 when one was
// in use, 125 for other failures.
func runRmi(ctx context.Context, o *RmiOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	rep, errs := e.RemoveImages(ctx, libpod.RemoveImagesOptions{Names: o.Names, All: o.All, Force: o.Force, Ignore: o.Ignore})
	out := o.Factory.IOStreams.Out
	if rep != nil {
		for _, u := range rep.Untagged {
			fmt.Fprintln(out, "Untagged: "+u)
		}
		for _, d := range rep.Deleted {
			fmt.Fprintln(out, "Deleted: "+d)
		}
	}
	ce := cmdutil.NewRemoveErrors(o.Factory.IOStreams.ErrOut, define.ErrNoSuchImage, define.ErrImageInUse)
	for _, err := range errs {
		ce.Add(err)
	}
	return ce.Err()
}
