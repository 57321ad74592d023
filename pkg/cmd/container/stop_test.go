package container

import (
	"context"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdStop(t *testing.T) {
	tests := []cmdtest.ParseCase[StopOptions]{
		{Name: "default time is 10 and not set", Args: []string{"web"}, Want: StopOptions{Time: 10, Names: []string{"web"}}},
		{Name: "time short", Args: []string{"-t", "3", "web"}, Want: StopOptions{Time: 3, timeSet: true, Names: []string{"web"}}},
		{Name: "time long zero", Args: []string{"--time=0", "a", "b"}, Want: StopOptions{Time: 0, timeSet: true, Names: []string{"a", "b"}}},
		{Name: "time 10 given is set", Args: []string{"-t", "10", "web"}, Want: StopOptions{Time: 10, timeSet: true, Names: []string{"web"}}},
		{Name: "all", Args: []string{"-a"}, Want: StopOptions{Time: 10, targetFlags: targetFlags{All: true}}},
		{Name: "ignore", Args: []string{"-i", "web"}, Want: StopOptions{Time: 10, Ignore: true, Names: []string{"web"}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "all and names", Args: []string{"--all", "web"}, WantErr: true},
		{Name: "bad time", Args: []string{"-t", "soon", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdStop, func(f *cmdutil.Factory, got, want *StopOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil // cobra passes an empty, non-nil slice
		}
	})
}

func TestNewCmdKill(t *testing.T) {
	tests := []cmdtest.ParseCase[KillOptions]{
		{Name: "default signal is KILL", Args: []string{"web"}, Want: KillOptions{Signal: "KILL", Names: []string{"web"}}},
		{Name: "signal short", Args: []string{"-s", "TERM", "web"}, Want: KillOptions{Signal: "TERM", Names: []string{"web"}}},
		{Name: "signal long number", Args: []string{"--signal=9", "a", "b"}, Want: KillOptions{Signal: "9", Names: []string{"a", "b"}}},
		{Name: "all", Args: []string{"-a", "-s", "HUP"}, Want: KillOptions{Signal: "HUP", targetFlags: targetFlags{All: true}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "all and names", Args: []string{"-a", "web"}, WantErr: true},
		{Name: "signal without value", Args: []string{"web", "-s"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdKill, func(f *cmdutil.Factory, got, want *KillOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil // cobra passes an empty, non-nil slice
		}
	})
}

// A bad signal is refused before the engine is opened.
func TestRunKillBadSignal(t *testing.T) {
	f, _, _ := testFactory()
	err := runKill(context.Background(), &KillOptions{Factory: f, Signal: "NOTASIGNAL", Names: []string{"web"}})
	if err == nil || !isUsage(err) {
		t.Fatalf("error %v, want a usage error", err)
	}
}

func TestNewCmdRm(t *testing.T) {
	tests := []cmdtest.ParseCase[RmOptions]{
		{Name: "default", Args: []string{"web"}, Want: RmOptions{Time: 10, Names: []string{"web"}}},
		{Name: "force", Args: []string{"-f", "a", "b"}, Want: RmOptions{Time: 10, Force: true, Names: []string{"a", "b"}}},
		{Name: "all force", Args: []string{"-af"}, Want: RmOptions{Time: 10, Force: true, targetFlags: targetFlags{All: true}}},
		{Name: "time", Args: []string{"-t", "0", "web"}, Want: RmOptions{Time: 0, timeSet: true, Names: []string{"web"}}},
		{Name: "ignore long", Args: []string{"--ignore", "web"}, Want: RmOptions{Time: 10, Ignore: true, Names: []string{"web"}}},
		{Name: "ignore short", Args: []string{"-i", "web"}, Want: RmOptions{Time: 10, Ignore: true, Names: []string{"web"}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "force but no container", Args: []string{"-f"}, WantErr: true},
		{Name: "all and names", Args: []string{"-a", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdRm, func(f *cmdutil.Factory, got, want *RmOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil // cobra passes an empty, non-nil slice
		}
	})
}

func TestRmAlias(t *testing.T) {
	f, _, _ := testFactory()
	if cmd := NewCmdRm(f, nil); !cmd.HasAlias("remove") {
		t.Error("rm has no alias remove")
	}
}

// Missing arguments are usage errors that say what is missing and never
// reach runF; as in podman, only flag parse errors point at the help.
func TestMissingArgumentMessages(t *testing.T) {
	f, _, _ := testFactory()
	never := func() { t.Error("runF called without arguments") }
	tests := []struct {
		cmd  *cobra.Command
		args []string
		want []string
	}{
		{NewCmdCreate(f, func(*CreateOptions) error { never(); return nil }), nil, []string{"create", "image"}},
		{NewCmdRun(f, func(*RunOptions) error { never(); return nil }), []string{"-d"}, []string{"run", "image"}},
		{NewCmdStart(f, func(*StartOptions) error { never(); return nil }), nil, []string{"start", "container"}},
		{NewCmdWait(f, func(*WaitOptions) error { never(); return nil }), nil, []string{"wait", "container"}},
		{NewCmdLogs(f, func(*LogsOptions) error { never(); return nil }), []string{"-f"}, []string{"logs", "container"}},
		{NewCmdInspect(f, func(*InspectOptions) error { never(); return nil }), nil, []string{"inspect", "name or id"}},
		{NewCmdStop(f, func(*StopOptions) error { never(); return nil }), nil, []string{"stop", "--all"}},
		{NewCmdKill(f, func(*KillOptions) error { never(); return nil }), nil, []string{"kill", "--all"}},
		{NewCmdRm(f, func(*RmOptions) error { never(); return nil }), nil, []string{"rm", "--all"}},
		{NewCmdRm(f, func(*RmOptions) error { never(); return nil }), []string{"-a", "web"}, []string{"--all", "together"}},
	}
	for _, tt := range tests {
		err := execute(tt.cmd, tt.args)
		if !isUsage(err) {
			t.Errorf("%s %q: error %v is not a usage error", tt.cmd.Name(), tt.args, err)
			continue
		}
		msg := cmdutil.Message(err)
		if strings.Contains(msg, "\n") || cmdutil.ExitCode(err) != 125 {
			t.Errorf("%s: message %q (exit %d), want one line and 125", tt.cmd.Name(), msg, cmdutil.ExitCode(err))
		}
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message %q does not say %q", tt.cmd.Name(), msg, w)
			}
		}
	}
}
