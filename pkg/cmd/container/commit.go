package container

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CommitOptions are the inputs of `pod commit`.
type CommitOptions struct {
	Factory        *cmdutil.Factory
	Container      string
	Image          string
	Changes        []string
	Format         string
	Message        string
	Author         string
	Pause          bool
	Quiet          bool
	Squash         bool
	IncludeVolumes bool
	IIDFile        string
}

// NewCmdCommit returns `pod commit`: a new image from a container's
// changes.
func NewCmdCommit(f *cmdutil.Factory, runF func(*CommitOptions) error) *cobra.Command {
	o := &CommitOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "commit [options] CONTAINER [IMAGE]",
		Short: "Create new image based on the changed container",
		Example: "  pod commit -q --author \"First Last\" web web-image\n" +
			"  pod commit -c 'CMD [\"/bin/app\"]' -c 'ENV MODE=prod' web web-image\n" +
			"  pod commit --format docker --message \"fixed the config\" web",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Container = args[0]
			if len(args) > 1 {
				o.Image = args[1]
			}
			if runF != nil {
				return runF(o)
			}
			return runCommit(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Author, "author", "a", "", "set the author of the committed image")
	fl.StringArrayVarP(&o.Changes, "change", "c", nil, "apply a Dockerfile `instruction` to the image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR")
	fl.StringVarP(&o.Format, "format", "f", "oci", "`format` of the image manifest and metadata (oci or docker)")
	fl.StringVar(&o.IIDFile, "iidfile", "", "write the image ID to `file`")
	fl.BoolVar(&o.IncludeVolumes, "include-volumes", false, "include the container's volumes as image volumes")
	fl.StringVarP(&o.Message, "message", "m", "", "set the commit message (docker format only)")
	fl.BoolVarP(&o.Pause, "pause", "p", false, "pause the container during the commit")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output but the image ID")
	fl.BoolVarP(&o.Squash, "squash", "s", false, "squash the image's layers into a single new layer")
	return cmd
}

func runCommit(ctx context.Context, o *CommitOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	co := libpod.CommitOptions{
		Changes: o.Changes, Format: o.Format, Message: o.Message, Author: o.Author,
		Pause: o.Pause, Squash: o.Squash, IncludeVolumes: o.IncludeVolumes,
	}
	if !o.Quiet {
		co.Progress = o.Factory.IOStreams.ErrOut
	}
	id, err := e.CommitContainer(ctx, o.Container, o.Image, co)
	if err != nil {
		return err
	}
	if o.IIDFile != "" {
		if err := os.WriteFile(o.IIDFile, []byte(id), 0o644); err != nil {
			return fmt.Errorf("writing the image id to --iidfile %s: %w", o.IIDFile, err)
		}
	}
	_, err = io.WriteString(o.Factory.IOStreams.Out, id+"\n")
	return err
}
