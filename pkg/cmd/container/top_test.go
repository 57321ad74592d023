package container

import (
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdTop(t *testing.T) {
	tests := []cmdtest.ParseCase[TopOptions]{
		{Name: "container only", Args: []string{"web"}, Want: TopOptions{Name: "web"}},
		{Name: "descriptors", Args: []string{"web", "pid", "user,args"}, Want: TopOptions{Name: "web", Descriptors: []string{"pid", "user,args"}}},
		{Name: "ps options after the container are descriptors", Args: []string{"web", "-eo", "pid,comm"},
			Want: TopOptions{Name: "web", Descriptors: []string{"-eo", "pid,comm"}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "unknown flag before the container", Args: []string{"--bogus", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdTop, func(f *cmdutil.Factory, got, want *TopOptions) {
		want.Factory = f
		if len(got.Descriptors) == 0 {
			got.Descriptors = nil
		}
	})
}

func TestRunTop(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	idle := cmdtest.FakeContainer("idle", "cd", define.StatusExited)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, idle}, TopRows: map[string][][]string{"web": {
		{"USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"},
		{"root", "1", "0", "0.000", "3.896457918s", "?", "0s", "sleep 1000 "},
		{"nobody", "12", "1", "0.000", "1.5s", "pts/0", "0s", "sh"},
	}}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdTop(f, nil), []string{"web", "-eo", "pid"}); err != nil {
		t.Fatal(err)
	}
	// podman's table: cells of at least 12 columns, two spaces apart; the
	// last cell as it is.
	want := "USER        PID         PPID        %CPU        ELAPSED       TTY         TIME        COMMAND\n" +
		"root        1           0           0.000       3.896457918s  ?           0s          sleep 1000 \n" +
		"nobody      12          1           0.000       1.5s          pts/0       0s          sh\n"
	if out.String() != want {
		t.Errorf("top printed\n%q\nwant\n%q", out, want)
	}
	if got := e.Calls[len(e.Calls)-1]; got != "top web -eo pid" {
		t.Errorf("call %q", got)
	}
	err := cmdtest.Execute(NewCmdTop(f, nil), []string{"idle"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), "top can only be used on running containers") {
		t.Errorf("top of an exited container: %v", err)
	}
	err = cmdtest.Execute(NewCmdTop(f, nil), []string{"nope"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), `"nope"`) {
		t.Errorf("top of a missing container: %v", err)
	}
}
