package volume

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// LsOptions are the inputs of `pod volume ls`.
type LsOptions struct {
	Factory   *cmdutil.Factory
	Filters   []string
	Format    string
	Quiet     bool
	NoHeading bool
}

// NewCmdLs returns `pod volume ls`.
func NewCmdLs(f *cmdutil.Factory, runF func(*LsOptions) error) *cobra.Command {
	o := &LsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "ls [options]",
		Aliases: []string{"list"},
		Short:   "List volumes",
		Example: "  pod volume ls --filter dangling=true -q\n  pod volume ls --format '{{.Name}} {{.Mountpoint}}'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runLs(o)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter the output: name, label, label!, driver, scope, opt, dangling, until")
	fl.StringVar(&o.Format, "format", "", "format the output with a Go template or json")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "print the volume names only")
	fl.BoolVarP(&o.NoHeading, "noheading", "n", false, "do not print headers")
	return cmd
}

func runLs(o *LsOptions) error {
	format := o.Format
	if format == "" {
		format = "table {{.Driver}}\t{{.Name}}"
	}
	w, err := report.NewWriter(o.Factory.IOStreams.Out, "volume ls", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	w.Headers = map[string]string{"Name": "VOLUME NAME"}
	w.NoHeading = o.NoHeading
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	vols, err := e.ListVolumes(o.Filters)
	if err != nil {
		return err
	}
	if o.Quiet {
		for _, v := range vols {
			fmt.Fprintln(o.Factory.IOStreams.Out, v.Name)
		}
		return nil
	}
	if err := w.Write(vols); err != nil {
		return fmt.Errorf("volume ls --format: %w", err)
	}
	return w.Flush()
}
