package container

import (
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestRunExistsRenameWaitPrune(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	db := cmdtest.FakeContainer("db", "cd", define.StatusExited)
	db.State.ExitCode = 3
	fresh := cmdtest.FakeContainer("fresh", "ef", define.StatusCreated)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, db, fresh}}
	f, out, _ := cmdtest.FactoryWithEngine(e)

	if err := cmdtest.Execute(NewCmdExists(f, nil), []string{"web"}); err != nil {
		t.Errorf("exists web: %v", err)
	}
	if err := cmdtest.Execute(NewCmdExists(f, nil), []string{"nope"}); cmdutil.ExitCode(err) != 1 || cmdutil.Message(err) != "" {
		t.Errorf("exists nope: %v (exit %d), want exit 1 and no message", err, cmdutil.ExitCode(err))
	}

	if err := cmdtest.Execute(NewCmdRename(f, nil), []string{"db", "database"}); err != nil || db.Name() != "database" {
		t.Errorf("rename: %v, name %q", err, db.Name())
	}
	if err := cmdtest.Execute(NewCmdRename(f, nil), []string{"database", "web"}); cmdutil.ExitCode(err) != 125 {
		t.Errorf("rename onto a used name: %v", err)
	}
	if err := cmdtest.Execute(NewCmdRename(f, nil), []string{"web"}); err == nil || !cmdtest.IsUsage(err) {
		t.Errorf("rename with one argument: %v", err)
	}

	if err := cmdtest.Execute(NewCmdWait(f, nil), []string{"database"}); err != nil || out.String() != "3\n" {
		t.Errorf("wait: %v, printed %q", err, out)
	}
	out.Reset()
	if err := cmdtest.Execute(NewCmdWait(f, nil), []string{"--condition", "created", "fresh"}); err != nil || out.String() != "-1\n" {
		t.Errorf("wait --condition created: %v, printed %q", err, out)
	}
	err := cmdtest.Execute(NewCmdWait(f, nil), []string{"--condition", "bogus", "fresh"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), "unknown container state: bogus") {
		t.Errorf("wait --condition bogus: %v", err)
	}

	out.Reset()
	f.IOStreams.In = strings.NewReader("n\n")
	if err := cmdtest.Execute(NewCmdPrune(f, nil), nil); err != nil || len(e.Containers) != 3 {
		t.Errorf("container prune answered no: %v, %d containers", err, len(e.Containers))
	}
	out.Reset()
	if err := cmdtest.Execute(NewCmdPrune(f, nil), []string{"-f"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(out.String()); len(got) != 2 || len(e.Containers) != 1 || e.Containers[0] != web {
		t.Errorf("container prune -f printed %q, left %d containers", got, len(e.Containers))
	}
}
