package image

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PullOptions are the inputs of `pod pull`.
type PullOptions struct {
	Factory   *cmdutil.Factory
	Quiet     bool
	TLSVerify bool
	tlsSet    bool
	Creds     string
	AuthFile  string
	Names     []string
}

// NewCmdPull returns `pod pull`.
func NewCmdPull(f *cmdutil.Factory, runF func(*PullOptions) error) *cobra.Command {
	o := &PullOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "pull [options] IMAGE [IMAGE...]",
		Short: "Pull an image from a registry",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("pull requires an image name")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			o.tlsSet = cmd.Flags().Changed("tls-verify")
			if runF != nil {
				return runF(o)
			}
			return runPull(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output information when pulling images")
	fl.BoolVar(&o.TLSVerify, "tls-verify", true, "require HTTPS and verify certificates when contacting registries")
	fl.StringVar(&o.Creds, "creds", "", "use `[username[:password]]` for accessing the registry")
	fl.StringVar(&o.AuthFile, "authfile", "", "path of the authentication file")
	return cmd
}

func runPull(ctx context.Context, o *PullOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	po := image.PullOptions{
		System:   image.SystemOptions{AuthFile: o.AuthFile, Creds: o.Creds},
		Policy:   image.PullAlways,
		Quiet:    o.Quiet,
		Progress: o.Factory.IOStreams.ErrOut,
	}
	if o.tlsSet {
		v := o.TLSVerify
		po.System.TLSVerify = &v
	}
	for _, n := range o.Names {
		ref, err := e.PullImage(ctx, n, po)
		if err != nil {
			return err
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, ref.ID)
	}
	return nil
}
