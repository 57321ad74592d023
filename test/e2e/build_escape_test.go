package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildContextEscape refuses COPY sources that leave the build context,
// by ".." or through a symlink pointing outside, with one error line naming
// the source; the file outside never reaches an image, and nothing is left.
func TestBuildContextEscape(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "escape", map[string]string{
		"Containerfile.dotdot": "FROM alpine\nCOPY ../outside.txt /x\n",
		"Containerfile.link":   "FROM alpine\nCOPY link /x\nRUN cat /x\n",
		"Containerfile.dir":    "FROM alpine\nCOPY linkdir/ /x/\nRUN cat /x/outside.txt\n",
	})
	outside := filepath.Join(filepath.Dir(ctx), "outside.txt")
	if err := os.WriteFile(outside, []byte("not for the image\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"link": outside, "linkdir": filepath.Dir(ctx)} {
		if err := os.Symlink(target, filepath.Join(ctx, name)); err != nil {
			t.Fatal(err)
		}
	}
	e.MustPod(t, "pull", "-q", "alpine")
	before := e.MustPod(t, "images", "-a", "-q").Lines()
	for _, c := range []struct{ file, want string }{
		{"Containerfile.dotdot", "../outside.txt"},
		{"Containerfile.link", "link"},
		{"Containerfile.dir", "linkdir"},
	} {
		r := e.Pod(t, "build", "-f", filepath.Join(ctx, c.file), ctx)
		expectExit(t, r, 125)
		if !strings.Contains(r.Stderr, c.want) || strings.Contains(r.Stdout+r.Stderr, "not for the image") {
			t.Errorf("%s:\n%s", c.file, r.describe())
		}
		if n := strings.Count(strings.TrimSpace(r.Stderr), "\n"); n != 0 {
			t.Errorf("%s: error of %d lines: %q", c.file, n+1, r.Stderr)
		}
	}
	if ids := e.MustPod(t, "ps", "-a", "-q").Out(); ids != "" {
		t.Errorf("refused builds left containers: %q", ids)
	}
	if after := e.MustPod(t, "images", "-a", "-q").Lines(); len(after) != len(before) {
		t.Errorf("refused builds changed the images: %q → %q", before, after)
	}
}
