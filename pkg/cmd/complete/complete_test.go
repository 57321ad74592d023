package complete

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestFields(t *testing.T) {
	typ := reflect.TypeOf(libpod.InspectContainer{})
	tests := []struct {
		in        string
		want      []string
		wantCount int // 0: len(want)
	}{
		{in: "{{.State.St", want: []string{"{{.State.Status}}", "{{.State.StartedAt}}"}},
		{in: "{{.State.He", want: []string{"{{.State.Health."}},
		{in: "{{.State.Health.S", want: []string{"{{.State.Health.Status}}"}},
		{in: "{{ .Config.Hostn", want: []string{"{{.Config.Hostname}}"}},
		// Embedded structs' fields are promoted; time.Time is a value.
		{in: "{{.HostConfig.PidM", want: []string{"{{.HostConfig.PidMode}}"}},
		{in: "{{.Crea", want: []string{"{{.Created}}"}},
		{in: "table {{.Id}} {{.Nam", want: []string{"table {{.Id}} {{.Name}}", "table {{.Id}} {{.Namespace}}"}},
		// JSON keys: sdNotifyMode, not SdNotifyMode.
		{in: "{{.Config.sd", want: []string{"{{.Config.sdNotifyMode}}"}},
		{in: "js", want: []string{"json"}},
		{in: "{{.Nope.", want: nil},
	}
	for _, tt := range tests {
		got := Fields(typ, true, tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Fields(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Fields(reflect.TypeOf(libpod.Info{}), false, "{{.Host.Con"); !slices.Equal(got, []string{"{{.Host.Conmon."}) {
		t.Errorf("Go field names: %q, want {{.Host.Conmon.", got)
	}
	if got := Fields(typ, true, ""); !slices.Contains(got, "json") || !slices.Contains(got, "{{.State.") || !slices.Contains(got, "{{.Id}}") {
		t.Errorf("Fields(\"\") = %q, want json and the top-level fields", got)
	}
}

// complete runs cobra's hidden completion command as a shell would.
func complete(t *testing.T, f *cmdutil.Factory, out interface{ String() string }, args ...string) []string {
	t.Helper()
	root := &cobra.Command{Use: "pod"}
	start := &cobra.Command{Use: "start", Run: func(*cobra.Command, []string) {}}
	kill := &cobra.Command{Use: "kill", Run: func(*cobra.Command, []string) {}}
	kill.Flags().StringP("signal", "s", "KILL", "")
	run := &cobra.Command{Use: "run", Run: func(*cobra.Command, []string) {}}
	run.Flags().String("network", "", "")
	run.Flags().String("pull", "", "")
	inspect := &cobra.Command{Use: "inspect", Run: func(*cobra.Command, []string) {}}
	inspect.Flags().String("format", "", "")
	noun := &cobra.Command{Use: "container"}
	noun.AddCommand(&cobra.Command{Use: "stop", Run: func(*cobra.Command, []string) {}})
	root.AddCommand(start, kill, run, inspect, noun)
	Register(root, f)
	root.SetArgs(append([]string{cobra.ShellCompRequestCmd}, args...))
	root.SetOut(f.IOStreams.Out)
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, ":") && !strings.HasPrefix(l, "Completion ended") {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestRegister(t *testing.T) {
	fake := &cmdtest.FakeEngine{Containers: []*libpod.Container{
		cmdtest.FakeContainer("web", "ab", define.StatusRunning),
		cmdtest.FakeContainer("db", "cd", define.StatusExited),
	}}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"start", ""}, []string{"web", "db"}},
		{[]string{"start", "w"}, []string{"web"}},
		{[]string{"start", "ab"}, []string{"abababababab"}},
		{[]string{"container", "stop", "d"}, []string{"db"}},
		{[]string{"run", "--pull", ""}, []string{"always", "missing", "never", "newer"}},
		{[]string{"run", "--network", "ho"}, []string{"host"}},
		{[]string{"inspect", "--format", "{{.State.Pau"}, []string{"{{.State.Paused}}", "{{.State.PauseMethod}}"}},
	}
	for _, tt := range tests {
		f, out, _ := cmdtest.Factory("1")
		f.Engine = func() (cmdutil.Engine, error) { return fake, nil }
		got := complete(t, f, out, tt.args...)
		if !slices.Equal(got, tt.want) {
			t.Errorf("complete %q = %q, want %q", tt.args, got, tt.want)
		}
	}
	f, out, _ := cmdtest.Factory("1")
	if got := complete(t, f, out, "kill", "-s", ""); !slices.Contains(got, "SIGKILL") || !slices.Contains(got, "SIGRTMAX") {
		t.Errorf("kill -s completes %q, want the signal names", got)
	}
}
