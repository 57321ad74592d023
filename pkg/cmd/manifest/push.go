package manifest

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// PushOptions are the inputs of `pod manifest push`.
type PushOptions struct {
	Factory          *cmdutil.Factory
	All              bool
	Format           string
	DigestFile       string
	Quiet            bool
	Rm               bool
	RemoveSignatures bool
	Registry         cmdutil.RegistryFlags
	List             string
	Destination      string
}

// NewCmdPush returns `pod manifest push`.
func NewCmdPush(f *cmdutil.Factory, runF func(*PushOptions) error) *cobra.Command {
	o := &PushOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "push [options] LIST [DESTINATION]",
		Short: "Push a manifest list or image index to a registry",
		Long: `Push a manifest list or image index to a registry.

The instances are pushed first: those added from local storage from there,
the others copied from their registries. DESTINATION defaults to the list's
name.`,
		Example: `  pod manifest push mylist:v1.11 docker://registry.example.com/app:v1.11`,
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List = args[0]
			if len(args) > 1 {
				o.Destination = args[1]
			}
			switch o.Format {
			case "", "oci", "v2s2":
			default:
				return cmdutil.FlagErrorf("unsupported --format %q: use oci or v2s2", o.Format)
			}
			o.Registry.Parsed(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runPush(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.All, "all", true, "also push the images in the list")
	fl.StringVar(&o.DigestFile, "digestfile", "", "after copying the image, write the digest of the resulting manifest list to the `file`")
	fl.StringVarP(&o.Format, "format", "f", "", "manifest type (oci or v2s2) to use when pushing the list (default: the list's own)")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "don't output progress information when pushing lists")
	fl.BoolVar(&o.Rm, "rm", false, "remove the manifest list if push succeeds")
	fl.BoolVar(&o.RemoveSignatures, "remove-signatures", false, "don't copy signatures when pushing images")
	o.Registry.Register(fl, cmdutil.RegistryAccess)
	return cmd
}

// runPush pushes the list, then writes --digestfile.
func runPush(ctx context.Context, o *PushOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	po := image.ManifestPushOptions{
		System:           o.Registry.System(),
		All:              o.All,
		Format:           o.Format,
		RemoveSignatures: o.RemoveSignatures,
		Quiet:            o.Quiet,
		Progress:         o.Factory.IOStreams.ErrOut,
	}
	d, err := e.PushManifestList(ctx, o.List, o.Destination, po, o.Rm)
	if err != nil {
		return err
	}
	if o.DigestFile != "" {
		if err := fsutil.WriteFileAtomic(o.DigestFile, []byte(d), 0o644); err != nil {
			return fmt.Errorf("writing --digestfile: %w", err)
		}
	}
	return nil
}
