package image

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// createdByWidth is how much of CREATED BY is shown without --no-trunc.
const createdByWidth = 45

// HistoryOptions are the inputs of `pod history`.
type HistoryOptions struct {
	Factory *cmdutil.Factory
	NoTrunc bool
	Quiet   bool
	Human   bool
	Format  string
	Image   string
}

// NewCmdHistory returns `pod history`.
func NewCmdHistory(f *cmdutil.Factory, runF func(*HistoryOptions) error) *cobra.Command {
	o := &HistoryOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "history [options] IMAGE",
		Short: "Show history of a specified image",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Image = args[0]
			if runF != nil {
				return runF(o)
			}
			return runHistory(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "do not truncate the output")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "display the numeric IDs only")
	fl.BoolVarP(&o.Human, "human", "H", true, "display sizes and dates in human readable format")
	fl.StringVar(&o.Format, "format", "", "change the output to JSON or a Go template")
	return cmd
}

// HistoryRow is one history entry as `history --format` templates see it.
type HistoryRow struct {
	ID        string
	Created   string
	CreatedBy string
	Size      string
	Comment   string
	Tags      []string
}

// HistoryJSON is one history entry in `history --format json`, with
// podman's keys (the time twice: "created" and "Created").
type HistoryJSON struct {
	ID         string    `json:"id"`
	Created    time.Time `json:"created"`
	CreatedBy  string    `json:",omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	Size       int64     `json:"size"`
	Comment    string    `json:"comment,omitempty"`
	CreatedStr string    `json:"Created"`
}

// runHistory prints the image's history, newest entry first.
func runHistory(ctx context.Context, o *HistoryOptions) error {
	var w *report.Writer
	if !o.Quiet {
		format := o.Format
		if format == "" {
			format = "table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
		}
		var err error
		if w, err = report.NewWriter(o.Factory.IOStreams.Out, "history", format); err != nil {
			return cmdutil.FlagErrorf("invalid --format: %w", err)
		}
		w.Headers = map[string]string{"CreatedBy": "CREATED BY"}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	entries, err := e.ImageHistory(ctx, o.Image)
	if err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	if o.Quiet {
		for _, h := range entries {
			fmt.Fprintln(out, o.id(h.ID))
		}
		return nil
	}
	if w.IsJSON() {
		js := make([]HistoryJSON, 0, len(entries))
		for _, h := range entries {
			js = append(js, HistoryJSON{ID: h.ID, Created: h.Created, CreatedBy: h.CreatedBy, Tags: h.Tags,
				Size: h.Size, Comment: h.Comment, CreatedStr: h.Created.Format(time.RFC3339)})
		}
		if err := json.NewEncoder(out).Encode(js); err != nil {
			return fmt.Errorf("writing history: %w", err)
		}
		return nil
	}
	rows := make([]HistoryRow, 0, len(entries))
	now := time.Now()
	for _, h := range entries {
		r := HistoryRow{ID: o.id(h.ID), Created: h.Created.Format(time.RFC3339), CreatedBy: h.CreatedBy,
			Size: report.HumanSize(h.Size), Comment: h.Comment, Tags: h.Tags}
		if o.Human {
			r.Created = report.TimeAgo(h.Created, now)
		}
		if !o.NoTrunc && len(r.CreatedBy) > createdByWidth {
			r.CreatedBy = r.CreatedBy[:createdByWidth-3] + "..."
		}
		if r.Tags == nil {
			r.Tags = []string{}
		}
		rows = append(rows, r)
	}
	err = w.Write(rows)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// id is an entry's id as printed: 12 characters unless --no-trunc;
// image.MissingID as it is.
func (o *HistoryOptions) id(id string) string {
	if o.NoTrunc || strings.HasPrefix(id, "<") {
		return id
	}
	return define.ShortID(id)
}
