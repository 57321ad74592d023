package image

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// SaveOptions are the inputs of `pod save`.
type SaveOptions struct {
	Factory      *cmdutil.Factory
	Output       string
	Format       string
	MultiImage   bool
	Quiet        bool
	Compress     bool
	Uncompressed bool
	Images       []string
}

// NewCmdSave returns `pod save`.
func NewCmdSave(f *cmdutil.Factory, runF func(*SaveOptions) error) *cobra.Command {
	o := &SaveOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "save [options] IMAGE [IMAGE...]",
		Short: "Save image(s) to an archive",
		Long: "Save images to a docker-archive (the default), an oci-archive, an OCI layout directory (oci-dir) " +
			"or a directory of blobs (docker-dir). Without -m, the names after the first image are extra names " +
			"recorded for it in a docker-archive.",
		Example: "  pod save -o alpine.tar alpine\n  pod save -m -o both.tar alpine:3.20.3 alpine:3.19.4\n" +
			"  pod save --format oci-dir -o alpine-dir alpine\n  pod save alpine | pod load",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("need at least 1 argument")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Images = args
			format, err := image.ParseSaveFormat(o.Format)
			if err != nil {
				return cmdutil.NewFlagError(err)
			}
			if o.Compress && format != image.DockerDir {
				return cmdutil.FlagErrorf("--compress can only be set when --format is 'docker-dir'")
			}
			if runF != nil {
				return runF(o)
			}
			return runSave(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Output, "output", "o", "", "write to `file` or directory (default: stdout, which must be redirected)")
	fl.StringVar(&o.Format, "format", string(image.DockerArchive), "save as docker-archive, oci-archive, oci-dir (OCI layout directory) or docker-dir (directory with a v2s2 manifest)")
	fl.BoolVarP(&o.MultiImage, "multi-image-archive", "m", false, "save every IMAGE as an image of its own (docker-archive only)")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress the progress output")
	fl.BoolVar(&o.Compress, "compress", false, "compress the layers of a docker-dir")
	fl.BoolVar(&o.Uncompressed, "uncompressed", false, "keep the layers of oci-archive and oci-dir uncompressed")
	return cmd
}

// runSave writes the images; the archive goes to stdout unless -o is
// given, and never to a terminal.
func runSave(ctx context.Context, o *SaveOptions) error {
	io := o.Factory.IOStreams
	so := image.SaveOptions{
		Format:       image.SaveFormat(o.Format),
		Output:       o.Output,
		MultiImage:   o.MultiImage,
		Compress:     o.Compress,
		Uncompressed: o.Uncompressed,
		Quiet:        o.Quiet,
		Progress:     io.ErrOut,
	}
	if o.Output == "" {
		if cmdutil.IsTerminal(io.OutFile) {
			return cmdutil.FlagErrorf("refusing to save to terminal: use -o FILE or redirect the output")
		}
		// The archive is the output: no progress with it.
		so.Stdout, so.Quiet = io.Out, true
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.SaveImages(ctx, o.Images, so)
}
