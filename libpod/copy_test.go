package libpod

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

// fakeRoot lays out a container root filesystem with symlinks that point
// out of it, and returns a copy side on it.
func fakeRoot(t *testing.T) *copySide {
	t.Helper()
	root := filepath.Join(t.TempDir(), "rootfs")
	for _, d := range []string{"etc", "tmp", "data/d", "work"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(root, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\n")
	writeFile(t, filepath.Join(root, "work", "here"), "x")
	for link, target := range map[string]string{
		"data/rootlink": "/", "data/etclink": "../../../../etc", "data/pwlink": "/etc/passwd", "data/dangling": "/nowhere/x",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	c := &Container{Config: &ContainerConfig{ID: hexID("c0"), Name: "web"}}
	return &copySide{c: c, name: "web", root: root, workDir: "/work", release: func() {}}
}

func TestCopySourceResolvesInsideTheContainer(t *testing.T) {
	s := fakeRoot(t)
	for _, tt := range []struct {
		path, want, rebase string
		dir                bool
	}{
		{"/etc/passwd", "/etc/passwd", "", false},
		{"/data/pwlink", "/etc/passwd", "pwlink", false},        // a final symlink is followed, the name kept
		{"/data/rootlink/etc/passwd", "/etc/passwd", "", false}, // "/" is the container's
		{"/data/etclink/passwd", "/etc/passwd", "", false},      // ".." stops at the container's root
		{"/data/rootlink/../../../etc/passwd", "/etc/passwd", "", false},
		{"here", "/work/here", "", false}, // relative: from the working directory
		{"/data/d/.", "/data/d/.", "", true},
		{"/", "/.", "", true},
		{"/data/rootlink", "/.", "", true},
	} {
		s.path = tt.path
		info, err := s.sourceInfo()
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		rel := strings.TrimPrefix(info.Path, s.root)
		if rel != tt.want || info.RebaseName != tt.rebase || info.IsDir != tt.dir || !info.Exists {
			t.Errorf("%s: resolved to %q (rebase %q, dir %v), want %q (rebase %q, dir %v)", tt.path, rel, info.RebaseName, info.IsDir, tt.want, tt.rebase, tt.dir)
		}
	}
	for _, missing := range []string{"/nothere", "/data/dangling", "/etc/passwd/x"} {
		s.path = missing
		_, err := s.sourceInfo()
		if !errors.Is(err, unix.ENOENT) || err.Error() != `"`+missing+`" could not be found on container web: no such file or directory` {
			t.Errorf("%s: %v", missing, err)
		}
	}
}

func TestCopyDestinationResolvesInsideTheContainer(t *testing.T) {
	s := fakeRoot(t)
	for _, tt := range []struct {
		path, want  string
		exists, dir bool
	}{
		{"/tmp", "/tmp", true, true},
		{"/tmp/new.txt", "/tmp/new.txt", false, false},
		{"/data/etclink/", "/etc/", true, true},
		{"/data/rootlink/tmp/x", "/tmp/x", false, false},
		{"/data/pwlink", "/etc/passwd", true, false},
		{"/data/dangling", "/nowhere/x", false, false}, // would need /nowhere: refused below
	} {
		s.path = tt.path
		info, err := s.destinationInfo()
		if tt.path == "/data/dangling" {
			if !errors.Is(err, unix.ENOENT) {
				t.Errorf("%s: %v, want not found (its target's parent is missing)", tt.path, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		if rel := strings.TrimPrefix(info.Path, s.root); rel != tt.want || info.Exists != tt.exists || info.IsDir != tt.dir {
			t.Errorf("%s: %q exists %v dir %v, want %q %v %v", tt.path, rel, info.Exists, info.IsDir, tt.want, tt.exists, tt.dir)
		}
	}
	for _, bad := range []string{"/nonexist/x", "/nonexist/", "/tmp/missing/"} {
		s.path = bad
		if _, err := s.destinationInfo(); !errors.Is(err, unix.ENOENT) || !strings.Contains(err.Error(), `"`+bad+`" could not be found on container web`) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestCopyHostSide(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "f"), "x")
	h := &copySide{path: filepath.Join(dir, "missing"), release: func() {}}
	if _, err := h.sourceInfo(); !errors.Is(err, unix.ENOENT) || !strings.Contains(err.Error(), "could not be found on the host") {
		t.Errorf("missing host source: %v", err)
	}
	h.path = filepath.Join(dir, "nodir", "x")
	if _, err := h.destinationInfo(); !errors.Is(err, unix.ENOENT) {
		t.Errorf("host destination without parent: %v", err)
	}
	h.path = filepath.Join(dir, "new")
	if info, err := h.destinationInfo(); err != nil || info.Exists {
		t.Errorf("new host destination: %+v %v", info, err)
	}
}

func TestCopyRefusals(t *testing.T) {
	r := testRuntime(t)
	ctx := context.Background()
	err := r.CopyContainer(ctx, CopyTarget{Path: "a"}, CopyTarget{Path: "b"}, CopyOptions{})
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "CONTAINER:PATH") {
		t.Errorf("host to host: %v", err)
	}
	err = r.CopyContainer(ctx, CopyTarget{Container: "nope", Path: "/x"}, CopyTarget{Path: "/tmp"}, CopyOptions{})
	if !errors.Is(err, define.ErrNoSuchCtr) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown container: %v", err)
	}
}

func TestTarStream(t *testing.T) {
	var plain bytes.Buffer
	tw := tar.NewWriter(&plain)
	_ = tw.WriteHeader(&tar.Header{Name: "a.txt", Mode: 0o644, Size: 2, Typeflag: tar.TypeReg})
	_, _ = tw.Write([]byte("hi"))
	_ = tw.Close()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(plain.Bytes())
	_ = zw.Close()
	for name, in := range map[string][]byte{"plain": plain.Bytes(), "gzip": gz.Bytes()} {
		rc, err := tarStream(bytes.NewReader(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, plain.Bytes()) {
			t.Errorf("%s: the stream changed (%d bytes, want %d)", name, len(got), plain.Len())
		}
	}
	for name, in := range map[string][]byte{"garbage": []byte("garbage\n"), "empty": nil, "empty archive": make([]byte, 1024)} {
		if _, err := tarStream(bytes.NewReader(in)); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "tar archive") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
