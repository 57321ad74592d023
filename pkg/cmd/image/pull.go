package image

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PullOptions are the inputs of `pod pull`.
type PullOptions struct {
	Factory *cmdutil.Factory
	Quiet   bool
	cmdutil.RegistryFlags
	AllTags  bool
	Platform image.PlatformOptions
	// Retries is --retry; nil when not given (the engine's default).
	Retries *uint
	// RetryDelay is --retry-delay; nil when not given (exponential).
	RetryDelay *time.Duration
	Names      []string
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
			o.Parsed(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runPull(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output information when pulling images")
	o.Register(fl, cmdutil.FlagTLSVerify|cmdutil.FlagCreds|cmdutil.FlagAuthFile)
	fl.BoolVarP(&o.AllTags, "all-tags", "a", false, "pull every tagged image of the repository")
	fl.StringVar(&o.Platform.Platform, "platform", "", "choose the image for `OS/ARCH[/VARIANT]` from a multi-architecture image (conflicts with --arch and --os)")
	fl.StringVar(&o.Platform.Arch, "arch", "", "choose the image for `ARCH` instead of the machine's architecture")
	fl.StringVar(&o.Platform.OS, "os", "", "choose the image for `OS` instead of the running OS")
	fl.StringVar(&o.Platform.Variant, "variant", "", "choose the image for `VARIANT` of the architecture (e.g. v7, v8)")
	fl.Var(cmdutil.OptionalUint{Target: &o.Retries, Def: image.DefaultPullRetries}, "retry", "times to retry a pull that failed for a transient reason")
	fl.Var(cmdutil.OptionalDuration{Target: &o.RetryDelay}, "retry-delay", "`DURATION` between retries (default: 1s, doubling after each retry)")
	return cmd
}

func runPull(ctx context.Context, o *PullOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	po := image.PullOptions{
		System:     o.System(),
		Policy:     image.PullAlways,
		Quiet:      o.Quiet,
		Progress:   o.Factory.IOStreams.ErrOut,
		Platform:   o.Platform,
		Retries:    o.Retries,
		RetryDelay: o.RetryDelay,
	}
	for _, n := range o.Names {
		var refs []*libpod.ImageRef
		if o.AllTags {
			refs, err = e.PullAllTags(ctx, n, po)
		} else {
			var ref *libpod.ImageRef
			if ref, err = e.PullImage(ctx, n, po); err == nil {
				refs = append(refs, ref)
			}
		}
		if err != nil {
			return err
		}
		for _, ref := range refs {
			fmt.Fprintln(o.Factory.IOStreams.Out, ref.ID)
		}
	}
	return nil
}
