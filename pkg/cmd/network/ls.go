package network

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/networks"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// LsOptions are the inputs of `pod network ls`.
type LsOptions struct {
	Factory   *cmdutil.Factory
	Filters   []string
	Format    string
	Quiet     bool
	NoHeading bool
	NoTrunc   bool
}

// lsRow is a network as ls's templates see it: the id shortened unless
// --no-trunc.
type lsRow struct {
	*networks.Network
	ID string
}

// NewCmdLs returns `pod network ls`.
func NewCmdLs(f *cmdutil.Factory, runF func(*LsOptions) error) *cobra.Command {
	o := &LsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "ls [options]",
		Aliases: []string{"list"},
		Short:   "List networks",
		Example: "  pod network ls\n  pod network ls --format '{{.Name}} {{.Driver}}'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runLs(o)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter the output: name, id, driver, label")
	fl.StringVar(&o.Format, "format", "", "format the output with a Go template or json")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "print the network names only")
	fl.BoolVarP(&o.NoHeading, "noheading", "n", false, "do not print headers")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "print the full network id")
	return cmd
}

func runLs(o *LsOptions) error {
	format := o.Format
	if format == "" {
		format = "table {{.ID}}\t{{.Name}}\t{{.Driver}}"
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	nets, err := e.ListNetworks(o.Filters)
	if err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	if o.Quiet {
		for _, n := range nets {
			fmt.Fprintln(out, n.Name)
		}
		return nil
	}
	if _, _, isJSON := report.NormalizeFormat(format); isJSON {
		return report.WriteInspectJSON(out, nets)
	}
	w, err := report.NewWriter(out, "network ls", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	w.Headers = map[string]string{"ID": "NETWORK ID"}
	w.NoHeading = o.NoHeading
	rows := make([]lsRow, len(nets))
	for i, n := range nets {
		rows[i] = lsRow{Network: n, ID: n.ID}
		if !o.NoTrunc {
			rows[i].ID = define.ShortID(n.ID)
		}
	}
	if err := w.Write(rows); err != nil {
		return fmt.Errorf("network ls --format: %w", err)
	}
	return w.Flush()
}
