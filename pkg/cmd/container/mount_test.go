package container

import (
	"context"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdMount(t *testing.T) {
	tests := []cmdtest.ParseCase[MountOptions]{
		{Name: "list", Args: nil, Want: MountOptions{Command: "mount"}},
		{Name: "containers", Args: []string{"a", "b"}, Want: MountOptions{Command: "mount", Names: []string{"a", "b"}}},
		{Name: "list flags", Args: []string{"--no-trunc", "--format", "json"}, Want: MountOptions{Command: "mount", NoTrunc: true, Format: "json"}},
		{Name: "notruncate", Args: []string{"--notruncate"}, Want: MountOptions{Command: "mount", NoTrunc: true}},
		{Name: "all", Args: []string{"-a"}, Want: MountOptions{Command: "mount", All: true}},
		{Name: "all and names", Args: []string{"-a", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdMount, func(f *cmdutil.Factory, got, want *MountOptions) {
		want.Factory = f
		if got.InNamespace == nil {
			t.Error("InNamespace not set")
		}
		got.InNamespace = nil
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
	for _, tt := range []cmdtest.ParseCase[UnmountOptions]{
		{Name: "containers", Args: []string{"a", "b"}, Want: UnmountOptions{Names: []string{"a", "b"}}},
		{Name: "all force", Args: []string{"-a", "-f"}, Want: UnmountOptions{All: true, Force: true}},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "all and names", Args: []string{"--all", "web"}, WantErr: true},
	} {
		cmdtest.CheckParse(t, []cmdtest.ParseCase[UnmountOptions]{tt}, NewCmdUnmount, func(f *cmdutil.Factory, got, want *UnmountOptions) {
			want.Factory = f
			if len(got.Names) == 0 {
				got.Names = nil
			}
		})
	}
}

func TestRunMountOutsideUnshare(t *testing.T) {
	e := &cmdtest.FakeEngine{}
	f, _, _ := cmdtest.FactoryWithEngine(e)
	err := runMount(context.Background(), &MountOptions{Factory: f, Command: "pod container mount", InNamespace: func() bool { return false }})
	if cmdutil.ExitCode(err) != 125 || cmdutil.Message(err) != "Error: cannot run command \"pod container mount\" in rootless mode, must execute `pod unshare` first" {
		t.Errorf("mount outside pod unshare: %v", err)
	}
	if len(e.Calls) != 0 {
		t.Errorf("the engine was called: %q", e.Calls)
	}
}

func TestRunMountUnmount(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	db := cmdtest.FakeContainer("db", "cd", define.StatusExited)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, db}}
	f, out, errOut := cmdtest.FactoryWithEngine(e)
	inside := func() bool { return true }
	mount := func(o MountOptions) error {
		t.Helper()
		out.Reset()
		o.Factory, o.InNamespace, o.Command = f, inside, "pod mount"
		return runMount(context.Background(), &o)
	}
	webPath, dbPath := cmdtest.FakeMountRoot+"/"+web.ID()+"/merged", cmdtest.FakeMountRoot+"/"+db.ID()+"/merged"

	if err := mount(MountOptions{}); err != nil || out.String() != "" {
		t.Fatalf("nothing mounted: %v, %q", err, out)
	}
	if err := mount(MountOptions{Names: []string{"db", "web"}}); err != nil || out.String() != dbPath+"\n"+webPath+"\n" {
		t.Fatalf("mount db web: %v, %q", err, out)
	}
	if err := mount(MountOptions{}); err != nil || out.String() != "abababababab  "+webPath+"\ncdcdcdcdcdcd  "+dbPath+"\n" {
		t.Errorf("listing: %v\n%q", err, out)
	}
	if err := mount(MountOptions{NoTrunc: true}); err != nil || !strings.HasPrefix(out.String(), web.ID()+"  "+webPath+"\n") {
		t.Errorf("listing --no-trunc: %v\n%q", err, out)
	}
	want := "[\n {\n  \"id\": \"" + web.ID() + "\",\n  \"Names\": [\n   \"web\"\n  ],\n  \"mountpoint\": \"" + webPath + "\"\n },\n" +
		" {\n  \"id\": \"" + db.ID() + "\",\n  \"Names\": [\n   \"db\"\n  ],\n  \"mountpoint\": \"" + dbPath + "\"\n }\n]\n"
	if err := mount(MountOptions{Format: "json"}); err != nil || out.String() != want {
		t.Errorf("listing as json: %v\n%s", err, out)
	}
	if err := mount(MountOptions{Format: "{{.ID}}"}); cmdutil.Message(err) != `Error: unknown --format argument: "{{.ID}}"` {
		t.Errorf("listing with a template: %v", err)
	}
	err := mount(MountOptions{Names: []string{"nope", "db"}})
	if cmdutil.ExitCode(err) != 125 || out.String() != dbPath+"\n" {
		t.Errorf("mount nope db: %v, %q", err, out)
	}

	// unmount prints the names it was given; -a the ids of what does not
	// run, each once.
	out.Reset()
	if err := cmdtest.Execute(NewCmdUnmount(f, nil), []string{"web"}); err != nil || out.String() != "web\n" || e.Mounts["web"] != 0 {
		t.Errorf("unmount web: %v, %q, %d mounts left", err, out, e.Mounts["web"])
	}
	out.Reset()
	if err := cmdtest.Execute(NewCmdUnmount(f, nil), []string{"-a"}); err != nil || out.String() != db.ID()+"\n" || e.Mounts["db"] != 1 {
		t.Errorf("unmount -a: %v, %q, %d mounts of db left (want 1 of 2)", err, out, e.Mounts["db"])
	}
	out.Reset()
	if err := cmdtest.Execute(NewCmdUnmount(f, nil), []string{"-f", "db"}); err != nil || out.String() != "db\n" || e.Mounts["db"] != 0 {
		t.Errorf("unmount -f db: %v, %q, %d mounts left", err, out, e.Mounts["db"])
	}
	out.Reset()
	err = cmdtest.Execute(NewCmdUnmount(f, nil), []string{"nope", "db"})
	if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), `"nope"`) || out.String() != "db\n" {
		t.Errorf("unmount nope db: %v, %q, stderr %q", err, out, errOut)
	}
}
