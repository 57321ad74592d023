package image

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// PushOptions are the inputs of `pod push`.
type PushOptions struct {
	Factory *cmdutil.Factory
	Source  string
	// Dest is the destination as given; "" pushes to the source's name.
	Dest string

	Quiet bool
	// Retries is --retry; nil when not given (the engine's default).
	Retries *uint
	// RetryDelay is --retry-delay; nil when not given (exponential).
	RetryDelay *time.Duration
	cmdutil.RegistryFlags
	DigestFile        string
	Format            string
	CompressionFormat string
	CompressionLevel  int
	levelSet          bool
	ForceCompression  bool
	forceSet          bool
	Compress          bool
	RemoveSignatures  bool
	SignBy            string
	// DisableContentTrust is accepted for Docker compatibility and ignored.
	DisableContentTrust bool
}

// NewCmdPush returns `pod push`.
func NewCmdPush(f *cmdutil.Factory, runF func(*PushOptions) error) *cobra.Command {
	o := &PushOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "push [options] IMAGE [DESTINATION]",
		Short: "Push an image to a registry or another destination",
		Long: `Push a local image to a registry, or to a destination given as TRANSPORT:DETAILS:
docker://REGISTRY/NAME[:TAG], oci:DIR[:NAME], oci-archive:FILE[:NAME],
docker-archive:FILE[:NAME[:TAG]] or dir:DIR. Without a DESTINATION the image is
pushed to the registry its name names. Only blobs the registry lacks are uploaded.`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return cmdutil.FlagErrorf("push requires an image name (and optionally a destination)")
			case len(args) > 2:
				return cmdutil.FlagErrorf("push accepts an image and one destination, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Source = args[0]
			if len(args) == 2 {
				o.Dest = args[1]
			}
			fl := cmd.Flags()
			o.Parsed(fl)
			o.levelSet = fl.Changed("compression-level")
			o.forceSet = fl.Changed("force-compression")
			if runF != nil {
				return runF(o)
			}
			return runPush(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output information when pushing images")
	o.Register(fl, cmdutil.RegistryAccess)
	fl.StringVar(&o.DigestFile, "digestfile", "", "write the digest of the pushed manifest to `FILE`")
	fl.StringVarP(&o.Format, "format", "f", "", "manifest type to write: oci, v2s2 or v2s1 (default: the image's, with fallbacks)")
	fl.StringVar(&o.CompressionFormat, "compression-format", "", "compress layers with `FORMAT`: gzip, zstd or zstd:chunked (default gzip)")
	fl.IntVar(&o.CompressionLevel, "compression-level", 0, "compression level of --compression-format")
	fl.BoolVar(&o.ForceCompression, "force-compression", false, "compress again layers already compressed otherwise (default true with --compression-format)")
	fl.BoolVar(&o.Compress, "compress", false, "compress layers written to a dir: destination")
	fl.BoolVar(&o.RemoveSignatures, "remove-signatures", false, "discard the signatures the image carries")
	fl.StringVar(&o.SignBy, "sign-by", "", "sign the image with the GPG key `FINGERPRINT` (not supported)")
	fl.Var(cmdutil.OptionalUint{Target: &o.Retries, Def: image.DefaultPullRetries}, "retry", "times to retry a push that failed for a transient reason")
	fl.Var(cmdutil.OptionalDuration{Target: &o.RetryDelay}, "retry-delay", "`DURATION` between retries (default: 1s, doubling after each retry)")
	fl.BoolVar(&o.DisableContentTrust, "disable-content-trust", false, "ignored: accepted for Docker compatibility")
	_ = fl.MarkHidden("disable-content-trust")
	return cmd
}

func runPush(ctx context.Context, o *PushOptions) error {
	if o.SignBy != "" {
		return fmt.Errorf("--sign-by %s: pod cannot sign images: push without --sign-by%.0w", o.SignBy, define.ErrInvalidArg)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	po := image.PushOptions{
		System:            o.System(),
		Format:            o.Format,
		CompressionFormat: o.CompressionFormat,
		DirCompress:       o.Compress,
		RemoveSignatures:  o.RemoveSignatures,
		Retries:           o.Retries,
		RetryDelay:        o.RetryDelay,
		Quiet:             o.Quiet,
		Progress:          o.Factory.IOStreams.ErrOut,
	}
	if o.levelSet {
		v := o.CompressionLevel
		po.CompressionLevel = &v
	}
	if o.forceSet {
		v := o.ForceCompression
		po.ForceCompression = &v
	}
	res, err := e.PushImage(ctx, o.Source, o.Dest, po)
	if err != nil {
		return err
	}
	if o.DigestFile != "" {
		if err := fsutil.WriteFileAtomic(o.DigestFile, []byte(res.Digest.String()), 0o644); err != nil {
			return fmt.Errorf("pushed %s, but writing --digestfile: %w", res.Destination, err)
		}
	}
	return nil
}
