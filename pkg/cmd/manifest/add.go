package manifest

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// AddOptions are the inputs of `pod manifest add`.
type AddOptions struct {
	Factory   *cmdutil.Factory
	All       bool
	Overrides OverrideFlags
	Registry  cmdutil.RegistryFlags
	List      string
	Images    []string
}

// NewCmdAdd returns `pod manifest add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	o := &AddOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "add [options] LIST IMAGE [IMAGE...]",
		Short: "Add images to a manifest list or image index",
		Long: `Add images to a manifest list or image index.

An IMAGE is read from its registry (docker://REF, or a bare reference), or
from local storage (containers-storage:NAME, an image id, or a bare name the
registry does not have). Nothing is pulled.`,
		Example: `  pod manifest add mylist:v1.11 registry.example.com/app:v1.11-amd64
  pod manifest add --arch arm64 mylist:v1.11 containers-storage:localhost/app:arm64`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List, o.Images = args[0], args[1:]
			o.Registry.Parsed(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runAdd(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.All, "all", false, "add all of the list's images if the image is a list")
	o.Overrides.add(fl)
	o.Registry.Register(fl, cmdutil.RegistryAccess)
	return cmd
}

// runAdd adds the images and prints the list's id.
func runAdd(ctx context.Context, o *AddOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	warnFeatures(o.Factory, o.Overrides.Features)
	ao := image.ManifestAddOptions{System: o.Registry.System(), All: o.All, Overrides: o.Overrides.InstanceOverrides}
	id, err := e.AddToManifestList(ctx, o.List, o.Images, ao)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, id)
	return nil
}

// warnFeatures says that --features is not kept: the lists are OCI image
// indexes, whose platforms have no such field.
func warnFeatures(f *cmdutil.Factory, features []string) {
	if len(features) > 0 {
		fmt.Fprintln(f.IOStreams.ErrOut, "WARN: --features is ignored: an OCI image index has no platform features (use --annotation)")
	}
}
