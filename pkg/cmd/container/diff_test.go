package container

import (
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdDiff(t *testing.T) {
	tests := []cmdtest.ParseCase[DiffOptions]{
		{Name: "container", Args: []string{"web"}, Want: DiffOptions{Name: "web"}},
		{Name: "json", Args: []string{"--format", "json", "web"}, Want: DiffOptions{Name: "web", Format: "json"}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "two containers", Args: []string{"a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdDiff, func(f *cmdutil.Factory, got, want *DiffOptions) { want.Factory = f })
}

func TestRunDiff(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusExited)
	clean := cmdtest.FakeContainer("clean", "cd", define.StatusCreated)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, clean}, Changes: map[string][]libpod.Change{"web": {
		{Kind: libpod.ChangeAdd, Path: "/a"}, {Kind: libpod.ChangeModify, Path: "/etc"}, {Kind: libpod.ChangeDelete, Path: "/etc/issue"},
		{Kind: libpod.ChangeModify, Path: "/etc/motd"},
	}}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"web"}, "A /a\nC /etc\nD /etc/issue\nC /etc/motd\n"},
		{[]string{"--format", "json", "web"}, "{\n     \"changed\": [\n          \"/etc\",\n          \"/etc/motd\"\n     ],\n" +
			"     \"added\": [\n          \"/a\"\n     ],\n     \"deleted\": [\n          \"/etc/issue\"\n     ]\n}\n"},
		{[]string{"clean"}, ""},
		{[]string{"--format", "{{json .}}", "clean"}, "{}\n"},
	}
	for _, tt := range tests {
		out.Reset()
		if err := cmdtest.Execute(NewCmdDiff(f, nil), tt.args); err != nil {
			t.Fatalf("diff %q: %v", tt.args, err)
		}
		if out.String() != tt.want {
			t.Errorf("diff %q printed\n%q\nwant\n%q", tt.args, out, tt.want)
		}
	}
	calls := len(e.Calls)
	err := cmdtest.Execute(NewCmdDiff(f, nil), []string{"--format", "{{.Path}}", "web"})
	if cmdutil.ExitCode(err) != 125 || cmdutil.Message(err) != "Error: only supported value for '--format' is 'json'" || len(e.Calls) != calls {
		t.Errorf("diff with a template: %v (calls %q)", err, e.Calls[calls:])
	}
	if err := cmdtest.Execute(NewCmdDiff(f, nil), []string{"nope"}); cmdutil.ExitCode(err) != 125 {
		t.Errorf("diff of a missing container: %v", err)
	}
}
