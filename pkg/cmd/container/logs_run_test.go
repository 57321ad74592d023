package container

import (
	"errors"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/logs"
)

func logsEngine() *cmdtest.FakeEngine {
	e := rmEngine()
	e.LogStdout = map[string]string{"web": "web out\n", "db": "db out\n"}
	e.LogStderr = map[string]string{"web": "web err\n"}
	return e
}

func near(got, want time.Time) bool {
	d := got.Sub(want)
	return d > -time.Minute && d < time.Minute
}

func TestRunLogsOptions(t *testing.T) {
	e := logsEngine()
	out, errOut, err := runFake(e, NewCmdLogs, "--tail", "5", "-t", "--since", "10m", "web")
	if err != nil {
		t.Fatal(err)
	}
	if out != "web out\n" || errOut != "web err\n" {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
	checkCalls(t, e, "logs web")
	if len(e.LogOptions) != 1 {
		t.Fatalf("options %+v", e.LogOptions)
	}
	o := e.LogOptions[0]
	if o.Tail != 5 || !o.Timestamps || o.Follow || !o.Until.IsZero() || !near(o.Since, time.Now().Add(-10*time.Minute)) {
		t.Errorf("options %+v, want tail 5, timestamps, since 10 minutes ago", o)
	}
}

func TestRunLogsDefaults(t *testing.T) {
	e := logsEngine()
	if _, _, err := runFake(e, NewCmdLogs, "db"); err != nil {
		t.Fatal(err)
	}
	if len(e.LogOptions) != 1 || e.LogOptions[0] != (logs.Options{Tail: -1}) {
		t.Errorf("options %+v, want all of the log", e.LogOptions)
	}
}

func TestRunLogsTimestamps(t *testing.T) {
	e := logsEngine()
	if _, _, err := runFake(e, NewCmdLogs, "--since", "2024-01-02T03:04:05Z", "--until", "2024-01-03T00:00:00Z", "web"); err != nil {
		t.Fatal(err)
	}
	o := e.LogOptions[0]
	if !o.Since.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || !o.Until.Equal(time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("since %v until %v", o.Since, o.Until)
	}
}

// A duration given to --until is that long after now, as in podman (and
// logs.ParseUntil); --since 10m is ten minutes before now.
func TestRunLogsUntilDuration(t *testing.T) {
	e := logsEngine()
	if _, _, err := runFake(e, NewCmdLogs, "--until", "10m", "web"); err != nil {
		t.Fatal(err)
	}
	if u := e.LogOptions[0].Until; !near(u, time.Now().Add(10*time.Minute)) {
		t.Errorf("--until 10m gives %v, want ten minutes from now (%v)", u, time.Now().Add(10*time.Minute))
	}
}

func TestRunLogsSeveral(t *testing.T) {
	e := logsEngine()
	out, errOut, err := runFake(e, NewCmdLogs, "db", "web")
	if err != nil || out != "bbbbbbbbbbbb db out\naaaaaaaaaaaa web out\n" || errOut != "aaaaaaaaaaaa web err\n" {
		t.Errorf("logs db web: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	checkCalls(t, e, "logs db", "logs web")
}

// --names prefixes the names instead of the short ids; --color wraps each
// container's lines in its colour, even for one container.
func TestRunLogsNamesColor(t *testing.T) {
	out, _, err := runFake(logsEngine(), NewCmdLogs, "--names", "db", "web")
	if err != nil || out != "db db out\nweb web out\n" {
		t.Errorf("logs --names db web: error %v, stdout %q", err, out)
	}
	out, _, err = runFake(logsEngine(), NewCmdLogs, "--color", "db")
	if err != nil || out != "\x1b[37mdb out\x1b[0m\n" {
		t.Errorf("logs --color db: error %v, stdout %q", err, out)
	}
	out, _, err = runFake(logsEngine(), NewCmdLogs, "--color", "-n", "db", "web")
	if err != nil || out != "\x1b[37mdb db out\x1b[0m\n\x1b[31mweb web out\x1b[0m\n" {
		t.Errorf("logs --color -n db web: error %v, stdout %q", err, out)
	}
}

func TestRunLogsMissing(t *testing.T) {
	e := logsEngine()
	out, _, err := runFake(e, NewCmdLogs, "nope", "web")
	checkCode(t, err, 125)
	if !errors.Is(err, define.ErrNoSuchCtr) {
		t.Errorf("error %v, want ErrNoSuchCtr", err)
	}
	if out != "" {
		t.Errorf("stdout %q after a missing container", out)
	}
	checkCalls(t, e, "logs nope")
}
