package cmdutil

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func bufferFactory() (*Factory, *bytes.Buffer) {
	var out bytes.Buffer
	f := &Factory{IOStreams: &IOStreams{Out: &out, ErrOut: io.Discard}}
	f.Engine = func() (Engine, error) { return nil, nil }
	return f, &out
}

func TestWriteArchive(t *testing.T) {
	f, out := bufferFactory()
	write := func(_ Engine, w io.Writer) error { _, err := io.WriteString(w, "tar"); return err }
	if err := WriteArchive(f, "", write); err != nil || out.String() != "tar" {
		t.Fatalf("stdout: %q, %v", out, err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "a.tar")
	if err := WriteArchive(f, p, write); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "tar" {
		t.Errorf("file holds %q", b)
	}
	boom := errors.New("boom")
	fail := func(_ Engine, w io.Writer) error { _, _ = io.WriteString(w, "half"); return boom }
	// A file that was there stays (truncated); a new one is removed.
	if err := WriteArchive(f, p, fail); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Errorf("existing file removed: %v", err)
	}
	q := filepath.Join(dir, "new.tar")
	if err := WriteArchive(f, q, fail); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(q); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("half archive left: %v", err)
	}
}

func TestRunExists(t *testing.T) {
	f, _ := bufferFactory()
	if err := RunExists(f, func(Engine) (bool, error) { return true, nil }); err != nil {
		t.Errorf("exists: %v", err)
	}
	var ee *ExitError
	if err := RunExists(f, func(Engine) (bool, error) { return false, nil }); !errors.As(err, &ee) || ee.Code != 1 {
		t.Errorf("missing: %v, want exit 1", err)
	}
	boom := errors.New("boom")
	if err := RunExists(f, func(Engine) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("lookup error: %v", err)
	}
}
