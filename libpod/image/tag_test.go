package image

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestTagNormalizesAndReportsErrors(t *testing.T) {
	store := newStore(t)
	a := hexID("aa", '1')
	createImage(t, store, a, 1, "docker.io/library/alpine:latest")
	for in, want := range map[string]string{"foo": "localhost/foo:latest", "foo:1": "localhost/foo:1",
		"reg.io/x/y": "reg.io/x/y:latest", "localhost:5000/z:2": "localhost:5000/z:2"} {
		id, name, err := Tag(store, "alpine", in)
		if err != nil || id != a || name != want {
			t.Errorf("Tag(%s) = %s %s %v, want %s %s", in, id, name, err, a, want)
		}
	}
	_, _, err := Tag(store, "alpine", "Bad!")
	if !errors.Is(err, define.ErrBadReference) || err.Error() != `normalizing name "Bad!": invalid reference format` {
		t.Errorf("bad name: %v", err)
	}
	digest := "x@sha256:" + strings.Repeat("a", 64)
	if _, _, err := Tag(store, "alpine", digest); err == nil || err.Error() != digest+": tag by digest not supported" {
		t.Errorf("digest: %v", err)
	}
}

func TestUntag(t *testing.T) {
	store := newStore(t)
	a := hexID("aa", '1')
	createImage(t, store, a, 1, "docker.io/library/alpine:latest", "localhost/foo:latest", "localhost/foo:1")

	// Names go one by one: those before an unknown one are removed.
	id, removed, err := Untag(store, "alpine", []string{"foo", "nosuch", "foo:1"})
	if !errors.Is(err, define.ErrTagNotKnown) || err.Error() != "localhost/nosuch:latest: tag not known" {
		t.Fatalf("unknown name: %v", err)
	}
	if id != a || !reflect.DeepEqual(removed, []string{"localhost/foo:latest"}) {
		t.Fatalf("Untag(foo nosuch foo:1) = %s %v", id, removed)
	}
	if img, _ := Lookup(store, a); len(img.Names) != 2 {
		t.Fatalf("names after a failed untag: %v", img.Names)
	}
	_, removed, err = Untag(store, a, nil)
	if err != nil || !reflect.DeepEqual(removed, []string{"docker.io/library/alpine:latest", "localhost/foo:1"}) {
		t.Fatalf("Untag(all) = %v %v", removed, err)
	}
	if img, err := Lookup(store, a); err != nil || len(img.Names) != 0 {
		t.Fatalf("after untag all: %v %v", img, err)
	}
	if _, removed, err := Untag(store, a, nil); err != nil || removed != nil {
		t.Fatalf("untag of a nameless image: %v %v", removed, err)
	}
	if _, _, err := Untag(store, "nosuch", nil); !errors.Is(err, define.ErrNoSuchImage) {
		t.Fatalf("untag of a missing image: %v", err)
	}
}
