package image

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// imageSortKeys are the values --sort accepts.
var imageSortKeys = []string{"created", "id", "repository", "size", "tag"}

// ImagesOptions are the inputs of `pod images`.
type ImagesOptions struct {
	Factory   *cmdutil.Factory
	All       bool
	Quiet     bool
	NoTrunc   bool
	Digests   bool
	History   bool
	Format    string
	NoHeading bool
	Filters   []string
	Sort      string
	Names     []string
}

// NewCmdImages returns `pod images`.
func NewCmdImages(f *cmdutil.Factory, runF func(*ImagesOptions) error) *cobra.Command {
	o := &ImagesOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "images [options] [IMAGE]",
		Short: "List images in local storage",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if !slices.Contains(imageSortKeys, o.Sort) {
				return cmdutil.FlagErrorf("invalid --sort %q: use one of %s", o.Sort, strings.Join(imageSortKeys, ", "))
			}
			if len(args) > 0 && len(o.Filters) > 0 {
				return cmdutil.FlagErrorf("cannot use an IMAGE argument and --filter together: give the image as --filter reference=%s", args[0])
			}
			if runF != nil {
				return runF(o)
			}
			return runImages(o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "show all images (default hides intermediate images)")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "display only image IDs")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "do not truncate output")
	fl.BoolVar(&o.Digests, "digests", false, "show digests")
	fl.BoolVar(&o.History, "history", false, "display the image name history")
	fl.StringVar(&o.Format, "format", "", "change the output format to JSON or a Go template")
	fl.BoolVarP(&o.NoHeading, "noheading", "n", false, "do not print column headings")
	fl.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter output based on conditions provided (key=value)")
	fl.StringVar(&o.Sort, "sort", "created", "sort by "+strings.Join(imageSortKeys, ", "))
	return cmd
}

// ImageRow is one image name as `images --format` templates see it.
type ImageRow struct {
	Repository   string
	Tag          string
	ID           string // 12 characters, or sha256:<id> with --no-trunc
	Id           string // the full id, as templates spell it
	ParentId     string // as templates spell it
	Digest       string
	Created      string // how long ago the image was created
	CreatedSince string
	CreatedAt    string
	CreatedTime  time.Time
	Size         string
	VirtualSize  int64
	SharedSize   int64
	Containers   int
	ReadOnly     bool
	IsReadOnly   bool
	History      string // every name the image had, newest first
	Labels       map[string]string
	Names        []string
	RepoTags     []string
	RepoDigests  []string
	Dangling     bool

	size int64
}

// ImageJSON is one row of `images --format json`.
type ImageJSON struct {
	ID          string            `json:"Id"`
	ParentID    string            `json:"ParentId"`
	RepoTags    []string          `json:"RepoTags"` // always null, as in podman
	RepoDigests []string          `json:"RepoDigests"`
	Size        int64             `json:"Size"`
	SharedSize  int64             `json:"SharedSize"`
	VirtualSize int64             `json:"VirtualSize"`
	Labels      map[string]string `json:"Labels"`
	Containers  int               `json:"Containers"`
	ReadOnly    bool              `json:"ReadOnly,omitempty"`
	Names       []string          `json:"Names"`
	Digest      string            `json:"Digest"`
	History     []string          `json:"History"`
	Created     int64             `json:"Created"`
	CreatedAt   string            `json:"CreatedAt"`
	Dangling    bool              `json:"Dangling,omitempty"`
}

// splitRepoTag splits a stored name into repository and tag; a name by
// digest has the tag "<none>".
func splitRepoTag(name string) (string, string) {
	if i := strings.LastIndex(name, "@"); i >= 0 {
		return name[:i], "<none>"
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		return name[:i], name[i+1:]
	}
	return name, "latest"
}

// imagesFormat is the default table of `images` for o.
func imagesFormat(o *ImagesOptions, readOnly bool) string {
	f := "table {{.Repository}}\t{{.Tag}}\t"
	if o.Digests {
		f += "{{.Digest}}\t"
	}
	f += "{{.ID}}\t{{.Created}}\t{{.Size}}"
	if o.History {
		f += "\t{{.History}}"
	}
	if readOnly {
		f += "\t{{.ReadOnly}}"
	}
	return f
}

func runImages(o *ImagesOptions) error {
	filters := o.Filters
	if len(o.Names) > 0 {
		filters = []string{"reference=" + o.Names[0]}
	}
	if !o.All && !slices.ContainsFunc(filters, func(f string) bool { return strings.HasPrefix(f, "intermediate=") }) {
		filters = append(filters, "intermediate=false")
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	imgs, err := e.ListImages(filters)
	if err != nil {
		return err
	}
	rows := imageRows(imgs, o, time.Now())
	sortImageRows(rows, o.Sort)
	out := o.Factory.IOStreams.Out
	if o.Quiet {
		seen := map[string]bool{}
		for _, r := range rows {
			if !seen[r.ID] {
				fmt.Fprintln(out, r.ID)
				seen[r.ID] = true
			}
		}
		return nil
	}
	readOnly := slices.ContainsFunc(rows, func(r ImageRow) bool { return r.ReadOnly })
	format := o.Format
	if format == "" {
		format = imagesFormat(o, readOnly)
	}
	w, err := report.NewWriter(out, "images", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	if w.IsJSON() {
		return writeJSON4(out, imagesJSON(rows, imgs))
	}
	w.NoHeading = o.NoHeading
	w.Headers = map[string]string{"ID": "IMAGE ID", "Id": "IMAGE ID", "Created": "CREATED", "CreatedSince": "CREATED",
		"ReadOnly": "R/O", "IsReadOnly": "R/O", "ParentId": "PARENT ID"}
	if rows == nil {
		rows = []ImageRow{}
	}
	err = w.Write(rows)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// imageRows makes one row per tagged name of each image; an image without
// a tag is one row, <none> <none> (or its repository by digest).
func imageRows(imgs []image.Summary, o *ImagesOptions, now time.Time) []ImageRow {
	var rows []ImageRow
	for _, img := range imgs {
		id := define.ShortID(img.ID)
		if o.NoTrunc {
			id = "sha256:" + img.ID
		}
		ago := report.TimeAgo(img.Created, now)
		base := ImageRow{ID: id, Id: img.ID, ParentId: img.Parent, Digest: img.Digest.String(),
			Created: ago, CreatedSince: ago, CreatedAt: img.Created.String(), CreatedTime: img.Created,
			Size: report.HumanSize(img.Size), VirtualSize: img.Size, Containers: img.Containers,
			ReadOnly: img.ReadOnly, IsReadOnly: img.ReadOnly, History: strings.Join(img.NamesHistory, ", "),
			Labels: img.Labels, Names: img.Names, RepoTags: img.RepoTags, RepoDigests: img.RepoDigests,
			Dangling: img.Dangling, size: img.Size}
		if base.Labels == nil {
			base.Labels = map[string]string{}
		}
		if len(img.RepoTags) == 0 {
			r := base
			r.Repository, r.Tag = "<none>", "<none>"
			if len(img.Names) > 0 {
				r.Repository, _ = splitRepoTag(img.Names[0])
			}
			rows = append(rows, r)
			continue
		}
		for _, t := range img.RepoTags {
			r := base
			r.Repository, r.Tag = splitRepoTag(t)
			rows = append(rows, r)
		}
	}
	return rows
}

// sortImageRows orders rows by key; equal rows keep their order (images
// newest first, names in the order the image has them).
func sortImageRows(rows []ImageRow, key string) {
	var less func(a, b *ImageRow) bool
	switch key {
	case "id":
		less = func(a, b *ImageRow) bool { return a.Id < b.Id }
	case "repository":
		less = func(a, b *ImageRow) bool { return a.Repository < b.Repository }
	case "size":
		less = func(a, b *ImageRow) bool { return a.size < b.size }
	case "tag":
		less = func(a, b *ImageRow) bool { return a.Tag < b.Tag }
	default:
		less = func(a, b *ImageRow) bool { return a.CreatedTime.After(b.CreatedTime) }
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(&rows[i], &rows[j]) })
}

// imagesJSON is the JSON document of rows: one entry per row, as podman
// prints it.
func imagesJSON(rows []ImageRow, imgs []image.Summary) []ImageJSON {
	byID := make(map[string]*image.Summary, len(imgs))
	for i := range imgs {
		byID[imgs[i].ID] = &imgs[i]
	}
	out := make([]ImageJSON, 0, len(rows))
	for _, r := range rows {
		img := byID[r.Id]
		if img == nil {
			continue
		}
		history := img.NamesHistory
		if history == nil {
			history = []string{}
		}
		out = append(out, ImageJSON{ID: img.ID, ParentID: img.Parent, RepoDigests: img.RepoDigests,
			Size: img.Size, VirtualSize: img.Size, Labels: img.Labels, Containers: img.Containers,
			ReadOnly: img.ReadOnly, Names: img.Names, Digest: img.Digest.String(), History: history,
			Created: img.Created.Unix(), CreatedAt: img.Created.UTC().Format(time.RFC3339), Dangling: img.Dangling})
	}
	return out
}

// writeJSON4 writes v as JSON indented by four spaces, as `images` and
// `search` print --format json, followed by a newline.
func writeJSON4(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return fmt.Errorf("writing JSON output: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing JSON output: %w", err)
	}
	return nil
}
