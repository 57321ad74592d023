package image

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"

	"github.com/pod-engine/pod/libpod/define"
)

// TestManifestList creates a list, adds two registry images (one with an
// architecture override), re-adds, annotates and removes instances, and
// checks the errors.
func TestManifestList(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	reg := newFakeRegistry(t)
	a, b := buildImage(t, "a"), buildImage(t, "b")
	reg.put("app", "a", a)
	reg.put("app", "b", b)
	sys := registrySystem(t, reg)

	ml, err := CreateManifestList(store, "mylist", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := ml.Names; len(got) != 1 || got[0] != "localhost/mylist:latest" {
		t.Fatalf("names %q", got)
	}
	if doc := ml.JSON(); doc.Manifests != nil || doc.MediaType != "application/vnd.docker.distribution.manifest.list.v2+json" {
		t.Fatalf("empty list document %+v", doc)
	}
	if _, err := CreateManifestList(store, "mylist", false); !errors.Is(err, define.ErrNameInUse) {
		t.Fatalf("second create: %v", err)
	}
	if again, err := CreateManifestList(store, "mylist", true); err != nil || again.ID != ml.ID {
		t.Fatalf("create --amend: %v (id %v, want %s)", err, again, ml.ID)
	}

	add := func(name string, o InstanceOverrides) {
		t.Helper()
		in, err := ResolveManifestInstances(ctx, store, name, ManifestAddOptions{System: sys, Overrides: o})
		if err != nil {
			t.Fatalf("resolve %s: %v", name, err)
		}
		if _, err := AddManifestInstances(store, "mylist", in, o); err != nil {
			t.Fatalf("add %s: %v", name, err)
		}
	}
	add(reg.host()+"/app:a", InstanceOverrides{Arch: "arm64"})
	add("docker://"+reg.host()+"/app:b", InstanceOverrides{})

	ml, err = LookupManifestList(store, "mylist")
	if err != nil {
		t.Fatal(err)
	}
	doc := ml.JSON()
	if len(doc.Manifests) != 2 {
		t.Fatalf("list has %d instances: %+v", len(doc.Manifests), doc)
	}
	first, second := doc.Manifests[0], doc.Manifests[1]
	if first.Digest != a.manifestDigest || first.Platform.Architecture != "arm64" || first.Platform.OS != "linux" ||
		first.Size != int64(len(a.manifest)) || first.MediaType != "application/vnd.oci.image.manifest.v1+json" {
		t.Errorf("first instance %+v, want %s arm64", first, a.manifestDigest)
	}
	if second.Digest != b.manifestDigest || second.Platform.Architecture != runtime.GOARCH {
		t.Errorf("second instance %+v, want %s %s", second, b.manifestDigest, runtime.GOARCH)
	}
	if src := ml.Sources[a.manifestDigest]; src != "docker://"+reg.host()+"/app@"+a.manifestDigest.String() {
		t.Errorf("source of a: %q", src)
	}

	// Adding an instance again replaces it, at the end.
	add(reg.host()+"/app:a", InstanceOverrides{Arch: "s390x"})
	ml, _ = LookupManifestList(store, "mylist")
	if got := ml.Index.Manifests; len(got) != 2 || got[1].Digest != a.manifestDigest || got[1].Platform.Architecture != "s390x" {
		t.Errorf("after re-adding a: %+v", got)
	}

	if _, err := AnnotateManifestInstance(store, "mylist", a.manifestDigest.String(),
		InstanceOverrides{Variant: "v8", OSVersion: "1.0", Annotations: []string{"k=v"}}); err != nil {
		t.Fatal(err)
	}
	ml, _ = LookupManifestList(store, "mylist")
	d := ml.JSON().Manifests[1]
	if d.Platform.Variant != "v8" || d.Platform.OSVersion != "1.0" || d.Annotations["k"] != "v" || d.Platform.Architecture != "s390x" {
		t.Errorf("annotated instance %+v", d)
	}

	for _, bad := range []struct {
		instance string
		want     error
	}{
		{"foo", define.ErrInvalidArg},
		{digest.FromString("nothing").String(), define.ErrNoSuchImage},
	} {
		if _, err := RemoveManifestInstance(store, "mylist", bad.instance); !errors.Is(err, bad.want) {
			t.Errorf("remove %s: %v, want %v", bad.instance, err, bad.want)
		}
	}
	if _, err := RemoveManifestInstance(store, "mylist", b.manifestDigest.String()); err != nil {
		t.Fatal(err)
	}
	ml, _ = LookupManifestList(store, "mylist")
	if len(ml.Index.Manifests) != 1 || ml.Index.Manifests[0].Digest != a.manifestDigest || len(ml.Sources) != 1 {
		t.Errorf("after remove: %+v %v", ml.Index.Manifests, ml.Sources)
	}

	// The list is an image: listed, and removable as one.
	sums, err := List(store)
	if err != nil || len(sums) != 1 || sums[0].ID != ml.ID || sums[0].Size <= 0 {
		t.Errorf("images: %+v, %v", sums, err)
	}
	untagged, deleted, err := RemoveManifestList(store, "mylist")
	if err != nil || len(untagged) != 1 || len(deleted) != 1 || deleted[0] != ml.ID {
		t.Errorf("rm: %q %q %v", untagged, deleted, err)
	}
	if _, err := LookupManifestList(store, "mylist"); !errors.Is(err, define.ErrNoSuchImage) {
		t.Errorf("lookup after rm: %v", err)
	}
}

// TestManifestListErrors checks the refusals: an image that is not a list,
// an unknown image in the registry, a malformed name, a bad annotation.
func TestManifestListErrors(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	reg := newFakeRegistry(t)
	sys := registrySystem(t, reg)
	createImage(t, store, hexID("ab", '0'), 1, "localhost/plain:latest")
	if _, err := LookupManifestList(store, "plain"); !errors.Is(err, define.ErrNotManifestList) || !strings.Contains(err.Error(), "plain: image is not a manifest list") {
		t.Errorf("lookup of a plain image: %v", err)
	}
	if _, _, err := RemoveManifestList(store, "plain"); !errors.Is(err, define.ErrNotManifestList) {
		t.Errorf("rm of a plain image: %v", err)
	}
	if _, err := LookupManifestList(store, "nosuch"); !errors.Is(err, define.ErrNoSuchImage) {
		t.Errorf("lookup of nothing: %v", err)
	}
	if _, err := CreateManifestList(store, "Bad!", false); !errors.Is(err, define.ErrBadReference) {
		t.Errorf("create Bad!: %v", err)
	}
	o := ManifestAddOptions{System: sys}
	if _, err := ResolveManifestInstances(ctx, store, "docker://"+reg.host()+"/app:nosuch", o); !errors.Is(err, define.ErrNoSuchImage) {
		t.Errorf("resolve of an unknown image: %v", err)
	}
	if _, err := ResolveManifestInstances(ctx, store, "Bad!Ref", o); !errors.Is(err, define.ErrBadReference) {
		t.Errorf("resolve of a malformed name: %v", err)
	}
	if err := (InstanceOverrides{Annotations: []string{"novalue"}}).Validate(); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("annotation without =: %v", err)
	}
}
