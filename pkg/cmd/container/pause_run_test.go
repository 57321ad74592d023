package container

import (
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestRunPauseUnpause(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	db := cmdtest.FakeContainer("db", "cd", define.StatusExited)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, db}}
	f, out, errOut := cmdtest.FactoryWithEngine(e)

	if err := cmdtest.Execute(NewCmdPause(f, nil), []string{"web"}); err != nil || out.String() != "web\n" || web.State.Status != define.StatusPaused {
		t.Fatalf("pause web: %v, printed %q, status %s", err, out, web.State.Status)
	}
	out.Reset()
	err := cmdtest.Execute(NewCmdPause(f, nil), []string{"db"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), "is not running, can't pause") {
		t.Errorf("pause of an exited container: %v (%d)", err, cmdutil.ExitCode(err))
	}
	err = cmdtest.Execute(NewCmdUnpause(f, nil), []string{"db"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), "is not paused, can't unpause") {
		t.Errorf("unpause of an exited container: %v", err)
	}
	// --all picks only what can be unpaused.
	if err := cmdtest.Execute(NewCmdUnpause(f, nil), []string{"--all"}); err != nil || out.String() != web.ID()+"\n" {
		t.Errorf("unpause --all: %v, printed %q, stderr %q", err, out, errOut)
	}
	if web.State.Status != define.StatusRunning {
		t.Errorf("after unpause: %s", web.State.Status)
	}
	if err := cmdtest.Execute(NewCmdPause(f, nil), nil); err == nil || !cmdtest.IsUsage(err) {
		t.Errorf("pause without a container: %v", err)
	}
}
