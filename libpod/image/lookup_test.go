package image

import (
	"errors"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

func TestLookup(t *testing.T) {
	store := newStore(t)
	idA, idB := hexID("aaaa1", '1'), hexID("aaaa2", '2')
	idD, idE := hexID("d", '4'), hexID("e", '5')
	idF, idG := hexID("cafe", '6'), hexID("f", '7')
	d1 := digest.Digest("sha256:" + strings.Repeat("d1", 32))

	createImage(t, store, idA, 1, "docker.io/library/alpine:latest")
	createImage(t, store, idB, 2, "quay.io/foo/alpine:3.19", "localhost/mytool:latest")
	if _, err := store.CreateImage(idD, []string{"docker.io/library/busybox:1"}, "", "",
		&storage.ImageOptions{Digest: d1, Digests: []digest.Digest{d1}}); err != nil {
		t.Fatal(err)
	}
	createImage(t, store, idE, 4, "registry.example.com:5000/team/app:v1")
	createImage(t, store, idF, 5)
	createImage(t, store, idG, 6, "localhost/cafe:latest")

	for _, tc := range []struct{ in, want, matched string }{
		{idA, idA, ""},
		{"sha256:" + idA, idA, ""},
		{"aaaa1", idA, ""},
		{"sha256:aaaa2", idB, ""},
		{"alpine", idA, "docker.io/library/alpine:latest"},
		{"alpine:latest", idA, "docker.io/library/alpine:latest"},
		{"library/alpine", idA, "docker.io/library/alpine:latest"},
		{"docker.io/alpine", idA, "docker.io/library/alpine:latest"},
		{"docker.io/library/alpine:latest", idA, "docker.io/library/alpine:latest"},
		{"alpine:3.19", idB, "quay.io/foo/alpine:3.19"},
		{"foo/alpine:3.19", idB, "quay.io/foo/alpine:3.19"},
		{"quay.io/foo/alpine:3.19", idB, "quay.io/foo/alpine:3.19"},
		{"mytool", idB, "localhost/mytool:latest"},
		{"localhost/mytool", idB, "localhost/mytool:latest"},
		{"app:v1", idE, "registry.example.com:5000/team/app:v1"},
		{"team/app:v1", idE, "registry.example.com:5000/team/app:v1"},
		{"busybox@" + d1.String(), idD, ""},
		{"docker.io/library/busybox@" + d1.String(), idD, ""},
		{"busybox:1", idD, "docker.io/library/busybox:1"},
		{"cafe", idG, "localhost/cafe:latest"}, // a name wins over an id prefix
		{"caf", idF, ""},
	} {
		img, matched, err := lookup(store, tc.in)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.in, err)
			continue
		}
		if img.ID != tc.want || matched != tc.matched {
			t.Errorf("Lookup(%q) = %s %q, want %s %q", tc.in, img.ID[:8], matched, tc.want[:8], tc.matched)
		}
	}

	for _, in := range []string{
		"alpine:nosuch", "quay.io/alpine:3.19", "app", "nosuch", "quay.io/busybox@" + d1.String(),
		"busybox@sha256:" + strings.Repeat("0", 64), "sha256:" + strings.Repeat("9", 64), strings.Repeat("9", 64),
		"sha256:zz",
	} {
		_, err := Lookup(store, in)
		if !errors.Is(err, define.ErrNoSuchImage) {
			t.Errorf("Lookup(%q) err = %v, want ErrNoSuchImage", in, err)
			continue
		}
		if want := in + ": image not known"; err.Error() != want {
			t.Errorf("Lookup(%q) err = %q, want %q", in, err, want)
		}
	}

	for _, in := range []string{"aaaa", "sha256:aaaa", "a"} {
		_, err := Lookup(store, in)
		if !errors.Is(err, define.ErrAmbiguousID) {
			t.Errorf("Lookup(%q) err = %v, want ErrAmbiguousID", in, err)
		}
	}

	_, err := Lookup(store, "Alpine")
	if !errors.Is(err, define.ErrBadReference) || err.Error() != "Alpine: invalid reference format: repository name must be lowercase" {
		t.Errorf("Lookup(Alpine) err = %q", err)
	}
	for _, in := range []string{"alpine::x", "-x", "a b"} {
		if _, err := Lookup(store, in); !errors.Is(err, define.ErrBadReference) {
			t.Errorf("Lookup(%q) err = %v, want ErrBadReference", in, err)
		}
	}
	if _, err := Lookup(store, ""); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("Lookup(\"\") err = %v", err)
	}
}

// A short name matching several registries resolves to the newest image.
func TestLookupShortNameNewestFirst(t *testing.T) {
	store := newStore(t)
	older, newer := hexID("1", '1'), hexID("2", '2')
	createImage(t, store, older, 1, "quay.io/a/tool:latest")
	createImage(t, store, newer, 2, "ghcr.io/b/tool:latest")
	img, err := Lookup(store, "tool")
	if err != nil || img.ID != newer {
		t.Fatalf("Lookup(tool) = %v, %v; want the newest", img, err)
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"foo":              "localhost/foo:latest",
		"foo:1":            "localhost/foo:1",
		"library/foo":      "localhost/library/foo:latest",
		"docker.io/foo":    "docker.io/library/foo:latest",
		"quay.io/a/b:2":    "quay.io/a/b:2",
		"localhost:5000/x": "localhost:5000/x:latest",
		"localhost/x@sha256:" + strings.Repeat("a", 64): "localhost/x@sha256:" + strings.Repeat("a", 64),
	} {
		got, err := NormalizeName(in)
		if err != nil || got.String() != want {
			t.Errorf("NormalizeName(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"Foo", "foo::", ""} {
		if _, err := NormalizeName(in); !errors.Is(err, define.ErrBadReference) {
			t.Errorf("NormalizeName(%q) err = %v, want ErrBadReference", in, err)
		}
	}
}
