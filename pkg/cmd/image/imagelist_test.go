package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdImages(t *testing.T) {
	def := func(o ImagesOptions) ImagesOptions { o.Sort = "created"; return o }
	tests := []cmdtest.ParseCase[ImagesOptions]{
		{Name: "defaults", Args: nil, Want: def(ImagesOptions{})},
		{Name: "all quiet", Args: []string{"-a", "-q"}, Want: def(ImagesOptions{All: true, Quiet: true})},
		{Name: "combined", Args: []string{"-aq"}, Want: def(ImagesOptions{All: true, Quiet: true})},
		{Name: "no-trunc digests history", Args: []string{"--no-trunc", "--digests", "--history"},
			Want: def(ImagesOptions{NoTrunc: true, Digests: true, History: true})},
		{Name: "format", Args: []string{"--format", "{{.Repository}}:{{.Tag}}"}, Want: def(ImagesOptions{Format: "{{.Repository}}:{{.Tag}}"})},
		{Name: "format json", Args: []string{"--format=json"}, Want: def(ImagesOptions{Format: "json"})},
		{Name: "noheading", Args: []string{"-n"}, Want: def(ImagesOptions{NoHeading: true})},
		{Name: "filters", Args: []string{"-f", "dangling=true", "--filter", "label=a=b,c"},
			Want: def(ImagesOptions{Filters: []string{"dangling=true", "label=a=b,c"}})},
		{Name: "sort", Args: []string{"--sort", "size"}, Want: ImagesOptions{Sort: "size"}},
		{Name: "bad sort", Args: []string{"--sort", "bogus"}, WantErr: true},
		{Name: "name", Args: []string{"alpine"}, Want: def(ImagesOptions{Names: []string{"alpine"}})},
		{Name: "name and filter", Args: []string{"-f", "dangling=true", "alpine"}, WantErr: true},
		{Name: "two names", Args: []string{"alpine", "busybox"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdImages, func(f *cmdutil.Factory, got, want *ImagesOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

func TestNewCmdRmi(t *testing.T) {
	tests := []cmdtest.ParseCase[RmiOptions]{
		{Name: "one", Args: []string{"alpine"}, Want: RmiOptions{Names: []string{"alpine"}}},
		{Name: "force several", Args: []string{"-f", "alpine", "busybox"}, Want: RmiOptions{Force: true, Names: []string{"alpine", "busybox"}}},
		{Name: "all", Args: []string{"-a"}, Want: RmiOptions{All: true}},
		{Name: "all force", Args: []string{"-af"}, Want: RmiOptions{All: true, Force: true}},
		{Name: "ignore", Args: []string{"-i", "alpine"}, Want: RmiOptions{Ignore: true, Names: []string{"alpine"}}},
		{Name: "no-prune", Args: []string{"--no-prune", "alpine"}, Want: RmiOptions{NoPrune: true, Names: []string{"alpine"}}},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "force but nothing", Args: []string{"-f"}, WantErr: true},
		{Name: "all and names", Args: []string{"-a", "alpine"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdRmi, func(f *cmdutil.Factory, got, want *RmiOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

func TestNewCmdExists(t *testing.T) {
	tests := []cmdtest.ParseCase[ExistsOptions]{
		{Name: "one", Args: []string{"alpine"}, Want: ExistsOptions{Name: "alpine"}},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "two", Args: []string{"a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdExists, func(f *cmdutil.Factory, got, want *ExistsOptions) { want.Factory = f })
}

func TestNewCmdTree(t *testing.T) {
	tests := []cmdtest.ParseCase[TreeOptions]{
		{Name: "one", Args: []string{"alpine"}, Want: TreeOptions{Image: "alpine"}},
		{Name: "whatrequires", Args: []string{"--whatrequires", "alpine"}, Want: TreeOptions{Image: "alpine", WhatRequires: true}},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "two", Args: []string{"a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdTree, func(f *cmdutil.Factory, got, want *TreeOptions) { want.Factory = f })
}

func TestNewCmdSearch(t *testing.T) {
	tests := []cmdtest.ParseCase[SearchOptions]{
		{Name: "term", Args: []string{"alpine"}, Want: SearchOptions{Term: "alpine", RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "everything", Args: []string{"--limit", "3", "--filter", "stars=2", "-f", "is-official=true", "--format", "json",
			"--no-trunc", "--compatible", "--tls-verify=false", "--authfile", "/a.json", "--creds", "u:p", "--cert-dir", "/c", "reg.io/x"},
			Want: SearchOptions{Term: "reg.io/x", Limit: 3, Filters: []string{"stars=2", "is-official=true"}, Format: "json",
				NoTrunc: true, Compatible: true, RegistryFlags: cmdutil.RegistryFlags{TLSSet: true, AuthFile: "/a.json", Creds: "u:p", CertDir: "/c"}}},
		{Name: "list tags", Args: []string{"--list-tags", "reg.io/x"}, Want: SearchOptions{Term: "reg.io/x", ListTags: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "list tags and filter", Args: []string{"--list-tags", "--filter", "stars=1", "reg.io/x"}, WantErr: true},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "two", Args: []string{"a", "b"}, WantErr: true},
		{Name: "bad limit", Args: []string{"--limit", "x", "a"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdSearch, func(f *cmdutil.Factory, got, want *SearchOptions) { want.Factory = f })
}

// testSummaries: an image with two tags (older), a labelled one (newer,
// bigger) and a dangling one (newest).
func testSummaries() []image.Summary {
	t0 := time.Date(2024, 9, 6, 12, 0, 0, 0, time.UTC)
	return []image.Summary{
		{ID: strings.Repeat("c", 64), Created: t0.Add(2 * time.Hour), Size: 10, Dangling: true},
		{ID: strings.Repeat("b", 64), Names: []string{"docker.io/library/alpine:labelled"}, RepoTags: []string{"docker.io/library/alpine:labelled"},
			Created: t0.Add(time.Hour), Size: 3000, Labels: map[string]string{"a": "b"}, NamesHistory: []string{"docker.io/library/alpine:labelled"}},
		{ID: strings.Repeat("a", 64), Names: []string{"docker.io/library/alpine:latest", "localhost/foo:1"},
			RepoTags: []string{"docker.io/library/alpine:latest", "localhost/foo:1"}, Created: t0, Size: 2000,
			Digest: digest.Digest("sha256:" + strings.Repeat("d", 64)), NamesHistory: []string{"localhost/foo:1", "docker.io/library/alpine:latest"}},
	}
}

func rowNames(rows []ImageRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Repository+":"+r.Tag)
	}
	return out
}

func TestImageRowsAndSort(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := imageRows(testSummaries(), &ImagesOptions{}, now)
	want := []string{"<none>:<none>", "docker.io/library/alpine:labelled", "docker.io/library/alpine:latest", "localhost/foo:1"}
	if got := rowNames(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	if r := rows[3]; r.ID != "aaaaaaaaaaaa" || r.Id != strings.Repeat("a", 64) || r.History != "localhost/foo:1, docker.io/library/alpine:latest" ||
		r.Size != "2 kB" || r.VirtualSize != 2000 || r.Created != "3 months ago" {
		t.Errorf("row: %+v", r)
	}
	if r := imageRows(testSummaries(), &ImagesOptions{NoTrunc: true}, now)[0]; r.ID != "sha256:"+strings.Repeat("c", 64) {
		t.Errorf("--no-trunc id %q", r.ID)
	}
	sorts := map[string][]string{
		"created":    want,
		"repository": {"<none>:<none>", "docker.io/library/alpine:labelled", "docker.io/library/alpine:latest", "localhost/foo:1"},
		"tag":        {"localhost/foo:1", "<none>:<none>", "docker.io/library/alpine:labelled", "docker.io/library/alpine:latest"},
		"id":         {"docker.io/library/alpine:latest", "localhost/foo:1", "docker.io/library/alpine:labelled", "<none>:<none>"},
		"size":       {"<none>:<none>", "docker.io/library/alpine:latest", "localhost/foo:1", "docker.io/library/alpine:labelled"},
	}
	for key, want := range sorts {
		rows := imageRows(testSummaries(), &ImagesOptions{}, now)
		sortImageRows(rows, key)
		if got := rowNames(rows); !reflect.DeepEqual(got, want) {
			t.Errorf("--sort %s: %q, want %q", key, got, want)
		}
	}
}

// listEngine is a fake engine whose ListImages returns imgs.
type listEngine struct {
	*cmdtest.FakeEngine
	imgs    []image.Summary
	filters []string
}

func (e *listEngine) ListImages(filters []string) ([]image.Summary, error) {
	e.filters = filters
	return e.imgs, nil
}

func runImagesWith(t *testing.T, o ImagesOptions) (string, []string) {
	t.Helper()
	e := &listEngine{FakeEngine: &cmdtest.FakeEngine{}, imgs: testSummaries()}
	f, out, _ := cmdtest.Factory("test")
	f.Engine = func() (cmdutil.Engine, error) { return e, nil }
	o.Factory = f
	if o.Sort == "" {
		o.Sort = "created"
	}
	if err := runImages(&o); err != nil {
		t.Fatal(err)
	}
	return out.String(), e.filters
}

func TestRunImages(t *testing.T) {
	out, filters := runImagesWith(t, ImagesOptions{})
	if !reflect.DeepEqual(filters, []string{"intermediate=false"}) {
		t.Errorf("filters %q", filters)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 || strings.Join(strings.Fields(strings.ReplaceAll(lines[0], "IMAGE ID", "IMAGE_ID")), " ") != "REPOSITORY TAG IMAGE_ID CREATED SIZE" ||
		!strings.HasPrefix(lines[0], "REPOSITORY                TAG         IMAGE ID      CREATED      SIZE") {
		t.Errorf("table:\n%s", out)
	}
	out, filters = runImagesWith(t, ImagesOptions{All: true, Names: []string{"alpine"}, Quiet: true})
	if !reflect.DeepEqual(filters, []string{"reference=alpine"}) {
		t.Errorf("filters of -a alpine: %q", filters)
	}
	if out != "cccccccccccc\nbbbbbbbbbbbb\naaaaaaaaaaaa\n" {
		t.Errorf("-q prints each id once:\n%s", out)
	}
	out, _ = runImagesWith(t, ImagesOptions{Digests: true, NoHeading: true, Format: ""})
	if !strings.Contains(out, "sha256:"+strings.Repeat("d", 64)) || strings.Contains(out, "REPOSITORY") {
		t.Errorf("--digests --noheading:\n%s", out)
	}
	out, _ = runImagesWith(t, ImagesOptions{Format: "json"})
	if strings.Count(out, `"Id"`) != 4 || !strings.Contains(out, "\n    {\n        \"Id\"") || !strings.Contains(out, `"RepoTags": null`) {
		t.Errorf("json: one entry per row, indented by four:\n%s", out)
	}
	out, _ = runImagesWith(t, ImagesOptions{Format: "{{.Repository}} {{.Labels}} {{.Dangling}} {{.Containers}}"})
	if !strings.Contains(out, "<none> map[] true 0\n") || !strings.Contains(out, "docker.io/library/alpine map[a:b] false 0\n") {
		t.Errorf("template:\n%s", out)
	}
}

func TestWriteTree(t *testing.T) {
	tree := &image.LayerTree{ID: strings.Repeat("a", 64), RepoTags: []string{"docker.io/library/alpine:latest", "localhost/foo:latest"}, Size: 8090809,
		Layers: []image.LayerNode{
			{ID: strings.Repeat("1", 64), Size: 8090000, TopOf: []string{"docker.io/library/alpine:latest", "localhost/foo:latest"}},
			{ID: strings.Repeat("2", 64), Size: 5120, Children: []image.LayerNode{{ID: strings.Repeat("3", 64), Size: 3072, TopOf: []string{"localhost/child:latest"}}}},
			{ID: strings.Repeat("4", 64), Size: 0},
		}}
	var b bytes.Buffer
	writeTree(&b, tree)
	want := `Image ID: aaaaaaaaaaaa
Tags:     [docker.io/library/alpine:latest localhost/foo:latest]
Size:     8.091MB
Image Layers
├── ID: 111111111111 Size:  8.09MB Top Layer of: [docker.io/library/alpine:latest localhost/foo:latest]
├── ID: 222222222222 Size:  5.12kB
│   └── ID: 333333333333 Size: 3.072kB Top Layer of: [localhost/child:latest]
└── ID: 444444444444 Size:      0B

`
	if b.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestRunRmi(t *testing.T) {
	e := &cmdtest.FakeEngine{Err: map[string]error{
		"rmi nosuch": fmt.Errorf("nosuch: image not known%.0w", define.ErrNoSuchImage),
		"rmi used":   fmt.Errorf("remove used: image used by container x: %w", define.ErrImageInUse),
	}}
	f, out := fakeFactory(e)
	err := runRmi(context.Background(), &RmiOptions{Factory: f, Names: []string{"a", "nosuch", "b"}})
	if cmdutil.ExitCode(err) != 1 || out() != "Untagged: a\nUntagged: b\n" {
		t.Errorf("rmi a nosuch b: %v (exit %d), output %q", err, cmdutil.ExitCode(err), out())
	}
	f, _ = fakeFactory(e)
	if err := runRmi(context.Background(), &RmiOptions{Factory: f, Names: []string{"nosuch", "used"}}); cmdutil.ExitCode(err) != 2 {
		t.Errorf("rmi nosuch used: %v (exit %d), want 2", err, cmdutil.ExitCode(err))
	}
	f, _ = fakeFactory(e)
	if err := runRmi(context.Background(), &RmiOptions{Factory: f, Ignore: true, Names: []string{"nosuch"}}); err != nil {
		t.Errorf("rmi -i nosuch: %v", err)
	}
	want := []string{"rmi a nosuch b", "rmi nosuch used", "rmi ignore nosuch"}
	if !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
}

func TestRunExists(t *testing.T) {
	bad := fmt.Errorf("Bad!: invalid reference format%.0w", define.ErrBadReference)
	e := &cmdtest.FakeEngine{Err: map[string]error{"exists nosuch": fmt.Errorf("x%.0w", define.ErrNoSuchImage), "exists Bad!": bad}}
	for name, code := range map[string]int{"alpine": 0, "nosuch": 1, "Bad!": 125} {
		f, out := fakeFactory(e)
		err := runExists(&ExistsOptions{Factory: f, Name: name})
		if got := cmdutil.ExitCode(err); (err == nil) != (code == 0) || (err != nil && got != code) || out() != "" {
			t.Errorf("exists %s: %v (exit %d), output %q; want exit %d", name, err, got, out(), code)
		}
	}
	var ee *cmdutil.ExitError
	f, _ := fakeFactory(e)
	if err := runExists(&ExistsOptions{Factory: f, Name: "nosuch"}); !errors.As(err, &ee) || ee.Err != nil {
		t.Errorf("a missing image prints nothing: %v", err)
	}
}

func TestSearchRows(t *testing.T) {
	long := strings.Repeat("x", 50)
	res := []image.SearchResult{{Index: "r.io", Name: "r.io/a", Description: long, Tag: "1"}, {Index: "r.io", Name: "r.io/a", Tag: "2"}}
	if d := searchRows(res, false)[0].Description; d != strings.Repeat("x", 44)+"..." {
		t.Errorf("cut description %q", d)
	}
	if d := searchRows(res, true)[0].Description; d != long {
		t.Errorf("--no-trunc description %q", d)
	}
	if got := tagsJSON(res); !reflect.DeepEqual(got, []searchTagsJSON{{Name: "r.io/a", Tags: []string{"1", "2"}}}) {
		t.Errorf("tags json %+v", got)
	}
}
