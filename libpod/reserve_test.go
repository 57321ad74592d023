package libpod

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

func TestReserve(t *testing.T) {
	r := testRuntime(t)
	if err := os.MkdirAll(r.cfg.Storage.GraphRoot, 0o700); err != nil {
		t.Fatal(err)
	}
	r.ensureReserve()
	for _, p := range r.reservePaths() {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("no reserve at %s: %v", p, err)
		}
		var st unix.Stat_t
		if unix.Stat(p, &st) != nil || st.Blocks*512 < reserveSize {
			t.Errorf("%s holds %d bytes of disk, want %d (size %d)", p, st.Blocks*512, reserveSize, fi.Size())
		}
	}
	// With room to spare a removal leaves the reserve alone.
	r.freeing()()
	for _, p := range r.reservePaths() {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("reserve %s released with room to spare: %v", p, err)
		}
	}
	if !r.releaseReserve(true) {
		t.Fatal("nothing released")
	}
	for _, p := range r.reservePaths() {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("reserve %s not released", p)
		}
	}
	r.ensureReserve()
	for _, p := range r.reservePaths() {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("reserve %s not taken again: %v", p, err)
		}
	}
}

func TestNoSpace(t *testing.T) {
	r := testRuntime(t)
	err := r.noSpace("pull x", fmt.Errorf("writing blob: %w", unix.ENOSPC))
	if !errors.Is(err, define.ErrNoSpace) || strings.Count(err.Error(), "no space left") != 1 ||
		!strings.Contains(err.Error(), r.cfg.StaticDir) || !strings.Contains(err.Error(), "pod system prune") {
		t.Errorf("noSpace = %v", err)
	}
	other := errors.New("other")
	if r.noSpace("x", other) != other || r.noSpace("x", nil) != nil {
		t.Error("noSpace changed an unrelated error")
	}
}
