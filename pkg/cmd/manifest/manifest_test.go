package manifest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdAdd(t *testing.T) {
	no := false
	tests := []cmdtest.ParseCase[AddOptions]{
		{Name: "overrides", Args: []string{"--arch", "arm64", "--variant", "v8", "--annotation", "a=b", "--tls-verify=false", "list", "img"},
			Want: AddOptions{List: "list", Images: []string{"img"},
				Overrides: OverrideFlags{InstanceOverrides: image.InstanceOverrides{Arch: "arm64", Variant: "v8", Annotations: []string{"a=b"}}},
				Registry:  cmdutil.RegistryFlags{TLSVerify: no, TLSSet: true}}},
		{Name: "all, several", Args: []string{"--all", "list", "a", "b"},
			Want: AddOptions{All: true, List: "list", Images: []string{"a", "b"}, Registry: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "no image", Args: []string{"list"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdAdd, func(f *cmdutil.Factory, got, want *AddOptions) { want.Factory = f })
}

func TestNewCmdPush(t *testing.T) {
	tests := []cmdtest.ParseCase[PushOptions]{
		{Name: "list only", Args: []string{"list"}, Want: PushOptions{All: true, List: "list", Registry: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "everything", Args: []string{"--all=false", "-q", "--rm", "--format", "v2s2", "--digestfile", "/d", "list", "reg.io/x:1"},
			Want: PushOptions{Quiet: true, Rm: true, Format: "v2s2", DigestFile: "/d", List: "list", Destination: "reg.io/x:1", Registry: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "bad format", Args: []string{"--format", "v1", "list", "dest"}, WantErr: true},
		{Name: "too many", Args: []string{"list", "a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdPush, func(f *cmdutil.Factory, got, want *PushOptions) { want.Factory = f })
}

func TestNewCmdArgs(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
	}{
		{"annotate", cmdtest.Execute(NewCmdAnnotate(cmdFactory(), func(*AnnotateOptions) error { return nil }), []string{"list"})},
		{"remove", cmdtest.Execute(NewCmdRemove(cmdFactory(), func(*RemoveOptions) error { return nil }), []string{"list", "a", "b"})},
		{"exists", cmdtest.Execute(NewCmdExists(cmdFactory(), func(*ExistsOptions) error { return nil }), nil)},
		{"inspect", cmdtest.Execute(NewCmdInspect(cmdFactory(), func(*InspectOptions) error { return nil }), nil)},
		{"rm", cmdtest.Execute(NewCmdRm(cmdFactory(), func(*RmOptions) error { return nil }), nil)},
		{"create", cmdtest.Execute(NewCmdCreate(cmdFactory(), func(*CreateOptions) error { return nil }), nil)},
	} {
		if c.err == nil || cmdutil.ExitCode(c.err) != 125 {
			t.Errorf("%s with wrong arguments: %v", c.name, c.err)
		}
	}
}

func cmdFactory() *cmdutil.Factory {
	f, _, _ := cmdtest.Factory("test")
	return f
}

// fakeFactory is a test factory whose engine is e.
func fakeFactory(e *cmdtest.FakeEngine) (*cmdutil.Factory, func() string) {
	f, out, _ := cmdtest.Factory("test")
	f.Engine = func() (cmdutil.Engine, error) { return e, nil }
	return f, out.String
}

func TestRunVerbs(t *testing.T) {
	ctx := context.Background()
	notKnown := fmt.Errorf("nosuch: image not known%.0w", define.ErrNoSuchImage)
	e := &cmdtest.FakeEngine{Err: map[string]error{"manifest-rm nosuch": notKnown, "manifest-exists nosuch": notKnown}}
	f, out := fakeFactory(e)
	id := cmdtest.FakeManifestID

	if err := runCreate(ctx, &CreateOptions{Factory: f, List: "l", Images: []string{"a"}, All: true}); err != nil {
		t.Fatal(err)
	}
	if err := runAdd(ctx, &AddOptions{Factory: f, List: "l", Images: []string{"b"},
		Overrides: OverrideFlags{InstanceOverrides: image.InstanceOverrides{Arch: "arm64"}}}); err != nil {
		t.Fatal(err)
	}
	if got := out(); got != id+"\n"+id+"\n" {
		t.Errorf("create and add printed %q", got)
	}

	f, out = fakeFactory(e)
	err := runRm(&RmOptions{Factory: f, Lists: []string{"l", "nosuch", "m"}})
	if cmdutil.ExitCode(err) != 1 {
		t.Errorf("rm with a missing list: %v (exit %d), want exit 1", err, cmdutil.ExitCode(err))
	}
	if want := "Untagged: l\nUntagged: m\nDeleted: " + id + "\nDeleted: " + id + "\n"; out() != want {
		t.Errorf("rm printed %q, want %q", out(), want)
	}
	if err := runExists(&ExistsOptions{Factory: f, List: "l"}); err != nil {
		t.Errorf("exists l: %v", err)
	}
	if err := runExists(&ExistsOptions{Factory: f, List: "nosuch"}); cmdutil.ExitCode(err) != 1 || cmdutil.Message(err) != "" {
		t.Errorf("exists nosuch: %v (exit %d)", err, cmdutil.ExitCode(err))
	}

	digestFile := filepath.Join(t.TempDir(), "digest")
	if err := runPush(ctx, &PushOptions{Factory: f, List: "l", Destination: "reg.io/x:1", DigestFile: digestFile, Rm: true}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(digestFile); err != nil || string(b) != "sha256:"+id {
		t.Errorf("digest file %q, %v", b, err)
	}
	want := []string{"manifest-create l a all", "manifest-add l b arch=arm64", "manifest-rm l", "manifest-rm nosuch", "manifest-rm m",
		"manifest-exists l", "manifest-exists nosuch", "manifest-push l reg.io/x:1 rm"}
	if !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
}
