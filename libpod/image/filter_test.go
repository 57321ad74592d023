package image

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

func TestMatchReference(t *testing.T) {
	names := []string{"docker.io/library/alpine:3.20", "localhost/foo:latest"}
	tests := []struct {
		pattern string
		want    bool
	}{
		{"alpine", true},
		{"alpine:3.20", true},
		{"alpine:3*", true},
		{"alpine:latest", false},
		{"library/alpine", true},
		{"library/alpine:3.20", true},
		{"docker.io/library/alpine", true},
		{"docker.io/library/alpine:3.20", true},
		{"quay.io/library/alpine", false},
		{"*alpine*", true},
		{"alp", false},
		{"foo", true},
		{"localhost/*", true},
		{"localhost/foo:latest", true},
		{"*/foo", true},
		{"[", false},
	}
	for _, tc := range tests {
		if got := matchReference(names, tc.pattern); got != tc.want {
			t.Errorf("matchReference(%q) = %v, want %v", tc.pattern, got, tc.want)
		}
	}
	if matchReference(nil, "*") {
		t.Errorf("an image without names matched *")
	}
}

// filterStore holds: old (2024-01-01 00:01, alpine:3.19, labelled a=1),
// mid (00:02, alpine:latest and foo), new (00:03, nameless).
func filterStore(t *testing.T) (store storage.Store, old, mid, newer string) {
	t.Helper()
	store = newStore(t)
	old, mid, newer = hexID("a1", '1'), hexID("b2", '2'), hexID("c3", '3')
	createImage(t, store, old, 1, "docker.io/library/alpine:3.19")
	if err := store.SetImageBigData(old, "sha256:"+strings.Repeat("0", 64),
		[]byte(`{"config":{"Labels":{"a":"1","b":"x"}}}`), nil); err != nil {
		t.Fatal(err)
	}
	createImage(t, store, mid, 2, "docker.io/library/alpine:latest", "localhost/foo:latest")
	createImage(t, store, newer, 3)
	return store, old, mid, newer
}

func TestListFiltered(t *testing.T) {
	store, old, mid, newer := filterStore(t)
	used := func(id string) bool { return id == mid }
	tests := []struct {
		filters []string
		want    []string
	}{
		{nil, []string{newer, mid, old}},
		{[]string{"dangling=true"}, []string{newer}},
		{[]string{"dangling=false"}, []string{mid, old}},
		{[]string{"reference=alpine"}, []string{mid, old}},
		{[]string{"reference=alpine:3*"}, []string{old}},
		{[]string{"reference=foo", "reference=alpine:3.19"}, []string{mid, old}}, // one key: any
		{[]string{"reference=alpine", "dangling=true"}, nil},                     // two keys: all
		{[]string{"label=a"}, []string{old}},
		{[]string{"label=a=1"}, []string{old}},
		{[]string{"label=a=2"}, nil},
		{[]string{"label!=a"}, []string{newer, mid}},
		{[]string{"label=a=1", "label=nope"}, []string{old}},
		{[]string{"id=" + mid[:4]}, []string{mid}},
		{[]string{"id=sha256:" + old}, []string{old}},
		{[]string{"before=foo"}, []string{old}},
		{[]string{"since=alpine:3.19"}, []string{newer, mid}},
		{[]string{"after=" + mid[:6]}, []string{newer}},
		{[]string{"until=2024-01-01T00:02:30Z"}, []string{mid, old}},
		{[]string{"containers=true"}, []string{mid}},
		{[]string{"containers=false"}, []string{newer, old}},
		{[]string{"readonly=false"}, []string{newer, mid, old}},
		{[]string{"intermediate=false"}, []string{newer, mid, old}},
		{[]string{"manifest=true"}, nil},
	}
	for _, tc := range tests {
		list, err := ListFiltered(store, ListOptions{Filters: tc.filters, InUse: used})
		if err != nil {
			t.Errorf("%q: %v", tc.filters, err)
			continue
		}
		var got []string
		for _, s := range list {
			got = append(got, s.ID)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.filters, short(got), short(tc.want))
		}
	}
}

func short(ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, id[:2])
	}
	return out
}

func TestListFilteredErrors(t *testing.T) {
	store, _, _, _ := filterStore(t)
	tests := []struct {
		filter   string
		sentinel error
		msg      string
	}{
		{"bogus=1", define.ErrInvalidArg, `unsupported image filter "bogus"`},
		{"dangling", define.ErrInvalidArg, `invalid image filter "dangling": use key=value`},
		{"dangling=maybe", define.ErrInvalidArg, `"maybe" is not a boolean`},
		{"reference!=x", define.ErrInvalidArg, "only label accepts !="},
		{"until=soon", define.ErrInvalidArg, `"soon" is neither a timestamp nor a duration`},
		{"before=nosuch", define.ErrNoSuchImage, "nosuch: image not known"},
	}
	for _, tc := range tests {
		_, err := ListFiltered(store, ListOptions{Filters: []string{tc.filter}})
		if !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %v containing %q", tc.filter, err, tc.sentinel, tc.msg)
		}
	}
	_, err := ListFiltered(store, ListOptions{Filters: []string{"dangling=true", "dangling=false"}})
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "more than once") {
		t.Errorf("dangling twice: %v", err)
	}
}

// Images created at the same time keep the store's order; newer come first.
func TestListTiesKeepStoreOrder(t *testing.T) {
	store := newStore(t)
	ids := []string{hexID("f", '1'), hexID("0", '2'), hexID("8", '3')}
	for _, id := range ids {
		createImage(t, store, id, 5)
	}
	newest := hexID("1", '4')
	createImage(t, store, newest, 9)
	list, err := List(store)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range list {
		got = append(got, s.ID)
	}
	if want := append([]string{newest}, ids...); !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", short(got), short(want))
	}
	if list[0].Created.Before(time.Date(2024, 1, 1, 0, 9, 0, 0, time.UTC)) {
		t.Errorf("created %v", list[0].Created)
	}
}

func TestLayersAndRemovalOrder(t *testing.T) {
	store := newStore(t)
	parent, child := layeredImages(t, store)
	sibling := hexID("5e", '7')
	img, err := store.Image(parent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateImage(sibling, []string{"localhost/same:1"}, img.TopLayer, "", nil); err != nil {
		t.Fatal(err)
	}
	childImg, err := store.Image(child)
	if err != nil {
		t.Fatal(err)
	}

	tree, err := Layers(store, "app:1", false)
	if err != nil {
		t.Fatal(err)
	}
	if tree.ID != child || !reflect.DeepEqual(tree.RepoTags, []string{"localhost/app:1"}) || len(tree.Layers) != 2 {
		t.Fatalf("tree of app:1: %+v", tree)
	}
	if l := tree.Layers[0]; l.ID != img.TopLayer || !reflect.DeepEqual(l.TopOf, []string{"localhost/base:1", "localhost/same:1"}) {
		t.Errorf("base layer: %+v", l)
	}
	if l := tree.Layers[1]; l.ID != childImg.TopLayer || !reflect.DeepEqual(l.TopOf, []string{"localhost/app:1"}) {
		t.Errorf("top layer: %+v", l)
	}

	req, err := Layers(store, "base:1", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Layers) != 2 || req.Layers[0].ID != img.TopLayer || req.Layers[1].ID != childImg.TopLayer {
		t.Errorf("what requires base:1: %+v", req.Layers)
	}
	if _, err := Layers(store, "nosuch", false); !errors.Is(err, define.ErrNoSuchImage) {
		t.Errorf("tree of a missing image: %v", err)
	}

	order, err := RemovalOrder(store)
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 3 || order[0] != child || slices.Index(order, sibling) > slices.Index(order, parent) {
		t.Errorf("removal order %v (child %s, sibling %s, parent %s)", short(order), child[:2], sibling[:2], parent[:2])
	}
}

// With All an image goes whatever name it is given by.
func TestRemoveAllNames(t *testing.T) {
	store := newStore(t)
	id := hexID("ab", '1')
	createImage(t, store, id, 1, "localhost/a:1", "localhost/b:1")
	untagged, deleted, err := RemoveWith(store, id, RemoveOptions{All: true})
	if err != nil || len(untagged) != 2 || !reflect.DeepEqual(deleted, []string{id}) {
		t.Fatalf("RemoveWith(All) = %v %v %v", untagged, deleted, err)
	}

	// BeforeDelete runs only with Force, and only when the image goes.
	id2 := hexID("cd", '2')
	createImage(t, store, id2, 2, "localhost/c:1", "localhost/d:1")
	var called []string
	before := func(imageID string) error { called = append(called, imageID); return nil }
	if _, _, err := RemoveWith(store, "c:1", RemoveOptions{Force: true, BeforeDelete: before}); err != nil || called != nil {
		t.Fatalf("untag with force: %v, BeforeDelete called for %v", err, called)
	}
	stop := errors.New("stop")
	_, _, err = RemoveWith(store, "d:1", RemoveOptions{Force: true, BeforeDelete: func(string) error { return stop }})
	if !errors.Is(err, stop) {
		t.Fatalf("BeforeDelete's error: %v", err)
	}
	if _, err := store.Image(id2); err != nil {
		t.Fatalf("image deleted although BeforeDelete failed: %v", err)
	}
	if _, deleted, err := RemoveWith(store, "d:1", RemoveOptions{Force: true, BeforeDelete: before}); err != nil ||
		len(deleted) != 1 || !reflect.DeepEqual(called, []string{id2}) {
		t.Fatalf("forced delete: %v %v, BeforeDelete called for %v", deleted, err, called)
	}
}

func TestListFilteredManifest(t *testing.T) {
	store, old, mid, newer := filterStore(t)
	ml, err := CreateManifestList(store, "mylist", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"manifest=true", []string{ml.ID}},
		{"manifest=false", []string{newer, mid, old}},
	} {
		list, err := ListFiltered(store, ListOptions{Filters: []string{tc.filter}})
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.ID)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", tc.filter, short(got), short(want))
		}
	}
}
