package image

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.podman.io/storage"
	"go.podman.io/storage/pkg/reexec"
	stypes "go.podman.io/storage/types"
)

func TestMain(m *testing.M) {
	// Layer extraction re-executes the test binary (chrootarchive).
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}

// newStore opens a vfs store in a temporary directory.
func newStore(t *testing.T) storage.Store {
	t.Helper()
	dir := t.TempDir()
	store, err := storage.GetStore(stypes.StoreOptions{
		GraphRoot:       filepath.Join(dir, "root"),
		RunRoot:         filepath.Join(dir, "run"),
		GraphDriverName: "vfs",
	})
	if err != nil {
		t.Fatalf("GetStore: %v", err)
	}
	t.Cleanup(func() { _, _ = store.Shutdown(true) })
	return store
}

// createImage creates a layerless image with id, names and creation time
// (minutes after a fixed epoch, so that "newest first" is deterministic).
func createImage(t *testing.T, store storage.Store, id string, minute int, names ...string) *storage.Image {
	t.Helper()
	img, err := store.CreateImage(id, names, "", "", &storage.ImageOptions{
		CreationDate: time.Date(2024, 1, 1, 0, minute, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatalf("CreateImage %s: %v", id, err)
	}
	return img
}

// hexID returns a 64-digit id made of prefix followed by filler.
func hexID(prefix string, filler byte) string {
	b := []byte(prefix)
	for len(b) < 64 {
		b = append(b, filler)
	}
	return string(b)
}
