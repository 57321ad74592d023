package image

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// ImagesOptions are the inputs of `pod images`.
type ImagesOptions struct {
	Factory   *cmdutil.Factory
	All       bool
	Quiet     bool
	NoTrunc   bool
	Digests   bool
	Format    string
	NoHeading bool
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
	fl.StringVar(&o.Format, "format", "", "change the output format to JSON or a Go template")
	fl.BoolVarP(&o.NoHeading, "noheading", "n", false, "do not print column headings")
	return cmd
}

// ImageRow is one image name as `images --format` templates see it.
type ImageRow struct {
	Repository   string
	Tag          string
	ID           string
	Digest       string
	CreatedHuman string
	CreatedAt    string
	Created      int64
	Size         string
	Labels       map[string]string
	Names        []string
	Dangling     bool
}

// ImageJSON is one image in `images --format json`.
type ImageJSON struct {
	ID          string            `json:"Id"`
	ParentID    string            `json:"ParentId"`
	RepoTags    []string          `json:"RepoTags"`
	RepoDigests []string          `json:"RepoDigests"`
	Size        int64             `json:"Size"`
	SharedSize  int64             `json:"SharedSize"`
	VirtualSize int64             `json:"VirtualSize"`
	Labels      map[string]string `json:"Labels"`
	Containers  int               `json:"Containers"`
	Names       []string          `json:"Names"`
	Digest      string            `json:"Digest"`
	History     []string          `json:"History"`
	Created     int64             `json:"Created"`
	CreatedAt   string            `json:"CreatedAt"`
	Dangling    bool              `json:"Dangling"`
}

func splitRepoTag(name string) (string, string) {
	if i := strings.LastIndex(name, "@"); i >= 0 {
		return name[:i], "<none>"
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		return name[:i], name[i+1:]
	}
	return name, "latest"
}

func runImages(o *ImagesOptions) error {
	format := o.Format
	if format == "" {
		format = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedHuman}}\t{{.Size}}"
		if o.Digests {
			format = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedHuman}}\t{{.Size}}"
		}
	}
	w, err := report.NewWriter(o.Factory.IOStreams.Out, "images", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	w.NoHeading = o.NoHeading
	w.Headers = map[string]string{"ID": "IMAGE ID", "CreatedHuman": "CREATED"}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	imgs, err := e.Images()
	if err != nil {
		return err
	}
	now := time.Now()
	out := o.Factory.IOStreams.Out
	var rows []ImageRow
	var js []ImageJSON
	seen := map[string]bool{}
	for _, img := range imgs {
		if img.Intermediate && !o.All {
			continue
		}
		if len(o.Names) > 0 && !matchesImage(img.RepoTags, img.ID, o.Names[0]) {
			continue
		}
		id := img.ID
		if !o.NoTrunc {
			id = id[:12]
		} else {
			id = "sha256:" + id
		}
		if o.Quiet {
			if !seen[id] {
				fmt.Fprintln(out, id)
				seen[id] = true
			}
			continue
		}
		js = append(js, ImageJSON{ID: img.ID, RepoTags: img.RepoTags, RepoDigests: img.RepoDigests, Size: img.Size, VirtualSize: img.Size,
			Labels: img.Labels, Names: img.Names, Digest: img.Digest.String(), Created: img.Created.Unix(),
			CreatedAt: img.Created.Format(time.RFC3339), Dangling: img.Dangling, Containers: len(e.ImageUsers(img.ID))})
		tags := img.RepoTags
		if len(tags) == 0 {
			tags = []string{"<none>:<none>"}
		}
		for _, t := range tags {
			repo, tag := splitRepoTag(t)
			rows = append(rows, ImageRow{Repository: repo, Tag: tag, ID: id, Digest: img.Digest.String(),
				CreatedHuman: report.TimeAgo(img.Created, now), CreatedAt: img.Created.String(), Created: img.Created.Unix(),
				Size: report.HumanSize(img.Size), Labels: img.Labels, Names: img.Names, Dangling: img.Dangling})
		}
	}
	if o.Quiet {
		return nil
	}
	if w.IsJSON() {
		if js == nil {
			js = []ImageJSON{}
		}
		return report.WriteJSON(out, js)
	}
	if rows == nil {
		rows = []ImageRow{}
	}
	err = w.Write(rows)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

func matchesImage(tags []string, id, want string) bool {
	if strings.HasPrefix(id, want) {
		return true
	}
	for _, t := range tags {
		repo, tag := splitRepoTag(t)
		if t == want || repo == want || strings.HasSuffix(repo, "/"+want) || strings.HasSuffix(t, "/"+want) || (strings.HasSuffix(repo, "/"+strings.Split(want, ":")[0]) && strings.HasSuffix(want, ":"+tag)) {
			return true
		}
	}
	return false
}
