package logs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// appendTo appends s to the file at path.
func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Error(err)
	}
}

type followResult struct {
	out, errOut string
	err         error
}

// follow runs Read with Follow in the background.
func follow(ctx context.Context, path string, opts Options, alive *atomic.Bool) <-chan followResult {
	done := make(chan followResult, 1)
	go func() {
		var out, errOut bytes.Buffer
		opts.Follow = true
		err := Read(ctx, path, opts, &out, &errOut, alive.Load)
		done <- followResult{out.String(), errOut.String(), err}
	}()
	return done
}

func wait(t *testing.T, done <-chan followResult) followResult {
	t.Helper()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Read: %v", r.err)
		}
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("Read did not return")
		return followResult{}
	}
}

func TestFollow(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "old1")+rec(2, "stdout", "F", "old2"))
	var alive atomic.Bool
	alive.Store(true)
	done := follow(context.Background(), path, Options{Tail: 1}, &alive)

	time.Sleep(150 * time.Millisecond)
	appendTo(t, path, rec(3, "stdout", "P", "par"))
	time.Sleep(150 * time.Millisecond)
	// A record arriving in two writes is printed once complete.
	whole := rec(4, "stderr", "F", "err line")
	appendTo(t, path, whole[:20])
	time.Sleep(250 * time.Millisecond)
	appendTo(t, path, whole[20:])
	appendTo(t, path, "corrupt\n")
	appendTo(t, path, rec(5, "stdout", "F", "tial"))
	time.Sleep(150 * time.Millisecond)
	// Written just before the writer goes away: must still be printed.
	appendTo(t, path, rec(6, "stdout", "F", "final"))
	alive.Store(false)

	r := wait(t, done)
	if want := "old2\npartial\nfinal\n"; r.out != want {
		t.Errorf("stdout = %q, want %q", r.out, want)
	}
	if want := "err line\n"; r.errOut != want {
		t.Errorf("stderr = %q, want %q", r.errOut, want)
	}
}

func TestFollowOutputIsTimely(t *testing.T) {
	path := writeLog(t, "")
	var alive atomic.Bool
	alive.Store(true)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	done := make(chan error, 1)
	go func() {
		done <- Read(context.Background(), path, Options{Tail: -1, Follow: true}, pw, nil, alive.Load)
		pw.Close()
	}()
	appendTo(t, path, rec(1, "stdout", "F", "ping"))
	// The line must reach the output while the writer is still alive.
	buf := make([]byte, 5)
	pr.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := pr.Read(buf); err != nil || string(buf) != "ping\n" {
		t.Errorf("read %q, %v", buf, err)
	}
	alive.Store(false)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestFollowCancel(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "a"))
	var alive atomic.Bool
	alive.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	done := follow(ctx, path, Options{Tail: -1}, &alive)
	time.Sleep(150 * time.Millisecond)
	cancel()
	r := wait(t, done)
	if r.out != "a\n" {
		t.Errorf("stdout = %q", r.out)
	}
}

func TestFollowWaitsForFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	var alive atomic.Bool
	alive.Store(true)
	done := follow(context.Background(), path, Options{Tail: -1, Timestamps: true}, &alive)
	time.Sleep(250 * time.Millisecond)
	appendTo(t, path, rec(1, "stdout", "F", "late"))
	time.Sleep(250 * time.Millisecond)
	alive.Store(false)
	r := wait(t, done)
	if want := "2026-11-23T10:11:01.123456789Z late\n"; r.out != want {
		t.Errorf("stdout = %q, want %q", r.out, want)
	}
}

func TestFollowMissingFileCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	var alive atomic.Bool
	alive.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r := wait(t, follow(ctx, path, Options{Tail: -1}, &alive))
	if r.out != "" {
		t.Errorf("stdout = %q", r.out)
	}
}

func TestFollowDeadWriter(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "a")+rec(2, "stdout", "P", "b"))
	var alive atomic.Bool
	r := wait(t, follow(context.Background(), path, Options{Tail: -1}, &alive))
	if r.out != "a\nb" {
		t.Errorf("stdout = %q", r.out)
	}
}

func TestFollowReplacedFile(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "first"))
	var alive atomic.Bool
	alive.Store(true)
	done := follow(context.Background(), path, Options{Tail: -1}, &alive)
	time.Sleep(150 * time.Millisecond)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(rec(2, "stdout", "F", "second")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	time.Sleep(250 * time.Millisecond)
	appendTo(t, path, rec(3, "stdout", "F", "third"))
	time.Sleep(150 * time.Millisecond)
	alive.Store(false)
	r := wait(t, done)
	if want := "first\nsecond\nthird\n"; r.out != want {
		t.Errorf("stdout = %q, want %q", r.out, want)
	}
}

func TestFollowTruncatedFile(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "first line that is long"))
	var alive atomic.Bool
	alive.Store(true)
	done := follow(context.Background(), path, Options{Tail: -1}, &alive)
	time.Sleep(150 * time.Millisecond)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	appendTo(t, path, rec(2, "stdout", "F", "after"))
	time.Sleep(250 * time.Millisecond)
	alive.Store(false)
	r := wait(t, done)
	if want := "first line that is long\nafter\n"; r.out != want {
		t.Errorf("stdout = %q, want %q", r.out, want)
	}
}
