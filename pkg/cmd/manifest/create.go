package manifest

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CreateOptions are the inputs of `pod manifest create`.
type CreateOptions struct {
	Factory  *cmdutil.Factory
	All      bool
	Amend    bool
	Registry cmdutil.RegistryFlags
	List     string
	Images   []string
}

// NewCmdCreate returns `pod manifest create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	o := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "create [options] LIST [IMAGE...]",
		Short: "Create manifest list or image index",
		Example: `  pod manifest create mylist:v1.11
  pod manifest create mylist:v1.11 registry.example.com/app:v1.11-amd64
  pod manifest create --all mylist:v1.11 docker://registry.example.com/app:v1.11`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List, o.Images = args[0], args[1:]
			o.Registry.Parsed(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runCreate(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.All, "all", false, "add all of the lists' images if the images to add are lists")
	fl.BoolVarP(&o.Amend, "amend", "a", false, "modify an existing list if one with the desired name already exists")
	o.Registry.Register(fl, cmdutil.FlagTLSVerify)
	return cmd
}

// runCreate creates the list with the images and prints its id.
func runCreate(ctx context.Context, o *CreateOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	id, err := e.CreateManifestList(ctx, o.List, o.Images, image.ManifestAddOptions{System: o.Registry.System(), All: o.All}, o.Amend)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, id)
	return nil
}
