package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// storedLayers returns the ids of the layers the environment's storage
// holds, read from the overlay driver's layer files as root.
func storedLayers(t *testing.T, e *Env) []string {
	t.Helper()
	dir := filepath.Join(e.Home, ".local/share/pod/storage/overlay-layers")
	var ids []string
	for _, name := range []string{"layers.json", "volatile-layers.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var layers []struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &layers); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, l := range layers {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

// TestLayerSharing pulls two alpine releases, commits children of them and
// checks in the storage that every distinct layer is stored once, and that
// removing one family of images leaves the other's layers intact.
func TestLayerSharing(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	e.MustPod(t, "pull", "-q", "alpine:3.20.3")
	if got := storedLayers(t, e); len(got) != 2 {
		t.Fatalf("after pulling two one-layer images the store holds %d layers: %q", len(got), got)
	}
	rootfs := func(img string) []string {
		return strings.Fields(strings.Trim(e.MustPod(t, "image", "inspect", "--format", "{{.RootFS.Layers}}", img).Out(), "[]"))
	}
	// Two children of 3.20.3 and one of 3.19.4.
	children := map[string]string{"child-a:1": "alpine:3.20.3", "child-b:1": "alpine:3.20.3", "child-c:1": "alpine:3.19.4"}
	for child, base := range children {
		c := e.CtrName(t, "share")
		e.MustPod(t, "run", "--name", c, base, "sh", "-c", "echo "+child+" > /child")
		e.MustPod(t, "commit", "-q", c, child)
		e.MustPod(t, "rm", c)
		b, ch := rootfs(base), rootfs(child)
		if len(ch) != len(b)+1 || strings.Join(ch[:len(b)], " ") != strings.Join(b, " ") {
			t.Errorf("%s layers %q do not extend %s layers %q by one", child, ch, base, b)
		}
	}
	if got := storedLayers(t, e); len(got) != 5 {
		t.Fatalf("two bases and three children should store 5 layers, the store holds %d: %q", len(got), got)
	}

	// Removing the 3.19.4 family leaves the others whole.
	e.MustPod(t, "rmi", "child-c:1", "alpine:3.19.4")
	if got := storedLayers(t, e); len(got) != 3 {
		t.Errorf("after removing alpine:3.19.4 and its child the store holds %d layers, want 3: %q", len(got), got)
	}
	for _, child := range []string{"child-a:1", "child-b:1"} {
		r := e.MustPod(t, "run", "--rm", child, "sh", "-c", "cat /child; cat /etc/alpine-release")
		if want := child + "\n3.20.3"; r.Out() != want {
			t.Errorf("run %s printed %q, want %q", child, r.Out(), want)
		}
	}
	e.MustPod(t, "rmi", "child-a:1")
	r := e.MustPod(t, "run", "--rm", "child-b:1", "cat", "/child")
	expectStdout(t, r, "child-b:1\n")
}
