package image

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// BuildOptions are the inputs of `pod build`.
type BuildOptions struct {
	Factory     *cmdutil.Factory
	Context     string
	Files       []string
	Tags        []string
	BuildArgs   []string
	Labels      []string
	Annotations []string
	Format      string
	Quiet       bool
	IIDFile     string
	Remove      bool
	ForceRemove bool
	NoCache     bool
	Layers      bool
	Squash      bool
	SquashAll   bool
	Network     string
	Target      string
	Pull        string
	cmdutil.RegistryFlags
}

// NewCmdBuild returns `pod build`: an image from a Containerfile.
func NewCmdBuild(f *cmdutil.Factory, runF func(*BuildOptions) error) *cobra.Command {
	o := &BuildOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "build [options] [CONTEXT]",
		Short: "Build an image using instructions from Containerfiles",
		Example: "  pod build -t web .\n" +
			"  pod build -f Containerfile.dev --build-arg VERSION=2 -t web:dev ctx/\n" +
			"  pod build -t app - < Containerfile",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Context = "."
			if len(args) > 0 {
				o.Context = args[0]
			}
			o.Parsed(cmd.Flags())
			if len(o.Files) > 1 {
				return cmdutil.FlagErrorf("only one -f/--file is supported")
			}
			if o.Squash && o.SquashAll {
				return cmdutil.FlagErrorf("--squash and --squash-all cannot be used together: --squash-all includes the base image's layers")
			}
			switch strings.ToLower(o.Pull) {
			case "true":
				o.Pull = "always"
			case "false":
				o.Pull = "missing"
			}
			if runF != nil {
				return runF(o)
			}
			return runBuild(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&o.Annotations, "annotation", nil, "add an annotation `key=value` to the image manifest")
	fl.StringArrayVar(&o.BuildArgs, "build-arg", nil, "`ARG=value` for the build's ARG instructions")
	fl.StringArrayVarP(&o.Files, "file", "f", nil, "`Containerfile` to build (\"-\": stdin)")
	fl.BoolVar(&o.ForceRemove, "force-rm", false, "always remove intermediate containers (they always are)")
	fl.StringVar(&o.Format, "format", "oci", "`format` of the image manifest and metadata (oci or docker)")
	fl.StringVar(&o.IIDFile, "iidfile", "", "write the image ID to `file`")
	fl.StringArrayVar(&o.Labels, "label", nil, "add a label `key=value` to the image")
	fl.BoolVar(&o.Layers, "layers", true, "keep and reuse an image for every step")
	fl.StringVar(&o.Network, "network", "", "`mode` of the network of RUN containers (none, host, or the default)")
	fl.BoolVar(&o.NoCache, "no-cache", false, "do not reuse cached steps")
	fl.StringVar(&o.Pull, "pull", "missing", "pull `policy` of FROM images: always, missing, never, newer")
	fl.Lookup("pull").NoOptDefVal = "always"
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "print only the image ID")
	fl.BoolVar(&o.Remove, "rm", true, "remove intermediate containers after a successful build (they always are)")
	fl.BoolVar(&o.Squash, "squash", false, "squash the layers the build adds into one")
	fl.BoolVar(&o.SquashAll, "squash-all", false, "squash the whole image, base included, into one layer")
	fl.StringArrayVarP(&o.Tags, "tag", "t", nil, "`name` of the image (several times for several names)")
	fl.StringVar(&o.Target, "target", "", "build the `stage` of a multi-stage Containerfile")
	o.Register(fl, cmdutil.RegistryAccess)
	return cmd
}

func runBuild(ctx context.Context, o *BuildOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	streams := o.Factory.IOStreams
	bo := libpod.BuildOptions{
		ContextDir: o.Context, Stdin: streams.In, Tags: o.Tags, BuildArgs: o.BuildArgs,
		Labels: o.Labels, Annotations: o.Annotations, Format: o.Format, Target: o.Target,
		NoCache: o.NoCache, Layers: o.Layers, Pull: o.Pull, Squash: o.Squash, SquashAll: o.SquashAll, Network: o.Network,
		Registry: o.System(),
	}
	if len(o.Files) == 1 {
		bo.Containerfile = o.Files[0]
	}
	if o.Quiet {
		bo.RunOut = streams.ErrFile
	} else {
		bo.Out = streams.Out
		bo.RunOut = streams.OutFile
	}
	id, err := e.Build(ctx, bo)
	if err != nil {
		var re *libpod.BuildRunError
		if errors.As(err, &re) {
			return &cmdutil.ExitError{Code: re.Code, Err: err}
		}
		return err
	}
	if o.IIDFile != "" {
		if err := os.WriteFile(o.IIDFile, []byte("sha256:"+id), 0o644); err != nil {
			return fmt.Errorf("writing the image id to --iidfile %s: %w", o.IIDFile, err)
		}
	}
	_, err = fmt.Fprintln(streams.Out, id)
	return err
}
