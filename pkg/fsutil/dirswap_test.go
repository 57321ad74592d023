package fsutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCloneAndExchangeDirs(t *testing.T) {
	base := t.TempDir()
	src, dst := filepath.Join(base, "src"), filepath.Join(base, "dst")
	for _, d := range []string{src, filepath.Join(src, "sub"), dst} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(src, 0o750); err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(src, "copied"), "c")
	write(filepath.Join(src, "sub", "linked"), "l")
	if err := os.Symlink("copied", filepath.Join(src, "sym")); err != nil {
		t.Fatal(err)
	}
	if err := CloneDir(src, dst, func(rel string) bool { return rel == filepath.Join("sub", "linked") }); err != nil {
		t.Fatal(err)
	}
	same := func(a, b string) bool {
		fa, err1 := os.Stat(a)
		fb, err2 := os.Stat(b)
		return err1 == nil && err2 == nil && os.SameFile(fa, fb)
	}
	if !same(filepath.Join(src, "sub", "linked"), filepath.Join(dst, "sub", "linked")) {
		t.Error("sub/linked is not a hard link")
	}
	if same(filepath.Join(src, "copied"), filepath.Join(dst, "copied")) {
		t.Error("copied is a hard link")
	}
	if to, err := os.Readlink(filepath.Join(dst, "sym")); err != nil || to != "copied" {
		t.Errorf("sym: %q, %v", to, err)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o750 {
		t.Errorf("dst mode %v, %v; want 0750", fi.Mode(), err)
	}
	write(filepath.Join(dst, "new"), "n")
	if err := ExchangeDirs(dst, src); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(src, "new")); err != nil {
		t.Errorf("after the exchange src lacks the new file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dst, "new")); !os.IsNotExist(err) {
		t.Errorf("after the exchange dst still has the new file: %v", err)
	}
}
