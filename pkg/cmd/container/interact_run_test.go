package container

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdExec(t *testing.T) {
	def := func(o ExecOptions) ExecOptions { o.DetachKeys = "ctrl-p,ctrl-q"; return o }
	tests := []cmdtest.ParseCase[ExecOptions]{
		{Name: "command", Args: []string{"web", "ls", "-l"}, Want: def(ExecOptions{Name: "web", Command: []string{"ls", "-l"}})},
		{Name: "flags before the container", Args: []string{"-it", "-e", "A=1", "-u", "nobody", "-w", "/tmp", "--privileged", "web", "sh"},
			Want: def(ExecOptions{Name: "web", Command: []string{"sh"}, Interactive: true, TTY: true, Env: []string{"A=1"}, User: "nobody", WorkDir: "/tmp", Privileged: true})},
		{Name: "flags after the command are its own", Args: []string{"web", "ls", "-d"}, Want: def(ExecOptions{Name: "web", Command: []string{"ls", "-d"}})},
		{Name: "detach and keys", Args: []string{"-d", "--detach-keys", "ctrl-a", "--env-file", "/e", "web", "true"},
			Want: ExecOptions{Name: "web", Command: []string{"true"}, Detach: true, DetachKeys: "ctrl-a", EnvFiles: []string{"/e"}}},
		{Name: "no command", Args: []string{"web"}, WantErr: true},
		{Name: "nothing", Args: nil, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdExec, func(f *cmdutil.Factory, got, want *ExecOptions) { want.Factory = f })
}

func TestNewCmdAttachRestart(t *testing.T) {
	attach := []cmdtest.ParseCase[AttachOptions]{
		{Name: "defaults", Args: []string{"web"}, Want: AttachOptions{Name: "web", DetachKeys: "ctrl-p,ctrl-q", SigProxy: true}},
		{Name: "flags", Args: []string{"--no-stdin", "--sig-proxy=false", "--detach-keys", "", "web"}, Want: AttachOptions{Name: "web", NoStdin: true}},
		{Name: "two containers", Args: []string{"a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, attach, NewCmdAttach, func(f *cmdutil.Factory, got, want *AttachOptions) { want.Factory = f })
	restart := []cmdtest.ParseCase[RestartOptions]{
		{Name: "names", Args: []string{"a", "b"}, Want: RestartOptions{Names: []string{"a", "b"}, Timeout: 10}},
		{Name: "time", Args: []string{"-t", "3", "a"}, Want: RestartOptions{Names: []string{"a"}, Timeout: 3, tSet: true}},
		{Name: "all", Args: []string{"--all"}, Want: RestartOptions{All: true, Timeout: 10}},
		{Name: "all and names", Args: []string{"--all", "a"}, WantErr: true},
		{Name: "nothing", Args: nil, WantErr: true},
	}
	cmdtest.CheckParse(t, restart, NewCmdRestart, func(f *cmdutil.Factory, got, want *RestartOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

func TestRunExecAttachRestartHealthcheck(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	db := cmdtest.FakeContainer("db", "cd", define.StatusExited)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, db}, ExitCode: 4}
	f, out, _ := cmdtest.FactoryWithEngine(e)

	err := cmdtest.Execute(NewCmdExec(f, nil), []string{"web", "sh", "-c", "exit 4"})
	if cmdutil.ExitCode(err) != 4 || web.State.Status != define.StatusRunning {
		t.Errorf("exec: %v (code %d), container %s", err, cmdutil.ExitCode(err), web.State.Status)
	}
	err = cmdtest.Execute(NewCmdExec(f, nil), []string{"db", "true"})
	if cmdutil.ExitCode(err) != 255 || !strings.Contains(cmdutil.Message(err), "can only create exec sessions on running containers") {
		t.Errorf("exec into a stopped container: %v (code %d), want podman's 255", err, cmdutil.ExitCode(err))
	}
	if err := cmdtest.Execute(NewCmdExec(f, nil), []string{"-d", "web", "true"}); err != nil || out.Len() != 0 {
		t.Errorf("exec -d: %v, printed %q", err, out)
	}

	e.WaitErr = define.ErrDetach
	if err := cmdtest.Execute(NewCmdAttach(f, nil), []string{"web"}); err != nil {
		t.Errorf("attach that detached: %v, want success", err)
	}
	e.WaitErr = nil
	if err := cmdtest.Execute(NewCmdAttach(f, nil), []string{"db"}); cmdutil.ExitCode(err) != 125 || !errors.Is(err, define.ErrCtrStateInvalid) {
		t.Errorf("attach to a stopped container: %v", err)
	}

	e.Calls = nil
	if err := cmdtest.Execute(NewCmdRestart(f, nil), []string{"-t", "0", "web", "db"}); err != nil || out.String() != "web\ndb\n" {
		t.Errorf("restart: %v, printed %q", err, out)
	}
	if !slices.Contains(e.Calls, "stop web 0s") || !slices.Contains(e.Calls, "start db detached") {
		t.Errorf("restart calls %q", e.Calls)
	}
	out.Reset()

	e.Unhealthy = true
	err = cmdtest.Execute(NewCmdHealthcheckRun(f, nil), []string{"web"})
	if cmdutil.ExitCode(err) != 1 || out.String() != "unhealthy\n" {
		t.Errorf("healthcheck run of an unhealthy container: %v, printed %q", err, out)
	}
	out.Reset()
	e.Unhealthy = false
	if err := cmdtest.Execute(NewCmdHealthcheckRun(f, nil), []string{"web"}); err != nil || out.Len() != 0 {
		t.Errorf("healthcheck run of a healthy container: %v, printed %q", err, out)
	}
}

func TestRunStartAllFilter(t *testing.T) {
	a := cmdtest.FakeContainer("a", "aa", define.StatusExited)
	a.Config.RestartPolicy = "always"
	b := cmdtest.FakeContainer("b", "bb", define.StatusExited)
	c := cmdtest.FakeContainer("c", "cc", define.StatusRunning)
	c.Config.RestartPolicy = "always"
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{a, b, c}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdStart(f, nil), []string{"--all", "--filter", "restart-policy=always"}); err != nil || out.String() != a.ID()+"\n" {
		t.Errorf("start --all --filter restart-policy=always: %v, printed %q", err, out)
	}
	if b.State.Status != define.StatusExited {
		t.Errorf("a container without the policy was started")
	}
	for _, args := range [][]string{{"--all", "a"}, {"--filter", "status=exited", "a"}, {"--all", "--filter", "restart-policy=sometimes"}} {
		if err := cmdtest.Execute(NewCmdStart(f, nil), args); cmdutil.ExitCode(err) != 125 {
			t.Errorf("start %q: %v, want a usage error", args, err)
		}
	}
}

func TestNewCmdRunAttachFlags(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		keys     string
		sigProxy bool
	}{
		{[]string{"alpine"}, "ctrl-p,ctrl-q", true},
		{[]string{"--sig-proxy=false", "--detach-keys", "", "alpine"}, "", false},
		{[]string{"--detach-keys", "ctrl-a,x", "alpine", "--sig-proxy=false"}, "ctrl-a,x", true},
	} {
		f, _, _ := cmdtest.Factory("test")
		var got *RunOptions
		if err := cmdtest.Execute(NewCmdRun(f, func(o *RunOptions) error { got = o; return nil }), tc.args); err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if got.DetachKeys != tc.keys || got.SigProxy != tc.sigProxy {
			t.Errorf("%q: detach keys %q, sig-proxy %v", tc.args, got.DetachKeys, got.SigProxy)
		}
	}
}
