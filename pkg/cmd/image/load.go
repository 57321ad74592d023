package image

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// LoadOptions are the inputs of `pod load`.
type LoadOptions struct {
	Factory *cmdutil.Factory
	Input   string
	Quiet   bool
}

// NewCmdLoad returns `pod load`.
func NewCmdLoad(f *cmdutil.Factory, runF func(*LoadOptions) error) *cobra.Command {
	o := &LoadOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "load [options]",
		Short: "Load image(s) from a tar archive",
		Long: "Load every image of a docker-archive, oci-archive, OCI layout directory or docker-dir " +
			"into local storage; the format is found from the content.",
		Example: "  pod load -i alpine.tar\n  pod load < alpine.tar",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("`pod load` takes no arguments")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runLoad(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Input, "input", "i", "", "read from archive `file` or directory (default: stdin, which must be redirected)")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress the progress output")
	return cmd
}

// runLoad loads the archive and prints "Loaded image: NAME" for every name
// loaded (also those loaded before a later image of the archive failed).
func runLoad(ctx context.Context, o *LoadOptions) error {
	io := o.Factory.IOStreams
	lo := image.LoadOptions{Input: o.Input, Quiet: o.Quiet, Progress: io.ErrOut}
	if o.Input == "" {
		if cmdutil.IsTerminal(io.InFile) {
			return cmdutil.FlagErrorf("cannot read from terminal: use -i FILE or redirect the input")
		}
		lo.Stdin = io.In
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	names, err := e.LoadImages(ctx, lo)
	for _, n := range names {
		fmt.Fprintf(io.Out, "Loaded image: %s\n", n)
	}
	return err
}
