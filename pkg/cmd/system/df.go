package system

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// DfOptions are the inputs of `pod system df`.
type DfOptions struct {
	Factory *cmdutil.Factory
	Verbose bool
	Format  string
}

// NewCmdDf returns `pod system df`.
func NewCmdDf(f *cmdutil.Factory, runF func(*DfOptions) error) *cobra.Command {
	o := &DfOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "df [options]",
		Short: "Show disk usage of images, containers and volumes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runDf(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.Verbose, "verbose", "v", false, "show detailed information on disk usage")
	cmd.Flags().StringVar(&o.Format, "format", "", "pretty-print the summary to JSON or using a Go template")
	return cmd
}

// DfSummary is one row of `system df`.
type DfSummary struct {
	Type        string
	Total       int
	Active      int
	RawSize     int64
	RawReclaim  int64
	Size        string
	Reclaimable string
}

const dfDefaultFormat = "table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}"

func runDf(ctx context.Context, o *DfOptions) error {
	if o.Verbose && o.Format != "" {
		return cmdutil.FlagErrorf("cannot combine --format and --verbose")
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	du, err := e.DiskUsage(ctx)
	if err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	if o.Verbose {
		return writeDfVerbose(out, du)
	}
	rows := dfSummary(du)
	format := o.Format
	if format == "" {
		format = dfDefaultFormat
	}
	w, err := report.NewWriter(out, "df", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	if w.IsJSON() {
		return report.WriteJSON(out, rows)
	}
	w.Headers = map[string]string{"Type": "TYPE", "Reclaimable": "RECLAIMABLE"}
	err = w.Write(rows)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// dfSummary adds images, containers and volumes up: what is active is in
// use (an image with a container, a running container); the rest could be
// reclaimed.
func dfSummary(du *libpod.DiskUsage) []DfSummary {
	imgs := DfSummary{Type: "Images", RawSize: du.ImagesSize, RawReclaim: du.ImagesReclaimable}
	ctrs := DfSummary{Type: "Containers"}
	for _, i := range du.Images {
		imgs.Total++
		if i.Containers > 0 {
			imgs.Active++
		}
	}
	for _, c := range du.Containers {
		ctrs.Total++
		ctrs.RawSize += c.Size
		if c.Status.IsActive() {
			ctrs.Active++
		} else {
			ctrs.RawReclaim += c.Size
		}
	}
	vols := DfSummary{Type: "Local Volumes"}
	rows := []DfSummary{imgs, ctrs, vols}
	for i := range rows {
		r := &rows[i]
		r.Size = compactSize(r.RawSize)
		pct := 0
		if r.RawSize > 0 {
			pct = int(r.RawReclaim * 100 / r.RawSize)
		}
		r.Reclaimable = fmt.Sprintf("%s (%d%%)", compactSize(r.RawReclaim), pct)
	}
	return rows
}

// compactSize is a size as podman's df writes it: "7.864MB", "0B".
func compactSize(n int64) string { return strings.ReplaceAll(report.HumanSize(n), " ", "") }

func writeDfVerbose(out interface{ Write([]byte) (int, error) }, du *libpod.DiskUsage) error {
	now := time.Now()
	var b strings.Builder
	b.WriteString("Images space usage:\n\n")
	iw, err := report.NewWriter(&b, "df", "table {{.Repository}}\t{{.Tag}}\t{{.ImageID}}\t{{.Created}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}")
	if err != nil {
		return err
	}
	type imageRow struct {
		Repository, Tag, ImageID, Created, Size, SharedSize, UniqueSize string
		Containers                                                      int
	}
	var irows []imageRow
	for _, i := range du.Images {
		repo, tag := "<none>", "<none>"
		if len(i.Names) > 0 {
			n := i.Names[0]
			if at := strings.LastIndex(n, ":"); at > strings.LastIndex(n, "/") {
				repo, tag = n[:at], n[at+1:]
			} else {
				repo = n
			}
		}
		irows = append(irows, imageRow{repo, tag, i.ID[:min(12, len(i.ID))], report.TimeAgo(i.Created, now),
			compactSize(i.Size), compactSize(i.SharedSize), compactSize(i.Size - i.SharedSize), i.Containers})
	}
	iw.Headers = map[string]string{"ImageID": "IMAGE ID"}
	if err := iw.Write(irows); err != nil {
		return err
	}
	if err := iw.Flush(); err != nil {
		return err
	}
	b.WriteString("\nContainers space usage:\n\n")
	cw, err := report.NewWriter(&b, "df", "table {{.ContainerID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.Created}}\t{{.Status}}\t{{.Names}}")
	if err != nil {
		return err
	}
	type ctrRow struct {
		ContainerID, Image, Command string
		LocalVolumes                int
		Size, Created, Status       string
		Names                       string
	}
	var crows []ctrRow
	for _, c := range du.Containers {
		crows = append(crows, ctrRow{c.ID[:min(12, len(c.ID))], c.Image, strings.Join(c.Command, " "), 0, compactSize(c.Size),
			report.TimeAgo(c.Created, now), string(c.Status), c.Name})
	}
	cw.Headers = map[string]string{"ContainerID": "CONTAINER ID"}
	if err := cw.Write(crows); err != nil {
		return err
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	b.WriteString("\nLocal Volumes space usage:\n\nVOLUME NAME  LINKS       SIZE\n")
	_, err = out.Write([]byte(b.String()))
	return err
}
