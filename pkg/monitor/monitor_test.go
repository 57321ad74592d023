package monitor

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

var logLine = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d (stdout|stderr) (F|P) (.*)$`)

// logRecords returns the log as "stream tag content" strings.
func logRecords(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		m := logLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("log line %q is not in k8s-file format", l)
		}
		recs = append(recs, m[1]+" "+m[2]+" "+m[3])
	}
	return recs
}

// logLines is logRecords with each partial record ("STREAM P text")
// joined to the records of its stream that complete the line, as a log
// reader shows them: a terminal may hand a line over in several reads.
func logLines(t *testing.T, path string) []string {
	t.Helper()
	var lines []string
	pending := map[string]string{}
	for _, r := range logRecords(t, path) {
		stream, rest, _ := strings.Cut(r, " ")
		tag, text, _ := strings.Cut(rest, " ")
		if tag == "P" {
			pending[stream] += text
			continue
		}
		lines = append(lines, stream+" "+tag+" "+pending[stream]+text)
		delete(pending, stream)
	}
	return lines
}

func TestExitAndCleanupOnCtlEOF(t *testing.T) {
	h := newHarness(t, "echo hi; echo err >&2; exit 3")
	h.start()
	r := h.record(10 * time.Second)
	if r.Type != protocol.RecordStarted || r.Pid <= 0 {
		t.Fatalf("first record %+v", r)
	}
	h.ctlW.Close() // detached: the CLI lets the container go
	r = h.record(10 * time.Second)
	if r.Type != protocol.RecordExit || r.ExitCode != 3 || r.OOMKilled {
		t.Fatalf("exit record %+v", r)
	}
	if _, err := time.Parse(time.RFC3339Nano, r.ExitedAt); err != nil {
		t.Fatalf("exitedAt %q: %v", r.ExitedAt, err)
	}
	if st := h.wait(10 * time.Second); st != 0 {
		t.Fatalf("monitor exit status %d", st)
	}
	recs := logRecords(t, h.opts.LogPath)
	if strings.Join(recs, "|") != "stdout F hi|stderr F err" && strings.Join(recs, "|") != "stderr F err|stdout F hi" {
		t.Fatalf("log records %q", recs)
	}
	ef, err := protocol.ParseExitFile([]byte(h.readFile(h.opts.ExitFile)))
	if err != nil {
		t.Fatal(err)
	}
	if ef != r.ExitFile() || ef.ExitCode != 3 || ef.OOMKilled {
		t.Fatalf("exit file %+v", ef)
	}
	if got := h.readFile(filepath.Join(h.dir, "cleanup-ran")); got != "container cleanup x\n" {
		t.Fatalf("cleanup args %q", got)
	}
	if calls := strings.Join(h.runtimeCalls(), " "); calls != "run delete" { // no network helper, no tty: one step
		t.Fatalf("runtime calls %q", calls)
	}
	if fi, err := os.Stat(h.opts.LogPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file mode: %v %v", fi.Mode(), err)
	}
}

func TestCleanedSkipsCleanup(t *testing.T) {
	h := newHarness(t, "exit 0")
	h.start()
	if r := h.record(10 * time.Second); r.Type != protocol.RecordStarted {
		t.Fatalf("record %+v", r)
	}
	if r := h.record(10 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 0 {
		t.Fatalf("record %+v", r)
	}
	h.sendCtl(protocol.CtlRecord{Type: protocol.RecordCleaned})
	if st := h.wait(10 * time.Second); st != 0 {
		t.Fatalf("monitor exit status %d", st)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "cleanup-ran")); !os.IsNotExist(err) {
		t.Fatalf("cleanup ran after cleaned: %v", err)
	}
}

func TestSignalExitCode(t *testing.T) {
	h := newHarness(t, "kill -9 $$")
	h.start()
	h.record(10 * time.Second)
	if r := h.record(10 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 137 {
		t.Fatalf("record %+v", r)
	}
}

func TestCreateFailure(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		code int
	}{
		{"executable file `nosuchcmd` not found in $PATH: No such file or directory", 127},
		{"open executable: Permission denied", 126},
		{"cgroups in hybrid mode not supported, drop all controllers from cgroupv2", 125},
	} {
		h := newHarness(t, "exit 0")
		os.WriteFile(filepath.Join(h.bundle, "fail-create"), []byte(tc.msg), 0o644)
		h.start()
		r := h.record(10 * time.Second)
		if r.Type != protocol.RecordError || r.ExitCode != tc.code || r.Message != "fakert: "+tc.msg {
			t.Fatalf("record %+v, want code %d message %q", r, tc.code, "fakert: "+tc.msg)
		}
		if st := h.wait(10 * time.Second); st != 1 {
			t.Fatalf("monitor exit status %d", st)
		}
		if _, ok := <-h.recs; ok {
			t.Fatal("record after error")
		}
		if data, _ := os.ReadFile(h.opts.LogPath); len(data) != 0 {
			t.Fatalf("runtime error text in the container log: %q", data)
		}
		if _, err := os.Stat(filepath.Join(h.dir, "cleanup-ran")); !os.IsNotExist(err) {
			t.Fatal("cleanup command ran after a failed start")
		}
	}
}

func TestBadUsage(t *testing.T) {
	h := newHarness(t, "exit 0")
	h.opts.ID = ""
	h.start()
	r := h.record(10 * time.Second)
	if r.Type != protocol.RecordError || r.ExitCode != 125 || !strings.Contains(r.Message, "--id is required") {
		t.Fatalf("record %+v", r)
	}
	if st := h.wait(10 * time.Second); st != 1 {
		t.Fatalf("exit status %d", st)
	}
}

func TestAttachedStdio(t *testing.T) {
	h := newHarness(t, "cat; echo done; echo oops >&2; printf partial")
	inR, inW, _ := os.Pipe()
	outR, outW, _ := os.Pipe()
	errR, errW, _ := os.Pipe()
	h.files = []*os.File{inR, outW, errW}
	h.opts.AttachIn, h.opts.AttachOut, h.opts.AttachErr = 5, 6, 7
	h.opts.Stdin = true
	h.start()
	inR.Close()
	outW.Close()
	errW.Close()
	if r := h.record(10 * time.Second); r.Type != protocol.RecordStarted {
		t.Fatalf("record %+v", r)
	}
	inW.Write([]byte("line1\nline2"))
	inW.Close()
	outc := make(chan string)
	go func() { b, _ := io.ReadAll(outR); outc <- string(b) }()
	errc := make(chan string)
	go func() { b, _ := io.ReadAll(errR); errc <- string(b) }()
	if r := h.record(10 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 0 {
		t.Fatalf("record %+v", r)
	}
	h.ctlW.Close()
	h.wait(10 * time.Second)
	if out := <-outc; out != "line1\nline2done\npartial" {
		t.Fatalf("attached stdout %q", out)
	}
	if e := <-errc; e != "oops\n" {
		t.Fatalf("attached stderr %q", e)
	}
	var stdout []string
	for _, r := range logRecords(t, h.opts.LogPath) {
		if strings.HasPrefix(r, "stdout ") {
			stdout = append(stdout, r)
		}
	}
	// Chunks depend on timing; the concatenation does not.
	var b strings.Builder
	for _, r := range stdout {
		content := r[len("stdout F "):]
		b.WriteString(content)
		if r[7] == 'F' {
			b.WriteByte('\n')
		}
	}
	if b.String() != "line1\nline2done\npartial" || !strings.HasPrefix(stdout[len(stdout)-1], "stdout P ") {
		t.Fatalf("log stdout records %q", stdout)
	}
}

func TestDetachedStdinStaysOpen(t *testing.T) {
	// With --stdin and no client the container's stdin stays open: cat
	// blocks until timeout kills it (124) instead of reading EOF (0).
	h := newHarness(t, "timeout 1 cat")
	h.opts.Stdin = true
	h.start()
	h.record(10 * time.Second)
	if r := h.record(10 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 124 {
		t.Fatalf("record %+v", r)
	}
	// Without --stdin it is /dev/null.
	h = newHarness(t, "timeout 1 cat")
	h.start()
	h.record(10 * time.Second)
	if r := h.record(10 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 0 {
		t.Fatalf("record %+v", r)
	}
}

func TestDrainTimeout(t *testing.T) {
	// A process outliving the container keeps the output pipe open.
	h := newHarness(t, "sleep 5 & echo bye")
	h.start()
	h.record(10 * time.Second)
	start := time.Now()
	r := h.record(10 * time.Second)
	if r.Type != protocol.RecordExit || r.ExitCode != 0 {
		t.Fatalf("record %+v", r)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("exit record took %v", d)
	}
	if recs := logRecords(t, h.opts.LogPath); len(recs) != 1 || recs[0] != "stdout F bye" {
		t.Fatalf("log %q", recs)
	}
}

func TestLogFormat(t *testing.T) {
	path := t.TempDir() + "/log"
	l, err := openLog(path, rotation{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.write(streamStdout, []byte("a\nb\n"))
	l.write(streamStderr, []byte("partial"))
	l.write(streamStdout, []byte("\n"))
	l.write(streamStdout, []byte("x\ny"))
	l.write(streamStdout, nil)
	l.close()
	got := strings.Join(logRecords(t, path), "|")
	want := "stdout F a|stdout F b|stderr P partial|stdout F |stdout F x|stdout P y"
	if got != want {
		t.Fatalf("records %q, want %q", got, want)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	// No log path: nothing written, no error.
	l, err = openLog("", rotation{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.write(streamStdout, []byte("x\n"))
}
