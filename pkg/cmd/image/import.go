package image

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ImportOptions are the inputs of `pod import`.
type ImportOptions struct {
	Factory *cmdutil.Factory
	Source  string
	Image   string
	Changes []string
	Message string
	Quiet   bool
	OS      string
	Arch    string
	Variant string
}

// NewCmdImport returns `pod import`: an image from a file system tarball.
func NewCmdImport(f *cmdutil.Factory, runF func(*ImportOptions) error) *cobra.Command {
	o := &ImportOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "import [options] PATH [REFERENCE]",
		Short: "Import a tarball to create a filesystem image",
		Long: "Create an image from the contents of a tarball (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar.zst):\n" +
			"a file, - for stdin, or an http(s) URL. Optionally name the image and set its config with --change.",
		Example: "  pod import rootfs.tar myimage\n" +
			"  pod export web | pod import -c 'CMD [\"/bin/sh\"]' - web-copy\n" +
			"  pod import --message \"base system\" http://example.com/rootfs.tar.gz",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Source = args[0]
			if len(args) > 1 {
				o.Image = args[1]
			}
			if runF != nil {
				return runF(o)
			}
			return runImport(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.Changes, "change", "c", nil, "apply a Dockerfile `instruction` to the image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR")
	fl.StringVarP(&o.Message, "message", "m", "", "set the comment of the image's history entry")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output but the image ID")
	fl.StringVar(&o.OS, "os", "", "set the OS of the imported image (default: this machine's)")
	fl.StringVar(&o.Arch, "arch", "", "set the architecture of the imported image (default: this machine's)")
	fl.StringVar(&o.Variant, "variant", "", "set the architecture variant of the imported image")
	return cmd
}

func runImport(ctx context.Context, o *ImportOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	lo := libpod.ImportOptions{
		Changes: o.Changes, Message: o.Message, OS: o.OS, Arch: o.Arch, Variant: o.Variant,
		Stdin: o.Factory.IOStreams.In,
	}
	if !o.Quiet {
		lo.Progress = o.Factory.IOStreams.ErrOut
	}
	id, err := e.ImportImage(ctx, o.Source, o.Image, lo)
	if err != nil {
		return err
	}
	_, err = io.WriteString(o.Factory.IOStreams.Out, "sha256:"+id+"\n")
	return err
}
