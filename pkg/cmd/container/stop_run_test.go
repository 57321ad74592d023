package container

import (
	"errors"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
)

// stopEngine is rmEngine: web (running), db (exited), tmp (created).
func stopEngine() *cmdtest.FakeEngine { return rmEngine() }

func status(t *testing.T, e *cmdtest.FakeEngine, name string) define.ContainerStatus {
	t.Helper()
	c, err := e.Container(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c.State.Status
}

func TestRunStopNames(t *testing.T) {
	e := stopEngine()
	out, errOut, err := runFake(e, NewCmdStop, "web", "db")
	if err != nil || out != "web\ndb\n" || errOut != "" {
		t.Errorf("stop web db: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	checkCalls(t, e, "stop web", "stop db")
	if s := status(t, e, "web"); s != define.StatusExited {
		t.Errorf("web is %s after stop", s)
	}
}

func TestRunStopTimeout(t *testing.T) {
	for _, tt := range []struct {
		args []string
		call string
	}{
		{[]string{"-t", "5", "web"}, "stop web 5s"},
		{[]string{"--time=0", "web"}, "stop web 0s"},
		{[]string{"web"}, "stop web"}, // nil: the container's own
	} {
		e := stopEngine()
		if _, _, err := runFake(e, NewCmdStop, tt.args...); err != nil {
			t.Errorf("%q: %v", tt.args, err)
		}
		checkCalls(t, e, tt.call)
	}
}

// --all stops every container by id, newest first.
func TestRunStopAll(t *testing.T) {
	e := stopEngine()
	out, errOut, err := runFake(e, NewCmdStop, "--all", "-t", "1")
	if err != nil || errOut != "" {
		t.Fatalf("stop --all: error %v, stderr %q", err, errOut)
	}
	ids := []string{strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)}
	if want := strings.Join(ids, "\n") + "\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	checkCalls(t, e, "stop "+ids[0]+" 1s", "stop "+ids[1]+" 1s", "stop "+ids[2]+" 1s")
	if s := status(t, e, "web"); s != define.StatusExited {
		t.Errorf("web is %s after stop --all", s)
	}
}

// A missing container is an error (125) that does not keep the others
// from being stopped; every error but the last is printed.
func TestRunStopMissing(t *testing.T) {
	e := stopEngine()
	out, errOut, err := runFake(e, NewCmdStop, "gone", "web", "nope", "db")
	checkCalls(t, e, "stop gone", "stop web", "stop nope", "stop db")
	checkCode(t, err, 125)
	if !errors.Is(err, define.ErrNoSuchCtr) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("error %v, want the last missing container's", err)
	}
	if out != "web\ndb\n" {
		t.Errorf("stdout %q, want web and db", out)
	}
	if errOut != "Error: no container with name or ID \"gone\" found: no such container\n" {
		t.Errorf("stderr %q, want the first missing container", errOut)
	}
	if s := status(t, e, "web"); s != define.StatusExited {
		t.Errorf("web is %s", s)
	}
}

func TestRunStopIgnore(t *testing.T) {
	e := stopEngine()
	out, errOut, err := runFake(e, NewCmdStop, "-i", "nope", "web")
	if err != nil || out != "web\n" || errOut != "" {
		t.Errorf("stop -i nope web: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	checkCalls(t, e, "stop nope", "stop web")
}

// -i ignores only missing containers.
func TestRunStopIgnoreOtherErrors(t *testing.T) {
	e := stopEngine()
	e.Err = map[string]error{"stop web": errors.New("kill: operation not permitted")}
	out, _, err := runFake(e, NewCmdStop, "-i", "web", "db")
	if err == nil || err.Error() != "kill: operation not permitted" || out != "db\n" {
		t.Errorf("error %v, stdout %q", err, out)
	}
	checkCode(t, err, 125)
}
