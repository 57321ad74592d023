package libpod

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadSmallFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 4095, 4096, 4097, 100_000} {
		want := bytes.Repeat([]byte("x"), n)
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, want, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readSmallFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("readSmallFile of %d bytes: %d bytes, %v", n, len(got), err)
		}
	}
	if _, err := readSmallFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("readSmallFile of a missing file: %v, want ErrNotExist", err)
	}
	if _, err := readSmallFile(dir); err == nil {
		t.Error("readSmallFile of a directory succeeded")
	}
}

func TestParallelRunsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		seen := make([]int, n)
		parallel(n, func(w, i int) {
			if w < 0 || w >= maxWorkers {
				t.Errorf("worker %d out of range", w)
			}
			seen[i]++
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d ran %d times", n, i, c)
			}
		}
	}
}
