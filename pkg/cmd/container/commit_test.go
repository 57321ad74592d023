package container

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdCommit(t *testing.T) {
	tests := []cmdtest.ParseCase[CommitOptions]{
		{Name: "container", Args: []string{"web"}, Want: CommitOptions{Container: "web", Format: "oci"}},
		{Name: "container and image", Args: []string{"web", "img"}, Want: CommitOptions{Container: "web", Image: "img", Format: "oci"}},
		{Name: "all flags", Args: []string{"-a", "me", "-c", "CMD a", "--change", "ENV A=1", "-f", "docker", "-m", "msg", "-p", "-q", "-s",
			"--include-volumes", "--iidfile", "/tmp/iid", "web", "img"},
			Want: CommitOptions{Container: "web", Image: "img", Author: "me", Changes: []string{"CMD a", "ENV A=1"}, Format: "docker",
				Message: "msg", Pause: true, Quiet: true, Squash: true, IncludeVolumes: true, IIDFile: "/tmp/iid"}},
		{Name: "a change with commas stays whole", Args: []string{"-c", `CMD ["a","b"]`, "web"},
			Want: CommitOptions{Container: "web", Format: "oci", Changes: []string{`CMD ["a","b"]`}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "three arguments", Args: []string{"a", "b", "c"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdCommit, func(f *cmdutil.Factory, got, want *CommitOptions) { want.Factory = f })
}

func TestRunCommit(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web}}
	f, out, errOut := cmdtest.FactoryWithEngine(e)
	iid := filepath.Join(t.TempDir(), "iid")
	if err := cmdtest.Execute(NewCmdCommit(f, nil), []string{"--iidfile", iid, "web", "img"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != cmdtest.FakeImageID+"\n" || errOut.String() != "Writing manifest to image destination\n" {
		t.Errorf("commit printed %q, %q on stderr", out, errOut)
	}
	if b, err := os.ReadFile(iid); err != nil || string(b) != cmdtest.FakeImageID {
		t.Errorf("iidfile: %q %v", b, err)
	}
	out.Reset()
	errOut.Reset()
	if err := cmdtest.Execute(NewCmdCommit(f, nil), []string{"-q", "web"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != cmdtest.FakeImageID+"\n" || errOut.Len() != 0 {
		t.Errorf("commit -q printed %q, %q on stderr", out, errOut)
	}
	if e.Calls[len(e.Calls)-1] != "commit web" {
		t.Errorf("calls %q", e.Calls)
	}
	if err := cmdtest.Execute(NewCmdCommit(f, nil), []string{"nope"}); cmdutil.ExitCode(err) != 125 {
		t.Errorf("commit of a missing container: %v", err)
	}
}

func TestNewCmdExport(t *testing.T) {
	tests := []cmdtest.ParseCase[ExportOptions]{
		{Name: "container", Args: []string{"web"}, Want: ExportOptions{Container: "web"}},
		{Name: "output", Args: []string{"-o", "x.tar", "web"}, Want: ExportOptions{Container: "web", Output: "x.tar"}},
		{Name: "long output", Args: []string{"--output", "x.tar", "web"}, Want: ExportOptions{Container: "web", Output: "x.tar"}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "two containers", Args: []string{"a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdExport, func(f *cmdutil.Factory, got, want *ExportOptions) { want.Factory = f })
}

func TestRunExport(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusExited)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdExport(f, nil), []string{"web"}); err != nil || out.String() != "tar of web" {
		t.Errorf("export to stdout: %v, %q", err, out)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "web.tar")
	if err := cmdtest.Execute(NewCmdExport(f, nil), []string{"-o", file, "web"}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "tar of web" {
		t.Errorf("export -o wrote %q, %v", b, err)
	}
	missing := filepath.Join(dir, "missing.tar")
	if err := cmdtest.Execute(NewCmdExport(f, nil), []string{"-o", missing, "nope"}); cmdutil.ExitCode(err) != 125 {
		t.Errorf("export of a missing container: %v", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s: %v", missing, err)
	}
}
