package build

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

// tree writes files (relative path → content; a "->" prefix makes a
// symlink) below a new directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := cutLink(content); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func cutLink(s string) (string, bool) {
	if len(s) > 2 && s[:2] == "->" {
		return s[2:], true
	}
	return "", false
}

func rels(srcs []Source) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, s.Rel)
	}
	sort.Strings(out)
	return out
}

func TestOpenContext(t *testing.T) {
	if _, err := OpenContext(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing context opened")
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := OpenContext(file); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("a file as context: %v", err)
	}
}

func TestIgnoreFiles(t *testing.T) {
	dir := tree(t, map[string]string{
		".containerignore": "*.log\nsecret/\n!keep.log\n",
		".dockerignore":    "*.txt\n",
		"a.log":            "x", "keep.log": "k", "a.txt": "t", "secret/key": "s", "sub/b.log": "b",
	})
	r, err := OpenContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	// .containerignore wins over .dockerignore.
	for rel, want := range map[string]bool{"a.log": true, "keep.log": false, "a.txt": false, "secret/key": true, "secret": true, "sub/b.log": false, ".": false} {
		if got := r.excluded(rel); got != want {
			t.Errorf("excluded(%q) = %v, want %v", rel, got, want)
		}
	}
	if _, err := r.Resolve("a.log"); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("an ignored source resolved: %v", err)
	}
	srcs, err := r.Resolve("*.log")
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(srcs); !reflect.DeepEqual(got, []string{"keep.log"}) {
		t.Errorf("*.log matched %q", got)
	}
	// The whole context leaves out what is ignored.
	all, err := r.Resolve(".")
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := r.CopyInto(dst, all, "/", ownOptions()); err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{"a.log": false, "keep.log": true, "a.txt": true, "secret/key": false, "sub/b.log": true} {
		if _, err := os.Stat(filepath.Join(dst, rel)); (err == nil) != want {
			t.Errorf("%s copied: %v, want %v", rel, err == nil, want)
		}
	}
}

func ownOptions() CopyOptions {
	return CopyOptions{UID: os.Getuid(), GID: os.Getgid()}
}

func TestResolveStaysInside(t *testing.T) {
	outside := tree(t, map[string]string{"secret": "s"})
	dir := tree(t, map[string]string{
		"a/b.txt": "b", "link": "->" + filepath.Join(outside, "secret"), "up": "->../../..",
	})
	r, err := OpenContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"..", "../x", "a/../../x"} {
		if _, err := r.Resolve(src); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("Resolve(%q): %v, want an invalid argument", src, err)
		}
	}
	// An absolute path is relative to the context.
	if srcs, err := r.Resolve("/a/b.txt"); err != nil || srcs[0].Rel != "a/b.txt" {
		t.Errorf("Resolve(/a/b.txt) = %+v, %v", srcs, err)
	}
	// A symlink to outside resolves inside the root, where nothing is.
	if srcs, err := r.Resolve("link"); err == nil {
		t.Errorf("a link out of the context resolved to %s", srcs[0].Path)
	}
	if srcs, err := r.Resolve("up"); err != nil || srcs[0].Path != dir {
		t.Errorf("a link up resolved to %+v, %v; want the root", srcs, err)
	}
	if _, err := r.Resolve("nope.txt"); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("missing source: %v", err)
	}
	if _, err := r.Resolve("*.none"); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("glob matching nothing: %v", err)
	}
}

func TestChecksum(t *testing.T) {
	dir := tree(t, map[string]string{"d/a": "1", "d/b": "2", "l": "->d/a"})
	r, _ := OpenContext(dir)
	sum := func() string {
		t.Helper()
		srcs, err := r.Resolve(".")
		if err != nil {
			t.Fatal(err)
		}
		s, err := r.Checksum(srcs)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := sum()
	if again := sum(); again != first {
		t.Fatalf("checksum not stable: %s, %s", first, again)
	}
	now := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(dir, "d/a"), now, now)
	if got := sum(); got != first {
		t.Error("a new modification time changed the checksum")
	}
	for _, change := range []func(){
		func() { os.WriteFile(filepath.Join(dir, "d/a"), []byte("x"), 0o644) },
		func() { os.Chmod(filepath.Join(dir, "d/b"), 0o600) },
		func() { os.Remove(filepath.Join(dir, "l")); os.Symlink("d/b", filepath.Join(dir, "l")) },
		func() { os.Rename(filepath.Join(dir, "d/b"), filepath.Join(dir, "d/c")) },
	} {
		before := sum()
		change()
		if sum() == before {
			t.Error("a change did not change the checksum")
		}
	}
}

func TestCopyInto(t *testing.T) {
	dir := tree(t, map[string]string{"f.txt": "file", "d/x": "x", "d/sub/y": "y", "d/ln": "->x"})
	r, _ := OpenContext(dir)
	resolve := func(src string) []Source {
		t.Helper()
		s, err := r.Resolve(src)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	read := func(root, p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return string(b)
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "existing"), 0o755)
	o := ownOptions()
	// A file to a name, to a trailing slash, to an existing directory.
	for dest, want := range map[string]string{"/renamed": "/renamed", "/new/dir/": "/new/dir/f.txt", "/existing": "/existing/f.txt"} {
		if err := r.CopyInto(root, resolve("f.txt"), dest, o); err != nil {
			t.Fatal(err)
		}
		if got := read(root, want); got != "file" {
			t.Errorf("COPY f.txt %s: %s has %q", dest, want, got)
		}
	}
	// A directory's contents go into dest.
	if err := r.CopyInto(root, resolve("d"), "/out", o); err != nil {
		t.Fatal(err)
	}
	if read(root, "out/x") != "x" || read(root, "out/sub/y") != "y" {
		t.Error("directory contents not copied")
	}
	if l, err := os.Readlink(filepath.Join(root, "out/ln")); err != nil || l != "x" {
		t.Errorf("symlink copied as %q, %v", l, err)
	}
	if _, err := os.Stat(filepath.Join(root, "out/d")); err == nil {
		t.Error("the directory itself was copied, not its contents")
	}
	// --chmod applies to everything copied.
	mode := fs.FileMode(0o640)
	o.Mode = &mode
	if err := r.CopyInto(root, resolve("f.txt"), "/m", o); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(root, "m")); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("--chmod=640 made %v", st.Mode())
	}
	// A path in the root that is a symlink out of it stays inside.
	os.Symlink("/", filepath.Join(root, "escape"))
	if err := r.CopyInto(root, resolve("f.txt"), "/escape/tmp/pwned", ownOptions()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/tmp/pwned"); err == nil {
		t.Error("COPY through a symlink in the root wrote /tmp/pwned on the host")
	}
	// Extract takes archives instead of copying them.
	o = ownOptions()
	o.Extract = func(file, dir string) (bool, error) {
		return true, os.WriteFile(filepath.Join(dir, "extracted"), []byte(filepath.Base(file)), 0o644)
	}
	if err := r.CopyInto(root, resolve("f.txt"), "/x/", o); err != nil {
		t.Fatal(err)
	}
	if read(root, "x/extracted") != "f.txt" {
		t.Error("Extract was not used")
	}
}

func TestSortedKeys(t *testing.T) {
	if got := SortedKeys(map[string]int{"b": 1, "a": 2, "c": 3}); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("SortedKeys = %q", got)
	}
}
