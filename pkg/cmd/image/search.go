package image

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// descriptionWidth is where search cuts descriptions without --no-trunc.
const descriptionWidth = 44

// SearchOptions are the inputs of `pod search`.
type SearchOptions struct {
	Factory    *cmdutil.Factory
	Limit      int
	Filters    []string
	Format     string
	NoTrunc    bool
	ListTags   bool
	Compatible bool
	cmdutil.RegistryFlags
	Term string
}

// NewCmdSearch returns `pod search`.
func NewCmdSearch(f *cmdutil.Factory, runF func(*SearchOptions) error) *cobra.Command {
	o := &SearchOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "search [options] TERM",
		Short: "Search a registry for an image",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Term = args[0]
			o.Parsed(cmd.Flags())
			if o.ListTags && len(o.Filters) > 0 {
				return cmdutil.FlagErrorf("--filter cannot be used with --list-tags: tags have no stars nor flags")
			}
			if runF != nil {
				return runF(o)
			}
			return runSearch(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.Limit, "limit", 0, "limit the number of results (default 25 per registry)")
	fl.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter output: stars=N, is-official=BOOL, is-automated=BOOL")
	fl.StringVar(&o.Format, "format", "", "change the output format to JSON or a Go template")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "do not truncate the output")
	fl.BoolVar(&o.ListTags, "list-tags", false, "list the tags of the repository TERM names")
	fl.BoolVar(&o.Compatible, "compatible", false, "list stars, official and automated columns (Docker compatibility)")
	o.Register(fl, cmdutil.RegistryAccess)
	return cmd
}

// SearchRow is one result as `search --format` templates see it.
type SearchRow struct {
	Index       string
	Name        string
	Description string
	Stars       int
	Official    string
	Automated   string
	Tag         string
}

// searchTagsJSON is one repository of `search --list-tags --format json`.
type searchTagsJSON struct {
	Name string   `json:"Name"`
	Tags []string `json:"Tags"`
}

func runSearch(ctx context.Context, o *SearchOptions) error {
	so := image.SearchOptions{
		System:   o.System(),
		Limit:    o.Limit,
		Filters:  o.Filters,
		ListTags: o.ListTags,
	}
	format := o.Format
	switch {
	case format != "":
	case o.ListTags:
		format = "table {{.Name}}\t{{.Tag}}"
	case o.Compatible:
		format = "table {{.Name}}\t{{.Description}}\t{{.Stars}}\t{{.Official}}\t{{.Automated}}"
	default:
		format = "table {{.Name}}\t{{.Description}}"
	}
	out := o.Factory.IOStreams.Out
	w, err := report.NewWriter(out, "search", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	w.Headers = map[string]string{"Index": "INDEX"}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	results, err := e.SearchImages(ctx, o.Term, so)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return nil
	}
	if w.IsJSON() {
		if o.ListTags {
			return writeJSON4(out, tagsJSON(results))
		}
		return writeJSON4(out, searchRows(results, o.NoTrunc))
	}
	err = w.Write(searchRows(results, o.NoTrunc))
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// searchRows turns results into rows, descriptions cut unless noTrunc.
func searchRows(results []image.SearchResult, noTrunc bool) []SearchRow {
	rows := make([]SearchRow, 0, len(results))
	for _, r := range results {
		d := r.Description
		if !noTrunc && len([]rune(d)) > descriptionWidth {
			d = string([]rune(d)[:descriptionWidth]) + "..."
		}
		rows = append(rows, SearchRow{Index: r.Index, Name: r.Name, Description: d, Stars: r.Stars,
			Official: r.Official, Automated: r.Automated, Tag: r.Tag})
	}
	return rows
}

// tagsJSON groups --list-tags results by repository.
func tagsJSON(results []image.SearchResult) []searchTagsJSON {
	var out []searchTagsJSON
	for _, r := range results {
		if n := len(out); n > 0 && out[n-1].Name == r.Name {
			out[n-1].Tags = append(out[n-1].Tags, r.Tag)
			continue
		}
		out = append(out, searchTagsJSON{Name: r.Name, Tags: []string{r.Tag}})
	}
	return out
}
