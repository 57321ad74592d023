package monitor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// logText joins the records of the files (oldest first) back into the
// output they hold, as `pod logs` prints it.
func logText(t *testing.T, paths ...string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range paths {
		for _, r := range logRecords(t, p) {
			parts := strings.SplitN(r, " ", 3) // stream, tag, text
			b.WriteString(parts[2])
			if parts[1] == "F" {
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func writeLines(l *logFile, from, to int) string {
	var all strings.Builder
	for i := from; i <= to; i++ {
		s := fmt.Sprintf("line %d\n", i)
		all.WriteString(s)
		l.write(streamStdout, []byte(s))
	}
	return all.String()
}

func TestLogRotationKeepsFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	const max = 300
	l, err := openLog(path, rotation{max: max, files: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := writeLines(l, 1, 100)
	// Several lines in one chunk are split between files too.
	chunk := "many a\nmany b\nmany c\nmany d\nmany e\nmany f\n"
	all += chunk
	l.write(streamStdout, []byte(chunk))
	l.close()

	for _, p := range []string{path, path + ".1", path + ".2"} {
		if n := fileSize(t, p); n > max || n == 0 {
			t.Errorf("%s holds %d bytes, want 1..%d", p, n, max)
		}
	}
	for _, p := range []string{path + ".3", path + ".new", path + ".1.link"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists (%v)", p, err)
		}
	}
	got := logText(t, path+".2", path+".1", path)
	if !strings.HasSuffix(all, got) || !strings.HasSuffix(got, chunk) || strings.Count(got, "\n") < 6 {
		t.Errorf("kept files hold %q: not the end of what was written", got)
	}
}

func TestLogRotationTruncates(t *testing.T) {
	for _, files := range []uint{0, 1} {
		path := filepath.Join(t.TempDir(), "ctr.log")
		l, err := openLog(path, rotation{max: 200, files: files}, nil)
		if err != nil {
			t.Fatal(err)
		}
		all := writeLines(l, 1, 50)
		l.close()
		if n := fileSize(t, path); n > 200 {
			t.Errorf("files=%d: log holds %d bytes", files, n)
		}
		got := logText(t, path)
		if !strings.HasSuffix(all, got) || !strings.HasSuffix(got, "line 50\n") {
			t.Errorf("files=%d: log holds %q", files, got)
		}
		if _, err := os.Stat(path + ".1"); !os.IsNotExist(err) {
			t.Errorf("files=%d: %s.1 exists", files, path)
		}
	}
}

func TestLogRotationCountsExistingContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	l, err := openLog(path, rotation{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeLines(l, 1, 3) // 3 records of 53 bytes
	l.close()
	l, err = openLog(path, rotation{max: 200, files: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeLines(l, 4, 4)
	l.close()
	if got := logText(t, path+".1"); got != "line 1\nline 2\nline 3\n" {
		t.Errorf("rotated file holds %q", got)
	}
	if got := logText(t, path); got != "line 4\n" {
		t.Errorf("log holds %q", got)
	}
}

func TestLogRotationCutsLongLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	const max = 100
	l, err := openLog(path, rotation{max: max, files: 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("0123456789", 30) + "\n"
	l.write(streamStderr, []byte(long))
	l.close()
	var paths []string
	for k := uint(19); k >= 1; k-- {
		if _, err := os.Stat(rotatedName(path, k)); err == nil {
			paths = append(paths, rotatedName(path, k))
		}
	}
	paths = append(paths, path)
	for _, p := range paths {
		if n := fileSize(t, p); n > max {
			t.Errorf("%s holds %d bytes, more than %d", p, n, max)
		}
	}
	if got := logText(t, paths...); got != long {
		t.Errorf("the long line came back as %q", got)
	}
}

// A limit smaller than a record's overhead: one record per file, no loop.
func TestLogRotationTinyLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	l, err := openLog(path, rotation{max: 10, files: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeLines(l, 1, 5)
	l.close()
	if got := logText(t, path+".1", path); got != "line 4\nline 5\n" {
		t.Errorf("kept %q", got)
	}
}
