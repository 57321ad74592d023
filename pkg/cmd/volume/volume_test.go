package volume

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func run(t *testing.T, e *cmdtest.FakeEngine, args ...string) (string, string, error) {
	t.Helper()
	f, out, errOut := cmdtest.FactoryWithEngine(e)
	cmd := NewCmdVolume(f)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestCreateLsInspectRm(t *testing.T) {
	e := &cmdtest.FakeEngine{}
	if out, _, err := run(t, e, "create", "--label", "a=b", "data"); err != nil || out != "data\n" {
		t.Fatalf("create: %q %v", out, err)
	}
	if _, _, err := run(t, e, "create", "data"); !errors.Is(err, define.ErrVolumeExists) || cmdutil.ExitCode(err) != 125 {
		t.Fatalf("create again: %v", err)
	}
	if out, _, err := run(t, e, "create", "--ignore", "data"); err != nil || out != "data\n" {
		t.Fatalf("create --ignore: %q %v", out, err)
	}
	out, _, err := run(t, e, "ls")
	if err != nil || out != "DRIVER      VOLUME NAME\nlocal       data\n" {
		t.Fatalf("ls: %q %v", out, err)
	}
	if out, _, _ := run(t, e, "ls", "-q"); out != "data\n" {
		t.Fatalf("ls -q: %q", out)
	}
	if out, _, _ := run(t, e, "inspect", "data", "--format", "{{.Name}} {{.Labels}}"); out != "data map[a:b]\n" {
		t.Fatalf("inspect --format: %q", out)
	}
	out, _, err = run(t, e, "inspect", "data")
	if err != nil || !strings.Contains(out, `"Mountpoint": "/vol/data/_data"`) || !strings.HasPrefix(out, "[\n     {") {
		t.Fatalf("inspect: %q %v", out, err)
	}
	if _, _, err := run(t, e, "inspect", "nope"); cmdutil.ExitCode(err) != 125 {
		t.Fatalf("inspect nope: %v", err)
	}
	if _, _, err := run(t, e, "exists", "data"); err != nil {
		t.Fatalf("exists: %v", err)
	}
	if _, _, err := run(t, e, "exists", "nope"); cmdutil.ExitCode(err) != 1 {
		t.Fatalf("exists nope: %v", err)
	}
	if _, _, err := run(t, e, "rm", "nope"); cmdutil.ExitCode(err) != 1 {
		t.Fatalf("rm nope: exit %d", cmdutil.ExitCode(err))
	}
	e.Err = map[string]error{"volume-rm data": fmt.Errorf("in use: %w", define.ErrVolumeInUse)}
	if _, _, err := run(t, e, "rm", "data"); cmdutil.ExitCode(err) != 2 {
		t.Fatalf("rm in use: exit %d", cmdutil.ExitCode(err))
	}
	e.Err = nil
	if out, _, err := run(t, e, "rm", "-f", "data"); err != nil || out != "data\n" {
		t.Fatalf("rm -f: %q %v", out, err)
	}
	if e.Calls[len(e.Calls)-1] != "volume-rm -f data" {
		t.Fatalf("calls: %v", e.Calls)
	}
	if _, _, err := run(t, e, "rm"); cmdutil.ExitCode(err) != 125 {
		t.Fatalf("rm without names: %v", err)
	}
}

func TestPrune(t *testing.T) {
	e := &cmdtest.FakeEngine{Volumes: []*libpod.InspectVolume{{Name: "a"}, {Name: "b"}}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	f.IOStreams.In = strings.NewReader("n\n")
	cmd := NewCmdVolume(f)
	cmd.SetArgs([]string{"prune"})
	if err := cmd.Execute(); err != nil || len(e.Volumes) != 2 || !strings.Contains(out.String(), "The following volumes will be removed:\na\nb\n") {
		t.Fatalf("prune declined: %q %v %v", out, err, e.Calls)
	}
	o, _, err := run(t, e, "prune", "-f")
	if err != nil || o != "a\nb\n" || len(e.Volumes) != 0 {
		t.Fatalf("prune -f: %q %v", o, err)
	}
	if _, _, err := run(t, e, "prune", "-f", "--filter", "bogus=1"); cmdutil.ExitCode(err) != 125 {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestMountNeedsUnshare(t *testing.T) {
	e := &cmdtest.FakeEngine{Volumes: []*libpod.InspectVolume{{Name: "a", Mountpoint: "/m"}}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	o := &MountOptions{Factory: f, Names: []string{"a"}, InNamespace: func() bool { return false }}
	if err := runMount(o); err == nil || !strings.Contains(err.Error(), "must execute `pod unshare` first") {
		t.Fatalf("outside unshare: %v", err)
	}
	o.InNamespace = func() bool { return true }
	if err := runMount(o); err != nil || out.String() != "/m\n" {
		t.Fatalf("inside: %q %v", out, err)
	}
}

func TestImportStdin(t *testing.T) {
	e := &cmdtest.FakeEngine{Volumes: []*libpod.InspectVolume{{Name: "a"}}}
	f, _, _ := cmdtest.FactoryWithEngine(e)
	f.IOStreams.In = strings.NewReader("TAR")
	cmd := NewCmdVolume(f)
	cmd.SetArgs([]string{"import", "a", "-"})
	if err := cmd.Execute(); err != nil || e.Calls[0] != "volume-import a:TAR" {
		t.Fatalf("import: %v %v", err, e.Calls)
	}
}
