package volume

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ExportOptions are the inputs of `pod volume export`.
type ExportOptions struct {
	Factory *cmdutil.Factory
	Name    string
	Output  string
}

// NewCmdExport returns `pod volume export`: a volume's content as a tar
// archive.
func NewCmdExport(f *cmdutil.Factory, runF func(*ExportOptions) error) *cobra.Command {
	o := &ExportOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "export [options] VOLUME",
		Short:   "Export volume contents to a tar archive",
		Example: "  pod volume export data > data.tar\n  pod volume export -o data.tar data",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
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
		return e.ExportVolume(ctx, o.Name, streams.Out)
	}
	_, statErr := os.Lstat(o.Output)
	f, err := os.OpenFile(o.Output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("creating file %q: %w", o.Output, err)
	}
	err = e.ExportVolume(ctx, o.Name, f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %q: %w", o.Output, cerr)
	}
	if err != nil && errors.Is(statErr, fs.ErrNotExist) {
		_ = os.Remove(o.Output)
	}
	return err
}
