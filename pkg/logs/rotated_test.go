package logs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rotate does what the monitor does when the log at path is full,
// keeping files files: shift the kept files up by hard links renamed into
// place, then replace the log by an empty file.
func rotate(t *testing.T, path string, files int) {
	t.Helper()
	linkOver := func(src, dst string) {
		tmp := dst + ".link"
		if err := os.Link(src, tmp); err != nil {
			if os.IsNotExist(err) {
				return
			}
			t.Fatal(err)
		}
		if err := os.Rename(tmp, dst); err != nil {
			t.Fatal(err)
		}
	}
	for k := files - 2; k >= 1; k-- {
		linkOver(fmt.Sprintf("%s.%d", path, k), fmt.Sprintf("%s.%d", path, k+1))
	}
	if files > 1 {
		linkOver(path, path+".1")
	}
	if err := os.WriteFile(path+".new", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
}

// rotatedLog writes a log of three files: .2 holds lines 1-2, .1 lines
// 3-4 (the second a partial record continued in the log), the log 5-6.
func rotatedLog(t *testing.T) string {
	path := writeLog(t, rec(1, "stdout", "F", "one")+rec(2, "stderr", "F", "two"))
	rotate(t, path, 3)
	appendTo(t, path, rec(3, "stdout", "F", "three")+rec(4, "stdout", "P", "fo"))
	rotate(t, path, 3)
	appendTo(t, path, rec(4, "stdout", "F", "ur")+rec(5, "stdout", "F", "five")+rec(6, "stdout", "F", "six"))
	return path
}

func TestReadKeptFiles(t *testing.T) {
	path := rotatedLog(t)
	for _, tc := range []struct {
		tail      int
		out, err_ string
	}{
		{-1, "one\nthree\nfour\nfive\nsix\n", "two\n"},
		{2, "five\nsix\n", ""},
		{3, "four\nfive\nsix\n", ""}, // a line across two files counts once
		{5, "three\nfour\nfive\nsix\n", "two\n"},
		{50, "one\nthree\nfour\nfive\nsix\n", "two\n"},
		{0, "", ""},
	} {
		out, errOut := readAll(t, path, Options{Tail: tc.tail})
		if out != tc.out || errOut != tc.err_ {
			t.Errorf("tail %d: stdout %q stderr %q, want %q %q", tc.tail, out, errOut, tc.out, tc.err_)
		}
	}
	out, _ := readAll(t, path, Options{Tail: -1, Since: at(4), Until: at(6)})
	if out != "four\nfive\n" {
		t.Errorf("since/until across files: %q", out)
	}
}

// Mid-rotation a kept file has two names: it is read once.
func TestReadKeptFilesMidRotation(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "a"))
	rotate(t, path, 3)
	appendTo(t, path, rec(2, "stdout", "F", "b"))
	// As after the first step of the next rotation: .2 is .1 too.
	if err := os.Link(path+".1", path+".2"); err != nil {
		t.Fatal(err)
	}
	if out, _ := readAll(t, path, Options{Tail: -1}); out != "a\nb\n" {
		t.Errorf("stdout %q", out)
	}
	// And after the second: .1 is the log too.
	if err := os.Remove(path + ".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if out, _ := readAll(t, path, Options{Tail: -1}); out != "a\nb\n" {
		t.Errorf("stdout %q", out)
	}
}

func TestFollowAcrossRotations(t *testing.T) {
	path := writeLog(t, rec(1, "stdout", "F", "start"))
	var alive atomic.Bool
	alive.Store(true)
	done := follow(context.Background(), path, Options{Tail: -1}, &alive)
	var want strings.Builder
	want.WriteString("start\n")
	for i := 0; i < 40; i++ {
		line := fmt.Sprintf("line %d", i)
		want.WriteString(line + "\n")
		appendTo(t, path, rec(2, "stdout", "F", line))
		if i%4 == 3 {
			// Written just before the rotation: read from the old file.
			rotate(t, path, 5)
		}
		time.Sleep(15 * time.Millisecond)
	}
	time.Sleep(150 * time.Millisecond)
	alive.Store(false)
	r := wait(t, done)
	if r.out != want.String() {
		t.Errorf("followed across rotations:\n%s\nwant\n%s", r.out, want.String())
	}
}

// Without kept files (max-file 1) the reader goes on with the new file.
func TestFollowRotationWithoutKeptFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	appendTo(t, path, rec(1, "stdout", "F", "first"))
	var alive atomic.Bool
	alive.Store(true)
	done := follow(context.Background(), path, Options{Tail: -1}, &alive)
	time.Sleep(150 * time.Millisecond)
	appendTo(t, path, rec(2, "stdout", "F", "last of old"))
	rotate(t, path, 1)
	appendTo(t, path, rec(3, "stdout", "F", "new"))
	time.Sleep(250 * time.Millisecond)
	alive.Store(false)
	if r := wait(t, done); r.out != "first\nlast of old\nnew\n" {
		t.Errorf("stdout %q", r.out)
	}
}
