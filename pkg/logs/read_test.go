package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rec builds a record written at second sec (with a fixed fraction) of
// 2026-11-23T10:11.
func rec(sec int, stream, tag, text string) string {
	return fmt.Sprintf("2026-11-23T10:11:%02d.123456789+00:00 %s %s %s\n", sec, stream, tag, text)
}

func at(sec int) time.Time {
	return time.Date(2026, 11, 23, 10, 11, sec, 0, time.UTC)
}

func writeLog(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ctr.log")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func never() bool { return false }

func readAll(t *testing.T, path string, opts Options) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := Read(context.Background(), path, opts, &out, &errOut, never); err != nil {
		t.Fatalf("Read: %v", err)
	}
	return out.String(), errOut.String()
}

func TestRead(t *testing.T) {
	basic := rec(12, "stdout", "F", "hello") +
		rec(13, "stderr", "P", "par") +
		rec(14, "stderr", "F", "tial") +
		"garbage line\n" +
		rec(15, "stdout", "P", "a") +
		rec(16, "stdout", "P", "b") +
		rec(17, "stdout", "F", "c") +
		rec(18, "stdout", "F", "") +
		rec(19, "stdout", "F", "last")
	// The last line is still being written: two P records, no F yet.
	trailing := rec(12, "stdout", "F", "hello") +
		rec(13, "stdout", "P", "p1") +
		rec(14, "stdout", "F", "f1") +
		rec(15, "stdout", "F", "two") +
		rec(16, "stdout", "P", "tr") +
		rec(17, "stdout", "P", "ail")
	all := Options{Tail: -1}
	tests := []struct {
		name     string
		content  string
		opts     Options
		out, err string
	}{
		{"empty", "", all, "", ""},
		{"basic", basic, all, "hello\nabc\n\nlast\n", "partial\n"},
		{"partial joining", trailing, all, "hello\np1f1\ntwo\ntrail", ""},
		{"timestamps", basic, Options{Tail: -1, Timestamps: true},
			"2026-11-23T10:11:12.123456789Z hello\n" +
				"2026-11-23T10:11:15.123456789Z abc\n" +
				"2026-11-23T10:11:18.123456789Z \n" +
				"2026-11-23T10:11:19.123456789Z last\n",
			"2026-11-23T10:11:13.123456789Z partial\n"},
		{"timestamps keep offset",
			"2026-11-23T10:11:15.100000000+01:00 stdout F a\n2026-11-23T10:11:16.5-02:30 stdout F b\n",
			Options{Tail: -1, Timestamps: true},
			"2026-11-23T10:11:15.100000000+01:00 a\n2026-11-23T10:11:16.500000000-02:30 b\n", ""},
		{"tail 0", basic, Options{Tail: 0}, "", ""},
		{"tail 1", basic, Options{Tail: 1}, "last\n", ""},
		{"tail 2", basic, Options{Tail: 2}, "\nlast\n", ""},
		{"tail 3 spans partial line", basic, Options{Tail: 3}, "abc\n\nlast\n", ""},
		{"tail 4 skips corrupt", basic, Options{Tail: 4}, "abc\n\nlast\n", "partial\n"},
		{"tail more than lines", basic, Options{Tail: 100}, "hello\nabc\n\nlast\n", "partial\n"},
		{"tail 1 trailing partial", trailing, Options{Tail: 1}, "trail", ""},
		{"tail 2 trailing partial", trailing, Options{Tail: 2}, "two\ntrail", ""},
		{"tail 3 trailing partial", trailing, Options{Tail: 3}, "p1f1\ntwo\ntrail", ""},
		{"tail 4 trailing partial", trailing, Options{Tail: 4}, "hello\np1f1\ntwo\ntrail", ""},
		{"since is exclusive", basic, Options{Tail: -1, Since: at(15).Add(123456789)}, "bc\n\nlast\n", ""},
		{"since", basic, Options{Tail: -1, Since: at(14)}, "abc\n\nlast\n", "tial\n"},
		{"until is exclusive", basic, Options{Tail: -1, Until: at(13).Add(123456789)}, "hello\n", ""},
		{"until", basic, Options{Tail: -1, Until: at(16)}, "hello\na", "partial\n"},
		{"since and until", basic, Options{Tail: -1, Since: at(16), Until: at(19)}, "bc\n\n", ""},
		{"tail then since", basic, Options{Tail: 2, Since: at(19)}, "last\n", ""},
		{"tail then since excludes all", basic, Options{Tail: 1, Since: at(30)}, "", ""},
		{"no final newline", rec(12, "stdout", "F", "a") + strings.TrimSuffix(rec(13, "stdout", "F", "b"), "\n"), all, "a\nb\n", ""},
		{"no final newline tail 0", rec(12, "stdout", "F", "a") + strings.TrimSuffix(rec(13, "stdout", "F", "b"), "\n"), Options{Tail: 0}, "", ""},
		{"no final newline tail 1", rec(12, "stdout", "F", "a") + strings.TrimSuffix(rec(13, "stdout", "F", "b"), "\n"), Options{Tail: 1}, "b\n", ""},
		{"only corrupt", "x\n\ny z w v\n", Options{Tail: 1}, "", ""},
		{"corrupt at the end", rec(12, "stdout", "F", "a") + "junk\n", Options{Tail: 1}, "a\n", ""},
		{"partial timestamps once per line", rec(12, "stdout", "P", "a") + rec(13, "stderr", "F", "e") + rec(14, "stdout", "F", "b"),
			Options{Tail: -1, Timestamps: true},
			"2026-11-23T10:11:12.123456789Z ab\n", "2026-11-23T10:11:13.123456789Z e\n"},
		{"text with spaces and tabs", rec(12, "stdout", "F", "  a\tb  "), all, "  a\tb  \n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut := readAll(t, writeLog(t, tt.content), tt.opts)
			if out != tt.out {
				t.Errorf("stdout = %q, want %q", out, tt.out)
			}
			if errOut != tt.err {
				t.Errorf("stderr = %q, want %q", errOut, tt.err)
			}
		})
	}
}

func TestReadSharedWriterKeepsOrder(t *testing.T) {
	content := rec(1, "stdout", "F", "o1") + rec(2, "stderr", "F", "e1") + rec(3, "stdout", "P", "o2") +
		rec(4, "stderr", "F", "e2") + rec(5, "stdout", "F", "o3")
	var buf bytes.Buffer
	if err := Read(context.Background(), writeLog(t, content), Options{Tail: -1}, &buf, &buf, never); err != nil {
		t.Fatal(err)
	}
	if want := "o1\ne1\no2e2\no3\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestReadNilWriters(t *testing.T) {
	content := rec(1, "stdout", "F", "o1") + rec(2, "stderr", "F", "e1")
	if err := Read(context.Background(), writeLog(t, content), Options{Tail: -1, Follow: true}, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestReadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.log")
	out, errOut := readAll(t, path, Options{Tail: -1})
	if out != "" || errOut != "" {
		t.Errorf("output %q %q", out, errOut)
	}
	start := time.Now()
	out, errOut = readAll(t, path, Options{Tail: -1, Follow: true})
	if out != "" || errOut != "" || time.Since(start) > time.Second {
		t.Errorf("follow on missing file of a dead writer: %q %q after %v", out, errOut, time.Since(start))
	}
}

func TestReadUnreadable(t *testing.T) {
	dir := t.TempDir()
	// A directory cannot be read as a log.
	err := Read(context.Background(), dir, Options{Tail: -1}, &bytes.Buffer{}, &bytes.Buffer{}, never)
	if err == nil {
		t.Fatal("no error reading a directory")
	}
}

type failWriter struct{}

var errBroken = errors.New("broken pipe")

func (failWriter) Write([]byte) (int, error) { return 0, errBroken }

func TestReadWriteError(t *testing.T) {
	content := strings.Repeat(rec(1, "stdout", "F", strings.Repeat("x", 100)), 100)
	err := Read(context.Background(), writeLog(t, content), Options{Tail: -1}, failWriter{}, nil, never)
	if !errors.Is(err, errBroken) {
		t.Errorf("error = %v, want wrapped %v", err, errBroken)
	}
}

// reference computes the expected stdout/stderr output for records with a
// straightforward algorithm: parse every line, group the records into
// lines, keep the last n lines, print.
func reference(content string, tail int) (string, string) {
	var recs []Line
	for _, s := range strings.SplitAfter(content, "\n") {
		if s == "" {
			continue
		}
		if l, err := Parse(s); err == nil {
			recs = append(recs, l)
		}
	}
	var groups [][]Line
	var cur []Line
	for _, l := range recs {
		cur = append(cur, l)
		if !l.Partial {
			groups = append(groups, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	if tail >= 0 && tail < len(groups) {
		groups = groups[len(groups)-tail:]
	}
	var out, errOut strings.Builder
	for _, g := range groups {
		for _, l := range g {
			w := &out
			if l.Stream == Stderr {
				w = &errOut
			}
			w.WriteString(l.Text)
			if !l.Partial {
				w.WriteByte('\n')
			}
		}
	}
	return out.String(), errOut.String()
}

func randomLog(r *rand.Rand, n int, longEvery int) string {
	var b strings.Builder
	for i := range n {
		stream := "stdout"
		if r.IntN(4) == 0 {
			stream = "stderr"
		}
		tag := "F"
		if r.IntN(3) == 0 {
			tag = "P"
		}
		size := r.IntN(120)
		if longEvery > 0 && i%longEvery == longEvery-1 {
			size = 70_000 + r.IntN(100_000)
		}
		text := strings.Repeat(string(rune('a'+i%26)), size)
		if r.IntN(50) == 0 {
			b.WriteString("corrupt " + text + "\n")
			continue
		}
		fmt.Fprintf(&b, "2026-11-23T10:%02d:%02d.%09d+00:00 %s %s %s\n", i/3600%60, i/60%60, i%1_000_000_000, stream, tag, text)
	}
	return b.String()
}

func TestReadTailMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	logs := map[string]string{
		"many short": randomLog(r, 20_000, 0),
		"long lines": randomLog(r, 300, 37),
		"tiny":       randomLog(r, 5, 0),
	}
	for name, content := range logs {
		path := writeLog(t, content)
		for _, tail := range []int{-1, 0, 1, 2, 3, 7, 50, 299, 1000, 5000, 19_999, 30_000} {
			wantOut, wantErr := reference(content, tail)
			out, errOut := readAll(t, path, Options{Tail: tail})
			if out != wantOut || errOut != wantErr {
				t.Errorf("%s tail %d: output differs (stdout %d/%d bytes, stderr %d/%d bytes)",
					name, tail, len(out), len(wantOut), len(errOut), len(wantErr))
			}
		}
	}
}

func TestTailOffsetReadsLittle(t *testing.T) {
	content := randomLog(rand.New(rand.NewPCG(3, 4)), 50_000, 0)
	cr := &countingReaderAt{r: strings.NewReader(content)}
	off, skip, err := tailOffset(cr, int64(len(content)), 10)
	if err != nil || skip {
		t.Fatalf("tailOffset: %v %v", err, skip)
	}
	if off <= 0 || off >= int64(len(content)) {
		t.Fatalf("offset %d out of range", off)
	}
	if cr.n > 2*tailChunk {
		t.Errorf("read %d bytes of %d for tail 10", cr.n, len(content))
	}
}

type countingReaderAt struct {
	r interface {
		ReadAt([]byte, int64) (int, error)
	}
	n int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += n
	return n, err
}
