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
				return cmdutil.FlagError(errors.New("rmi requires image names or --all, not both"))
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

// rmi exit codes: 1 when an image did not exist, 2 when one was in use.
func runRmi(ctx context.Context, o *RmiOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	rt, err := o.Factory.Runtime()
	if err != nil {
		return err
	}
	names := o.Names
	if o.All {
		imgs, err := rt.Images()
		if err != nil {
			return err
		}
		for _, i := range imgs {
			names = append(names, i.ID)
		}
	}
	code := 0
	var last error
	out := o.Factory.IOStreams.Out
	for _, n := range names {
		untagged, deleted, err := rt.RemoveImage(ctx, n, o.Force)
		if err != nil {
			if o.Ignore && errors.Is(err, define.ErrNoSuchImage) {
				continue
			}
			if last != nil {
				fmt.Fprintln(o.Factory.IOStreams.ErrOut, cmdutil.Message(last))
			}
			last = err
			switch {
			case errors.Is(err, define.ErrNoSuchImage) && code == 0:
				code = 1
			case errors.Is(err, define.ErrImageInUse) && code != 125:
				code = 2
			case !errors.Is(err, define.ErrNoSuchImage) && !errors.Is(err, define.ErrImageInUse):
				code = 125
			}
			continue
		}
		for _, u := range untagged {
			fmt.Fprintln(out, "Untagged: "+u)
		}
		for _, d := range deleted {
			fmt.Fprintln(out, "Deleted: "+d)
		}
	}
	if last != nil {
		return &cmdutil.ExitError{Code: code, Err: last}
	}
	return nil
}
