package container

import (
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdCp(t *testing.T) {
	ctr := func(c, p string) libpod.CopyTarget { return libpod.CopyTarget{Container: c, Path: p} }
	host := func(p string) libpod.CopyTarget { return libpod.CopyTarget{Path: p} }
	tests := []cmdtest.ParseCase[CpOptions]{
		{Name: "to container", Args: []string{"./f", "web:/tmp"}, Want: CpOptions{Source: host("./f"), Dest: ctr("web", "/tmp"), Archive: true}},
		{Name: "from container", Args: []string{"web:/etc/hosts", "/tmp/x:y"}, Want: CpOptions{Source: ctr("web", "/etc/hosts"), Dest: host("/tmp/x:y"), Archive: true}},
		{Name: "stdin", Args: []string{"-a=false", "--overwrite", "-", "web:dir"}, Want: CpOptions{Source: host("-"), Dest: ctr("web", "dir"), Overwrite: true}},
		{Name: "stdout", Args: []string{"--archive=false", "web:/", "-"}, Want: CpOptions{Source: ctr("web", "/"), Dest: host("-")}},
		{Name: "container to container", Args: []string{"a:/x", "b:/y"}, Want: CpOptions{Source: ctr("a", "/x"), Dest: ctr("b", "/y"), Archive: true}},
		{Name: "one argument", Args: []string{"web:/x"}, WantErr: true},
		{Name: "three arguments", Args: []string{"a", "b", "c"}, WantErr: true},
		{Name: "empty path", Args: []string{"web:", "/tmp"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdCp, func(f *cmdutil.Factory, got, want *CpOptions) { want.Factory = f })
}

func TestRunCp(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusExited)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web}}
	f, _, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdCp(f, nil), []string{"web:/etc/hosts", "/tmp/h"}); err != nil {
		t.Fatal(err)
	}
	if err := cmdtest.Execute(NewCmdContainer(f), []string{"cp", "/tmp/h", "web:/tmp/"}); err != nil {
		t.Fatal(err)
	}
	err := cmdtest.Execute(NewCmdCp(f, nil), []string{"nope:/x", "/tmp"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), "nope") {
		t.Errorf("unknown container: %v", err)
	}
	want := "cp web:/etc/hosts /tmp/h|cp /tmp/h web:/tmp/|cp nope:/x /tmp"
	if got := strings.Join(e.Calls, "|"); got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
}
