package system

import (
	"bytes"
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdVersion(t *testing.T) {
	tests := []cmdtest.ParseCase[VersionOptions]{
		{Name: "defaults"},
		{Name: "format short", Args: []string{"-f", "{{.Client.Version}}"}, Want: VersionOptions{Format: "{{.Client.Version}}"}},
		{Name: "format long", Args: []string{"--format=json"}, Want: VersionOptions{Format: "json"}},
		{Name: "argument", Args: []string{"extra"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdVersion, func(f *cmdutil.Factory, got, want *VersionOptions) { want.Factory = f })
}

func TestRunVersionDefault(t *testing.T) {
	f, out := testFactory("1.2.3")
	if err := runVersion(&VersionOptions{Factory: f}); err != nil {
		t.Fatal(err)
	}
	v := clientVersion("1.2.3")
	want := "Client:       Pod Engine\n" +
		"Version:      1.2.3\n" +
		"API Version:  1.2.3\n" +
		"Go Version:   " + runtime.Version() + "\n"
	if v.GitCommit != "" {
		want += "Git Commit:   " + v.GitCommit + "\n"
	}
	want += "Built:        " + v.BuiltTime + "\n" +
		"OS/Arch:      " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if out.String() != want {
		t.Errorf("version output:\n%s\nwant:\n%s", out, want)
	}
}

func TestRunVersionFormat(t *testing.T) {
	tests := []struct {
		format string
		want   string
	}{
		{"{{.Client.Version}}", "1.2.3\n"},
		{"{{.Client.APIVersion}}", "1.2.3\n"},
		{"{{.Client.Os}}", runtime.GOOS + "\n"},
		{"{{.Client.OsArch}}", runtime.GOOS + "/" + runtime.GOARCH + "\n"},
		{"{{.Client.GoVersion}}", runtime.Version() + "\n"},
		{`v={{.Client.Version}}\tgo={{.Client.GoVersion}}`, "v=1.2.3\tgo=" + runtime.Version() + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f, out := testFactory("1.2.3")
			if err := runVersion(&VersionOptions{Factory: f, Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("output %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestRunVersionJSON(t *testing.T) {
	for _, format := range []string{"json", "{{json .}}", " {{ json . }} "} {
		t.Run(format, func(t *testing.T) {
			f, out := testFactory("1.2.3")
			if err := runVersion(&VersionOptions{Factory: f, Format: format}); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Client map[string]any
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output %q is not JSON: %v", out, err)
			}
			// podman 4.3's keys, and no Arch.
			for _, k := range []string{"APIVersion", "Version", "GoVersion", "GitCommit", "BuiltTime", "Built", "OsArch", "Os"} {
				if _, ok := got.Client[k]; !ok {
					t.Errorf("JSON client %v lacks %s", got.Client, k)
				}
			}
			if _, ok := got.Client["Arch"]; ok || got.Client["Version"] != "1.2.3" || got.Client["OsArch"] != runtime.GOOS+"/"+runtime.GOARCH {
				t.Errorf("JSON client %v, want Version 1.2.3, OsArch and no Arch", got.Client)
			}
		})
	}
}

func TestRunVersionBadFormat(t *testing.T) {
	f, _ := testFactory("1.2.3")
	err := runVersion(&VersionOptions{Factory: f, Format: "{{.Client.Version"})
	if err == nil || !cmdtest.IsUsage(err) || !strings.HasPrefix(cmdutil.Message(err), "Error: template: version:") {
		t.Errorf("unparsable template: error %v, want a usage error naming the template", err)
	}
	f, _ = testFactory("1.2.3")
	err = runVersion(&VersionOptions{Factory: f, Format: "{{.Server.Version}}"})
	if err == nil || cmdutil.ExitCode(err) != 125 {
		t.Errorf("template naming a missing field: error %v, want a 125 error", err)
	}
}

func TestNewCmdInfo(t *testing.T) {
	tests := []cmdtest.ParseCase[InfoOptions]{
		{Name: "defaults"},
		{Name: "format short", Args: []string{"-f", "{{.Host.Arch}}"}, Want: InfoOptions{Format: "{{.Host.Arch}}"}},
		{Name: "format json", Args: []string{"--format", "json"}, Want: InfoOptions{Format: "json"}},
		{Name: "argument", Args: []string{"x"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--debug-bogus"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdInfo, func(f *cmdutil.Factory, got, want *InfoOptions) { want.Factory = f })
}

func TestNewCmdUnshare(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{name: "no command", args: nil, want: nil},
		{name: "command", args: []string{"id", "-u"}, want: []string{"id", "-u"}},
		{name: "flags go to the command", args: []string{"ls", "-l", "--all"}, want: []string{"ls", "-l", "--all"}},
		{name: "double dash", args: []string{"--", "sh", "-c", "true"}, want: []string{"sh", "-c", "true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := testFactory("1.2.3")
			var got *UnshareOptions
			err := execute(NewCmdUnshare(f, func(o *UnshareOptions) error { got = o; return nil }), tt.args)
			if err != nil || got == nil {
				t.Fatalf("err %v, runF called %v", err, got != nil)
			}
			cmd := got.Command
			if len(cmd) == 0 {
				cmd = nil
			}
			if got.Factory != f || !reflect.DeepEqual(cmd, tt.want) {
				t.Errorf("command %q, want %q", got.Command, tt.want)
			}
		})
	}
	f, _ := testFactory("1.2.3")
	called := false
	err := execute(NewCmdUnshare(f, func(*UnshareOptions) error { called = true; return nil }), []string{"--bogus", "sh"})
	if err == nil || called {
		t.Errorf("unknown flag before the command: err %v, runF called %v", err, called)
	}
}

func testFactory(version string) (*cmdutil.Factory, *bytes.Buffer) {
	f, out, _ := cmdtest.Factory(version)
	return f, out
}

func execute(cmd *cobra.Command, args []string) error { return cmdtest.Execute(cmd, args) }
