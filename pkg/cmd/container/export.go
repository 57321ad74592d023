package container

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ExportOptions are the inputs of `pod export`.
type ExportOptions struct {
	Factory   *cmdutil.Factory
	Container string
	Output    string
}

// NewCmdExport returns `pod export`: a container's file system as a tar
// archive.
func NewCmdExport(f *cmdutil.Factory, runF func(*ExportOptions) error) *cobra.Command {
	o := &ExportOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "export [options] CONTAINER",
		Short:   "Export container's filesystem contents as a tar archive",
		Example: "  pod export web > web.tar\n  pod export -o web.tar web",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Container = args[0]
			if runF != nil {
				return runF(o)
			}
			return runExport(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write to `file` (default: stdout, which must be redirected)")
	return cmd
}

func runExport(ctx context.Context, o *ExportOptions) error {
	streams := o.Factory.IOStreams
	if o.Output == "" && cmdutil.IsTerminal(streams.OutFile) {
		return cmdutil.FlagErrorf("refusing to export to terminal. Use -o flag or redirect")
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	if o.Output == "" {
		return e.ExportContainer(ctx, o.Container, streams.Out)
	}
	_, statErr := os.Lstat(o.Output)
	f, err := os.OpenFile(o.Output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("creating file %q: %w", o.Output, err)
	}
	err = e.ExportContainer(ctx, o.Container, f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %q: %w", o.Output, cerr)
	}
	if err != nil && errors.Is(statErr, fs.ErrNotExist) {
		// Leave no partial archive under a name that was not there.
		_ = os.Remove(o.Output)
	}
	return err
}
