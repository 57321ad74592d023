package image

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

func noContainers(string) []string { return nil }

func TestRemoveUntagThenDelete(t *testing.T) {
	store := newStore(t)
	id := hexID("ab", '1')
	createImage(t, store, id, 1, "docker.io/library/alpine:latest", "localhost/mine:1")

	untagged, deleted, err := Remove(store, "mine:1", false, noContainers)
	if err != nil || !reflect.DeepEqual(untagged, []string{"localhost/mine:1"}) || deleted != nil {
		t.Fatalf("Remove(mine:1) = %v %v %v", untagged, deleted, err)
	}
	img, err := store.Image(id)
	if err != nil || !reflect.DeepEqual(img.Names, []string{"docker.io/library/alpine:latest"}) {
		t.Fatalf("after untag: %v %v", img, err)
	}

	untagged, deleted, err = Remove(store, "alpine", false, noContainers)
	if err != nil || !reflect.DeepEqual(untagged, []string{"docker.io/library/alpine:latest"}) || !reflect.DeepEqual(deleted, []string{id}) {
		t.Fatalf("Remove(alpine) = %v %v %v", untagged, deleted, err)
	}
	if _, err := store.Image(id); !errors.Is(err, storage.ErrImageUnknown) {
		t.Fatalf("image still present: %v", err)
	}

	_, _, err = Remove(store, "alpine", false, noContainers)
	if !errors.Is(err, define.ErrNoSuchImage) || err.Error() != "alpine: image not known" {
		t.Fatalf("Remove of a removed image: %v", err)
	}
}

func TestRemoveByIDWithSeveralNames(t *testing.T) {
	store := newStore(t)
	id := hexID("ab", '1')
	createImage(t, store, id, 1, "localhost/a:1", "localhost/b:1")

	_, _, err := Remove(store, id[:5], false, noContainers)
	if !errors.Is(err, define.ErrInvalidArg) || errors.Is(err, define.ErrImageInUse) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("Remove by id without force: %v", err)
	}
	untagged, deleted, err := Remove(store, id[:5], true, noContainers)
	if err != nil || len(untagged) != 2 || !reflect.DeepEqual(deleted, []string{id}) {
		t.Fatalf("Remove by id with force = %v %v %v", untagged, deleted, err)
	}

	// By id with a single name: deleted without force.
	id2 := hexID("cd", '2')
	createImage(t, store, id2, 2, "localhost/c:1")
	if _, deleted, err = Remove(store, "sha256:"+id2, false, nil); err != nil || !reflect.DeepEqual(deleted, []string{id2}) {
		t.Fatalf("Remove by id, one name = %v %v", deleted, err)
	}
}

func TestRemoveInUse(t *testing.T) {
	store := newStore(t)
	id := hexID("ab", '1')
	createImage(t, store, id, 1, "localhost/a:1", "localhost/b:1")
	ctr := hexID("c0ffee", '9')
	var asked []string
	inUse := func(imageID string) []string { asked = append(asked, imageID); return []string{ctr} }

	// Untagging one of several names is allowed while in use.
	if untagged, _, err := Remove(store, "a:1", false, inUse); err != nil || len(untagged) != 1 {
		t.Fatalf("untag of a used image: %v %v", untagged, err)
	}
	_, _, err := Remove(store, "b:1", false, inUse)
	if !errors.Is(err, define.ErrImageInUse) || !strings.Contains(err.Error(), ctr[:12]) {
		t.Fatalf("Remove of a used image: %v", err)
	}
	if !reflect.DeepEqual(asked, []string{id}) {
		t.Fatalf("inUse asked for %v", asked)
	}
	if _, err := store.Image(id); err != nil {
		t.Fatalf("used image was deleted: %v", err)
	}
	// With force the caller has removed the containers: the image goes.
	if _, deleted, err := Remove(store, "b:1", true, inUse); err != nil || len(deleted) != 1 {
		t.Fatalf("forced Remove: %v %v", deleted, err)
	}
}

func TestRemoveUsedByStorageContainer(t *testing.T) {
	store := newStore(t)
	id := hexID("ab", '1')
	createImage(t, store, id, 1, "localhost/a:1")
	if _, err := store.CreateContainer("", nil, id, "", "", nil); err != nil {
		t.Fatal(err)
	}
	_, _, err := Remove(store, "a:1", true, nil)
	if !errors.Is(err, define.ErrImageInUse) {
		t.Fatalf("Remove of an image with a storage container: %v", err)
	}
}

// layeredImages creates a parent image on layer L1 and a child on L2 (parent L1).
func layeredImages(t *testing.T, store storage.Store) (parent, child string) {
	t.Helper()
	l1, err := store.CreateLayer("", "", nil, "", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := store.CreateLayer("", l1.ID, nil, "", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	parent, child = hexID("aa", '1'), hexID("bb", '2')
	if _, err := store.CreateImage(parent, []string{"localhost/base:1"}, l1.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateImage(child, []string{"localhost/app:1"}, l2.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	return parent, child
}

func TestRemoveParentImage(t *testing.T) {
	store := newStore(t)
	parent, child := layeredImages(t, store)
	_, _, err := Remove(store, "base:1", false, nil)
	if !errors.Is(err, define.ErrImageInUse) || !strings.Contains(err.Error(), "dependent child") {
		t.Fatalf("Remove of a parent: %v", err)
	}
	if _, deleted, err := Remove(store, "base:1", true, nil); err != nil || !reflect.DeepEqual(deleted, []string{parent}) {
		t.Fatalf("forced Remove of a parent: %v %v", deleted, err)
	}
	img, err := store.Image(child)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Layer(img.TopLayer); err != nil {
		t.Fatalf("child lost its layer: %v", err)
	}
}

func TestTag(t *testing.T) {
	store := newStore(t)
	a, b := hexID("aa", '1'), hexID("bb", '2')
	createImage(t, store, a, 1, "docker.io/library/alpine:latest")
	createImage(t, store, b, 2, "localhost/other:latest")
	if _, _, err := Tag(store, "alpine", "mine"); err != nil {
		t.Fatal(err)
	}
	if img, err := Lookup(store, "localhost/mine:latest"); err != nil || img.ID != a {
		t.Fatalf("after tag: %v %v", img, err)
	}
	// The name moves to the newly tagged image.
	if _, _, err := Tag(store, b, "mine"); err != nil {
		t.Fatal(err)
	}
	if img, _ := Lookup(store, "mine"); img == nil || img.ID != b {
		t.Fatalf("name did not move: %v", img)
	}
	if _, _, err := Tag(store, "alpine", "Bad"); !errors.Is(err, define.ErrBadReference) {
		t.Fatalf("bad tag: %v", err)
	}
	if _, _, err := Tag(store, "alpine", "x@sha256:"+strings.Repeat("a", 64)); !errors.Is(err, define.ErrInvalidArg) {
		t.Fatalf("digest tag: %v", err)
	}
	if _, _, err := Tag(store, "nosuch", "x"); !errors.Is(err, define.ErrNoSuchImage) {
		t.Fatalf("tag of a missing image: %v", err)
	}
}

func TestList(t *testing.T) {
	store := newStore(t)
	parent, child := layeredImages(t, store)
	if err := store.SetNames(parent, nil); err != nil { // nameless parent: intermediate
		t.Fatal(err)
	}
	d := digest.Digest("sha256:" + strings.Repeat("e", 64))
	dangling, older, named := hexID("cc", '3'), hexID("ee", '5'), hexID("dd", '4')
	createImage(t, store, dangling, 50)
	createImage(t, store, older, 60)
	if _, err := store.CreateImage(named, []string{"quay.io/x/y:1", "quay.io/x/y@" + d.String()}, "", "",
		&storage.ImageOptions{Digest: d, CreationDate: time.Date(2024, 1, 1, 1, 1, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	list, err := List(store)
	if err != nil {
		t.Fatal(err)
	}
	// The layered images were created now, the others in 2024.
	if len(list) != 5 || list[2].ID != named || list[3].ID != older || list[4].ID != dangling {
		t.Fatalf("order: %+v", list)
	}
	byID := map[string]Summary{}
	for _, s := range list {
		byID[s.ID] = s
		if s.Size < 0 {
			t.Errorf("%s: size %d", s.ID[:4], s.Size)
		}
	}
	if s := byID[named]; !reflect.DeepEqual(s.RepoTags, []string{"quay.io/x/y:1"}) ||
		!reflect.DeepEqual(s.RepoDigests, []string{"quay.io/x/y@" + d.String()}) || s.Digest != d || s.Dangling {
		t.Errorf("named: %+v", s)
	}
	if s := byID[dangling]; !s.Dangling || s.Intermediate || len(s.RepoTags) != 0 {
		t.Errorf("dangling: %+v", s)
	}
	if s := byID[parent]; s.Dangling || !s.Intermediate {
		t.Errorf("intermediate: %+v", s)
	}
	if s := byID[child]; s.Dangling || s.Intermediate || s.TopLayer == "" {
		t.Errorf("child: %+v", s)
	}
}
