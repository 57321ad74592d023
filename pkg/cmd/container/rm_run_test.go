package container

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// rmEngine holds web (running), db (exited) and tmp (created), created in
// that order.
func rmEngine() *cmdtest.FakeEngine {
	now := time.Now()
	web := cmdtest.FakeContainer("web", "aa", define.StatusRunning)
	db := cmdtest.FakeContainer("db", "bb", define.StatusExited)
	tmp := cmdtest.FakeContainer("tmp", "cc", define.StatusCreated)
	web.Config.Created, db.Config.Created, tmp.Config.Created = now.Add(-3*time.Hour), now.Add(-2*time.Hour), now.Add(-time.Hour)
	return &cmdtest.FakeEngine{Containers: []*libpod.Container{web, db, tmp}}
}

func names(ctrs []*libpod.Container) []string {
	var n []string
	for _, c := range ctrs {
		n = append(n, c.Name())
	}
	return n
}

func TestRunRmNames(t *testing.T) {
	e := rmEngine()
	out, errOut, err := runFake(e, NewCmdRm, "db", "tmp")
	if err != nil || out != "db\ntmp\n" || errOut != "" {
		t.Errorf("rm db tmp: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	checkCalls(t, e, "remove db", "remove tmp")
	if got := names(e.Containers); len(got) != 1 || got[0] != "web" {
		t.Errorf("left %v, want [web]", got)
	}
}

// An id prefix removes the container; the name printed is the one given.
func TestRunRmIDPrefix(t *testing.T) {
	e := rmEngine()
	out, _, err := runFake(e, NewCmdRm, "bbbb")
	if err != nil || out != "bbbb\n" {
		t.Errorf("rm bbbb: error %v, stdout %q", err, out)
	}
	if _, err := e.Container("db"); !errors.Is(err, define.ErrNoSuchCtr) {
		t.Errorf("db still there: %v", err)
	}
}

func TestRunRmExitCodes(t *testing.T) {
	missing := `Error: no container with name or ID "nope" found: no such container`
	running := "Error: cannot remove container " + strings.Repeat("a", 64) +
		" as it is running - running or paused containers cannot be removed without force: container state improper"
	boom := errors.New("boom")
	tests := []struct {
		name    string
		args    []string
		err     map[string]error
		code    int
		out     string
		stderr  []string // printed before the returned error
		lastMsg string   // the returned error's message
	}{
		{name: "missing", args: []string{"nope"}, code: 1, lastMsg: missing},
		{name: "running", args: []string{"web"}, code: 2, lastMsg: running},
		{name: "other", args: []string{"db"}, err: map[string]error{"remove db": boom}, code: 125, lastMsg: "Error: boom"},
		{name: "missing then running", args: []string{"nope", "db", "web"}, code: 2, out: "db\n",
			stderr: []string{missing}, lastMsg: running},
		{name: "running then missing", args: []string{"web", "nope"}, code: 2,
			stderr: []string{running}, lastMsg: missing},
		{name: "other then missing", args: []string{"db", "nope", "tmp"}, err: map[string]error{"remove db": boom}, code: 125,
			out: "tmp\n", stderr: []string{"Error: boom"}, lastMsg: missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := rmEngine()
			e.Err = tt.err
			out, errOut, err := runFake(e, NewCmdRm, tt.args...)
			checkCode(t, err, tt.code)
			if out != tt.out {
				t.Errorf("stdout %q, want %q", out, tt.out)
			}
			want := ""
			for _, l := range tt.stderr {
				want += l + "\n"
			}
			if errOut != want {
				t.Errorf("stderr %q, want %q", errOut, want)
			}
			if err == nil || cmdutil.Message(err) != tt.lastMsg {
				t.Errorf("returned error %v, want %q", err, tt.lastMsg)
			}
			var calls []string
			for _, a := range tt.args {
				calls = append(calls, "remove "+a)
			}
			checkCalls(t, e, calls...)
		})
	}
}

// -f removes a running container and skips missing ones silently.
func TestRunRmForce(t *testing.T) {
	e := rmEngine()
	out, errOut, err := runFake(e, NewCmdRm, "-f", "web", "nope")
	if err != nil || out != "web\n" || errOut != "" {
		t.Errorf("rm -f web nope: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	checkCalls(t, e, "remove web force", "remove nope force")
	if _, err := e.Container("web"); err == nil {
		t.Error("web still there")
	}
}

// -i skips missing containers but does not force.
func TestRunRmIgnore(t *testing.T) {
	e := rmEngine()
	out, errOut, err := runFake(e, NewCmdRm, "-i", "nope", "db", "web")
	checkCode(t, err, 2)
	if out != "db\n" || errOut != "" {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
}

func TestRunRmAll(t *testing.T) {
	e := rmEngine()
	e.Bad = []error{fmt.Errorf("container dd: state file is corrupt: %w", define.ErrCorruptState)}
	e.Corrupt = []string{strings.Repeat("d", 64)}
	out, errOut, err := runFake(e, NewCmdRm, "--all")
	// Oldest first; web is running (2), the unreadable one is reported
	// (125): the highest code wins.
	checkCalls(t, e, "remove "+strings.Repeat("a", 64), "remove "+strings.Repeat("b", 64), "remove "+strings.Repeat("c", 64))
	checkCode(t, err, 125)
	if !errors.Is(err, define.ErrCtrStateInvalid) {
		t.Errorf("returned error %v, want the running container's", err)
	}
	if want := strings.Repeat("b", 64) + "\n" + strings.Repeat("c", 64) + "\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if errOut != "Error: container dd: state file is corrupt: corrupt state file\n" {
		t.Errorf("stderr %q, want the unreadable container", errOut)
	}
	if got := names(e.Containers); len(got) != 1 || got[0] != "web" || len(e.Corrupt) != 1 {
		t.Errorf("left %v and corrupt %v, want web and the corrupt one", got, e.Corrupt)
	}
}

func TestRunRmAllForce(t *testing.T) {
	e := rmEngine()
	e.Bad = []error{fmt.Errorf("container dd: state file is corrupt: %w", define.ErrCorruptState)}
	e.Corrupt = []string{strings.Repeat("d", 64)}
	out, errOut, err := runFake(e, NewCmdRm, "-af")
	if err != nil || errOut != "" {
		t.Fatalf("rm -af: error %v, stderr %q", err, errOut)
	}
	var ids []string
	for _, c := range []string{"d", "a", "b", "c"} {
		ids = append(ids, strings.Repeat(c, 64))
	}
	if want := strings.Join(ids, "\n") + "\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	for i := range ids {
		ids[i] = "remove " + ids[i] + " force"
	}
	checkCalls(t, e, ids...)
	if len(e.Containers) != 0 || len(e.Corrupt) != 0 {
		t.Errorf("left %v and corrupt %v", names(e.Containers), e.Corrupt)
	}
}

func TestRunRmTimeout(t *testing.T) {
	for _, tt := range []struct {
		args []string
		call string
	}{
		{[]string{"-f", "-t", "3", "web"}, "remove web force 3s"},
		{[]string{"-f", "--time=0", "web"}, "remove web force 0s"},
		{[]string{"-f", "web"}, "remove web force"}, // nil: the container's own
	} {
		e := rmEngine()
		if _, _, err := runFake(e, NewCmdRm, tt.args...); err != nil {
			t.Errorf("%q: %v", tt.args, err)
		}
		checkCalls(t, e, tt.call)
	}
}
