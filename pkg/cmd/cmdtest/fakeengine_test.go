package cmdtest

import (
	"context"
	"errors"
	"reflect"
	"syscall"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
)

func TestFakeEngineLookup(t *testing.T) {
	e := &FakeEngine{Containers: []*libpod.Container{
		FakeContainer("web", "ab1", define.StatusRunning), FakeContainer("db", "ab2", define.StatusExited)}}
	for in, want := range map[string]string{"web": "web", "ab1ab1": "web", "ab2": "db", e.Containers[1].ID(): "db"} {
		if c, err := e.Container(in); err != nil || c.Name() != want {
			t.Errorf("Container(%q) = %v, %v; want %s", in, c, err, want)
		}
	}
	if _, err := e.Container("ab"); !errors.Is(err, define.ErrAmbiguousID) {
		t.Errorf("ambiguous prefix: %v", err)
	}
	if _, err := e.Container("nope"); !errors.Is(err, define.ErrNoSuchCtr) || err.Error() != `no container with name or ID "nope" found: no such container` {
		t.Errorf("missing: %v", err)
	}
}

func TestFakeEngineStates(t *testing.T) {
	ctx := context.Background()
	e := &FakeEngine{Containers: []*libpod.Container{
		FakeContainer("web", "aa", define.StatusRunning), FakeContainer("db", "bb", define.StatusExited)}}
	if err := e.StopContainer(ctx, "db", nil); err != nil || e.Containers[1].State.Status != define.StatusExited {
		t.Errorf("stopping an exited container: %v", err)
	}
	if err := e.KillContainer(ctx, "db", syscall.SIGKILL); !errors.Is(err, define.ErrCtrStateInvalid) {
		t.Errorf("killing an exited container: %v", err)
	}
	if err := e.RemoveContainer(ctx, "web", libpod.RemoveOptions{}); !errors.Is(err, define.ErrCtrStateInvalid) {
		t.Errorf("removing a running container: %v", err)
	}
	if err := e.KillContainer(ctx, "web", syscall.SIGKILL); err != nil || e.Containers[0].State.ExitCode != 137 {
		t.Errorf("kill web: %v, state %+v", err, e.Containers[0].State)
	}
	boom := errors.New("boom")
	e.Err = map[string]error{"remove " + e.Containers[1].ID(): boom}
	if err := e.RemoveContainer(ctx, "db", libpod.RemoveOptions{Force: true}); err != boom {
		t.Errorf("injected error by id: %v", err)
	}
	want := []string{"stop db", "kill db SIGKILL", "remove web", "kill web SIGKILL", "remove db force"}
	if !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
}

func TestFakeEngineAttach(t *testing.T) {
	ctx := context.Background()
	e := &FakeEngine{ExitCode: 3}
	c, err := e.CreateContainer(ctx, &libpod.CreateOptions{Image: "alpine", AutoRemove: true})
	if err != nil || c.Name() != "ctr1" || c.ID()[:8] != "c001c001" {
		t.Fatalf("create: %v, %v", c, err)
	}
	a, err := e.StartContainer(ctx, "ctr1", &libpod.AttachStreams{})
	if err != nil {
		t.Fatal(err)
	}
	if code, err := a.Wait(); code != 3 || err != nil {
		t.Errorf("Wait = %d, %v", code, err)
	}
	if err := a.Finish(); err != nil || len(e.Containers) != 0 {
		t.Errorf("Finish: %v; containers %v (--rm must be gone)", err, e.Containers)
	}
	want := []string{"create alpine", "start ctr1 attached", "finish ctr1"}
	if !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
}
