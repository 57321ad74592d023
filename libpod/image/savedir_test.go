package image

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// listDir returns the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Saving to an existing directory updates it as a write in place would
// (an OCI layout gains the image and keeps its other files), and a
// refused or failed save leaves it, and its parent, as they were.
func TestSaveExistingDir(t *testing.T) {
	ctx := context.Background()
	sys := testSystem(t, "")
	store, _ := storeWith(t, sys, map[string]string{"one\n": "one", "two\n": "two"})
	parent := t.TempDir()
	dir := filepath.Join(parent, "layout")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "keep"), []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"one", "two"} {
		if _, err := Save(ctx, store, []string{name}, SaveOptions{System: sys, Format: OCIDir, Output: dir, Quiet: true}); err != nil {
			t.Fatalf("save %s: %v", name, err)
		}
	}
	var index struct {
		Manifests []struct{ Annotations map[string]string } `json:"manifests"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &index); err != nil || len(index.Manifests) != 2 {
		t.Fatalf("index.json after two saves: %s (%v), want two images", b, err)
	}
	if k, err := os.ReadFile(filepath.Join(dir, "keep")); err != nil || string(k) != "k" {
		t.Fatalf("the layout's own file: %q, %v", k, err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o750 {
		t.Fatalf("mode of the layout: %v, %v; want 0750", fi.Mode(), err)
	}
	if got := listDir(t, parent); strings.Join(got, ",") != "layout" {
		t.Fatalf("parent holds %v, want only the layout", got)
	}

	// A docker-dir refuses a directory that holds something else: nothing
	// of it changes, and no clone is left behind.
	other := filepath.Join(parent, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "data"), []byte("d"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Save(ctx, store, []string{"one"}, SaveOptions{System: sys, Format: DockerDir, Output: other, Quiet: true})
	if err == nil || strings.Contains(err.Error(), ".pod-save-") || !strings.Contains(err.Error(), "dir:"+other+":") {
		t.Fatalf("docker-dir into a directory of other files: %v; want an error naming %s", err, other)
	}
	if got := listDir(t, other); strings.Join(got, ",") != "data" {
		t.Fatalf("refused directory now holds %v", got)
	}
	if got := listDir(t, parent); strings.Join(got, ",") != "layout,other" {
		t.Fatalf("parent holds %v after a refused save", got)
	}

	// A save that fails half way (its blobs written, the layout file
	// not: a directory stands in its way) leaves the layout as it was.
	layoutFile := filepath.Join(dir, "oci-layout")
	if err := os.Remove(layoutFile); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(layoutFile, 0o755); err != nil {
		t.Fatal(err)
	}
	blobs := listDir(t, filepath.Join(dir, "blobs", "sha256"))
	store3, _ := storeWith(t, sys, map[string]string{"three\n": "three"})
	if _, err := Save(ctx, store3, []string{"three"}, SaveOptions{System: sys, Format: OCIDir, Output: dir, Quiet: true}); err == nil {
		t.Fatal("a save whose layout file cannot be written succeeded")
	}
	if got := listDir(t, filepath.Join(dir, "blobs", "sha256")); strings.Join(got, ",") != strings.Join(blobs, ",") {
		t.Fatalf("blobs changed by a failed save: %v, was %v", got, blobs)
	}
	if got := listDir(t, parent); strings.Join(got, ",") != "layout,other" {
		t.Fatalf("parent holds %v after a failed save", got)
	}

	// A symbolic link to the layout: the layout is updated, the link stays.
	if err := os.Remove(layoutFile); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(parent, "link")
	if err := os.Symlink("layout", link); err != nil {
		t.Fatal(err)
	}
	if _, err := Save(ctx, store3, []string{"three"}, SaveOptions{System: sys, Format: OCIDir, Output: link, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link after a save through it: %v, %v", fi, err)
	}
	if b3, err := os.ReadFile(filepath.Join(dir, "index.json")); err != nil || json.Unmarshal(b3, &index) != nil || len(index.Manifests) != 3 {
		t.Fatalf("index.json after a save through the link: %s, %v", b3, err)
	}
	if got := listDir(t, parent); strings.Join(got, ",") != "layout,link,other" {
		t.Fatalf("parent holds %v after a save through a link", got)
	}
}
