package e2e

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// userDir creates dir below the environment's HOME, owned by its user,
// holding the file name, and returns its path.
func userDir(t *testing.T, e *Env, dir, name string) string {
	t.Helper()
	p := filepath.Dir(e.WriteFile(t, filepath.Join(dir, name), name))
	if err := os.Chown(p, e.User.uid, e.User.gid); err != nil {
		t.Fatal(err)
	}
	return p
}

// dirNames lists dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ent := range ents {
		names = append(names, ent.Name())
	}
	sort.Strings(names)
	return names
}

// TestSaveExistingDir: save -o an existing directory updates it as a write
// in place (an OCI layout keeps its other files and gains the image; a
// docker-dir replaces a previous one), refuses a directory of other files
// without touching it, and leaves nothing beside it.
func TestSaveExistingDir(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	const img = "docker.io/library/alpine:3.20.3"
	e.MustPod(t, "pull", "-q", img)

	layout := userDir(t, e, "layout", "keep")
	e.MustPod(t, "save", "--format", "oci-dir", "-o", layout, img)
	if got := strings.Join(dirNames(t, layout), " "); got != "blobs index.json keep oci-layout" {
		t.Errorf("oci-dir into an existing directory holds %q", got)
	}

	dockerDir := filepath.Join(e.Home, "docker")
	e.MustPod(t, "save", "--format", "docker-dir", "-o", dockerDir, img)
	before := dirNames(t, dockerDir)
	e.MustPod(t, "save", "--format", "docker-dir", "-o", dockerDir, img)
	if after := dirNames(t, dockerDir); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("docker-dir saved again holds %q, was %q", after, before)
	}

	plain := userDir(t, e, "plain", "data")
	r := e.Pod(t, "save", "--format", "docker-dir", "-o", plain, img)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "not a containers image directory")
	if got := strings.Join(dirNames(t, plain), " "); got != "data" {
		t.Errorf("a refused docker-dir save left %q", got)
	}
	for _, n := range dirNames(t, e.Home) {
		if strings.Contains(n, ".pod-save-") {
			t.Errorf("saves left %s", n)
		}
	}
}
