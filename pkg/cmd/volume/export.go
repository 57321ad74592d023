package volume

import (
	"context"
	"io"

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
	return cmdutil.WriteArchive(o.Factory, o.Output, func(e cmdutil.Engine, w io.Writer) error {
		return e.ExportVolume(ctx, o.Name, w)
	})
}
