package volume

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ImportOptions are the inputs of `pod volume import`.
type ImportOptions struct {
	Factory *cmdutil.Factory
	Name    string
	Source  string // a tar file, or "-" for stdin
}

// NewCmdImport returns `pod volume import`: a tar archive extracted into
// a volume.
func NewCmdImport(f *cmdutil.Factory, runF func(*ImportOptions) error) *cobra.Command {
	o := &ImportOptions{Factory: f}
	return &cobra.Command{
		Use:     "import VOLUME [SOURCE]",
		Short:   "Import a tarball contents into a volume",
		Example: "  pod volume import data data.tar\n  cat data.tar | pod volume import data -",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name, o.Source = args[0], "-"
			if len(args) == 2 {
				o.Source = args[1]
			}
			if runF != nil {
				return runF(o)
			}
			return runImport(cmd.Context(), o)
		},
	}
}

func runImport(ctx context.Context, o *ImportOptions) error {
	var in io.Reader = o.Factory.IOStreams.In
	if o.Source != "-" {
		f, err := os.Open(o.Source)
		if err != nil {
			return fmt.Errorf("import into volume %s: %w", o.Name, err)
		}
		defer f.Close()
		in = f
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.ImportVolume(ctx, o.Name, in)
}
