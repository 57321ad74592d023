package container

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// runFake runs the command newCmd builds (with no runF: the real runX)
// with args on a Factory whose engine is e, and returns its stdout,
// stderr and error.
func runFake[O any](e *cmdtest.FakeEngine, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, args ...string) (string, string, error) {
	f, out, errOut := cmdtest.FactoryWithEngine(e)
	err := cmdtest.Execute(newCmd(f, nil), args)
	return out.String(), errOut.String(), err
}

func checkCalls(t *testing.T, e *cmdtest.FakeEngine, want ...string) {
	t.Helper()
	if !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
}

func checkCode(t *testing.T, err error, want int) {
	t.Helper()
	if got := cmdutil.ExitCode(err); got != want {
		t.Errorf("error %v: exit code %d, want %d", err, got, want)
	}
}

// The first container the fake creates gets this id.
const firstID = "c001c001c001c001c001c001c001c001c001c001c001c001c001c001c001c001"

func TestRunRunDetached(t *testing.T) {
	e := &cmdtest.FakeEngine{}
	out, errOut, err := runFake(e, NewCmdRun, "-d", "--name", "web", "--rm", "alpine", "sleep", "1")
	if err != nil {
		t.Fatalf("run -d: %v", err)
	}
	if out != firstID+"\n" || errOut != "" {
		t.Errorf("stdout %q, stderr %q; want the id alone on stdout", out, errOut)
	}
	checkCalls(t, e, "create alpine", "start "+firstID+" detached")
	o := e.LastCreate
	if o.Name != "web" || o.Image != "alpine" || !reflect.DeepEqual(o.Command, []string{"sleep", "1"}) || !o.AutoRemove {
		t.Errorf("create options %+v", o)
	}
	if c, err := e.Container("web"); err != nil || c.State.Status != define.StatusRunning {
		t.Errorf("web after run -d: %v, %v; want running", c, err)
	}
}

func TestRunRunAttached(t *testing.T) {
	for _, code := range []int{0, 3, 137} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			e := &cmdtest.FakeEngine{ExitCode: code}
			out, errOut, err := runFake(e, NewCmdRun, "alpine", "false")
			checkCalls(t, e, "create alpine", "start "+firstID+" attached", "finish "+firstID)
			checkCode(t, err, code)
			if code == 0 && err != nil {
				t.Errorf("exit 0: error %v", err)
			}
			if code != 0 && (err == nil || cmdutil.Message(err) != "") {
				t.Errorf("exit %d: error %v must print nothing, prints %q", code, err, cmdutil.Message(err))
			}
			if out != "" || errOut != "" {
				t.Errorf("stdout %q, stderr %q; want nothing from the CLI itself", out, errOut)
			}
		})
	}
}

// A Wait failure is the command's error (125), and the session is still
// finished.
func TestRunRunAttachedWaitError(t *testing.T) {
	e := &cmdtest.FakeEngine{WaitErr: errors.New("monitor went away")}
	_, _, err := runFake(e, NewCmdRun, "alpine")
	checkCode(t, err, 125)
	if cmdutil.Message(err) != "Error: monitor went away" {
		t.Errorf("message %q", cmdutil.Message(err))
	}
	checkCalls(t, e, "create alpine", "start "+firstID+" attached", "finish "+firstID)
}

func TestRunRunCreateError(t *testing.T) {
	for _, args := range [][]string{{"alpine"}, {"-d", "alpine"}} {
		e := &cmdtest.FakeEngine{Err: map[string]error{
			"create alpine": fmt.Errorf("alpine: image not known: %w", define.ErrNoSuchImage)}}
		_, _, err := runFake(e, NewCmdRun, args...)
		if !errors.Is(err, define.ErrNoSuchImage) {
			t.Errorf("%q: error %v, want ErrNoSuchImage", args, err)
		}
		checkCode(t, err, 125)
		checkCalls(t, e, "create alpine")
		if len(e.Containers) != 0 {
			t.Errorf("%q: containers %v after a failed create", args, e.Containers)
		}
	}
}

// A --rm container whose start fails is removed (it would never exit and
// be cleaned up); one without --rm is kept.
func TestRunRunStartFailure(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		calls []string
		kept  bool
	}{
		{"attached --rm", []string{"--rm", "alpine"},
			[]string{"create alpine", "start " + firstID + " attached", "remove " + firstID + " force 0s"}, false},
		{"detached --rm", []string{"-d", "--rm", "alpine"},
			[]string{"create alpine", "start " + firstID + " detached", "remove " + firstID + " force 0s"}, false},
		{"attached", []string{"alpine"}, []string{"create alpine", "start " + firstID + " attached"}, true},
		{"detached", []string{"-d", "alpine"}, []string{"create alpine", "start " + firstID + " detached"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			boom := fmt.Errorf("runc create failed: %w", define.ErrRuntime)
			e := &cmdtest.FakeEngine{Err: map[string]error{"start": boom}}
			out, _, err := runFake(e, NewCmdRun, tt.args...)
			if !errors.Is(err, boom) {
				t.Errorf("error %v, want %v", err, boom)
			}
			checkCode(t, err, 125)
			checkCalls(t, e, tt.calls...)
			if out != "" {
				t.Errorf("stdout %q after a failed start", out)
			}
			if kept := len(e.Containers) == 1; kept != tt.kept {
				t.Errorf("container kept: %v, want %v", kept, tt.kept)
			}
		})
	}
}

func TestRunRunCommandNotFound(t *testing.T) {
	for _, args := range [][]string{{"alpine", "nosuchcmd"}, {"-d", "alpine", "nosuchcmd"}} {
		e := &cmdtest.FakeEngine{Err: map[string]error{
			"start": fmt.Errorf("exec nosuchcmd: %w", define.ErrCmdNotFound)}}
		_, _, err := runFake(e, NewCmdRun, args...)
		checkCode(t, err, 127)
		if cmdutil.Message(err) == "" {
			t.Errorf("%q: a command not found must print its error", args)
		}
	}
}
