package container

import (
	"context"
	"io"

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
	return cmdutil.WriteArchive(o.Factory, o.Output, func(e cmdutil.Engine, w io.Writer) error {
		return e.ExportContainer(ctx, o.Container, w)
	})
}
