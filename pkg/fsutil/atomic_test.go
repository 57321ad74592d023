package fsutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileAtomicReplaces(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state.json")
	if err := WriteFileAtomic(p, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "two" {
		t.Fatalf("got %q, %v", b, err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Fatalf("temp files left behind: %v", ents)
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	if err := WriteFileAtomic(filepath.Join(t.TempDir(), "no", "x"), nil, 0o600); err == nil {
		t.Fatal("expected error for missing directory")
	}
}

func TestTryLockExcludes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l")
	a, err := OpenLock(p)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := OpenLock(p)
	defer b.Close()
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.TryLock(); ok {
		t.Fatal("second open file description got the lock while held")
	}
	a.Unlock()
	if ok, _ := b.TryLock(); !ok {
		t.Fatal("lock not free after Unlock")
	}
}

func TestReplaceFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rec")
	for _, content := range []string{"first", "second, longer"} {
		if err := ReplaceFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Errorf("ReplaceFile: read %q, %v; want %q", got, err, content)
		}
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Errorf("temp files left: %v", ents)
	}
}
