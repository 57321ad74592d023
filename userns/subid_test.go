package userns

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/procfs"
)

func TestParseSubIDs(t *testing.T) {
	in := "# comment\nalice:100000:65536\nbob:200000:65536\n1000:300000:10\nalice:bad:1\nalice:400000:0\n\nalice:500000:5\n"
	got, err := ParseSubIDs(strings.NewReader(in), "alice", 1000)
	if err != nil {
		t.Fatal(err)
	}
	want := []IDRange{{100000, 65536}, {300000, 10}, {500000, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestSubIDsMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "subuid")
	os.WriteFile(p, []byte("bob:1:2\n"), 0o644)
	_, err := SubIDs(p, "alice", 1000)
	if !errors.Is(err, ErrNoSubIDs) || !strings.Contains(err.Error(), "usermod --add-subuids") || !strings.Contains(err.Error(), p) {
		t.Fatalf("unexpected error %v", err)
	}
	if _, err := SubIDs(filepath.Join(t.TempDir(), "none"), "alice", 1000); !errors.Is(err, ErrNoSubIDs) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestMapArgs(t *testing.T) {
	got := MapArgs(42, 1000, []IDRange{{100000, 65536}, {300000, 10}})
	want := []string{"42", "0", "1000", "1", "1", "100000", "65536", "65537", "300000", "10"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestLivePauseRejectsStale(t *testing.T) {
	d := t.TempDir()
	os.MkdirAll(filepath.Join(d, "pod"), 0o700)
	os.WriteFile(PausePIDFile(d), []byte("1 not-this-boot\n"), 0o600)
	if LivePause(d) != 0 {
		t.Fatal("stale boot id accepted")
	}
	os.WriteFile(PausePIDFile(d), []byte("1 "+procfs.BootID()+"\n"), 0o600)
	if LivePause(d) != 0 {
		t.Fatal("a process that is not a pause process accepted")
	}
}
