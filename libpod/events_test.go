package libpod

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/procfs"
)

// loggedEvents lists the statuses in r's events file with their names.
func loggedEvents(t *testing.T, r *Runtime) []string {
	t.Helper()
	var got []string
	err := r.Events(context.Background(), events.ReadOptions{}, func(e *events.Event) error {
		s := string(e.Status) + " " + e.Name
		if e.Status == events.Died {
			s += " " + string(rune('0'+e.ContainerExitCode))
		}
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTransitionEvents(t *testing.T) {
	for _, tt := range []struct {
		from, to define.ContainerStatus
		want     []events.Status
	}{
		{define.StatusCreated, define.StatusRunning, []events.Status{events.Init, events.Start}},
		{define.StatusExited, define.StatusRunning, []events.Status{events.Init, events.Start}},
		{define.StatusRunning, define.StatusPaused, []events.Status{events.Pause}},
		{define.StatusPaused, define.StatusRunning, []events.Status{events.Unpause}},
		{define.StatusRunning, define.StatusExited, []events.Status{events.Died}},
		{define.StatusPaused, define.StatusExited, []events.Status{events.Died}},
		{define.StatusCreated, define.StatusCreated, nil},
	} {
		if got := transitionEvents(tt.from, tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("%s → %s: %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

// A died event is written by the command that saves the exit, once: views
// that sync without saving write none.
func TestDiedEventOnceWhenSaved(t *testing.T) {
	r := testRuntime(t)
	id := hexID("d1")
	writeConfig(t, r, id, "web", time.Now())
	self := os.Getpid()
	writeState(t, r, id, running(self, procfs.StartTime(self)))
	writeExitFile(t, r, id, 3, time.Now(), false)

	if _, err := r.Container("web"); err != nil { // synced, not saved
		t.Fatal(err)
	}
	if got := loggedEvents(t, r); len(got) != 0 {
		t.Fatalf("an unsaved sync wrote %q", got)
	}
	c, err := r.lookupContainer("web")
	if err != nil {
		t.Fatal(err)
	}
	c.syncState() // queued on this state value, which the locked sync replaces
	unlock, err := c.lockAndSync()
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	for i := 0; i < 2; i++ {
		if _, _, err := r.ListContainers(); err != nil {
			t.Fatal(err)
		}
		if unlock, err = c.lockAndSync(); err != nil {
			t.Fatal(err)
		}
		unlock()
	}
	if got := loggedEvents(t, r); !slices.Equal(got, []string{"died web 3"}) {
		t.Errorf("events %q, want one died event with exit code 3", got)
	}
}

func TestVerbEvents(t *testing.T) {
	r := testRuntime(t)
	id := hexID("d2")
	writeConfig(t, r, id, "web", time.Now())
	if err := r.RenameContainer(context.Background(), "web", "api"); err != nil {
		t.Fatal(err)
	}
	var got events.Event
	err := r.Events(context.Background(), events.ReadOptions{}, func(e *events.Event) error { got = *e; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != events.Rename || got.Name != "api" || got.ID != id || got.Type != events.TypeContainer ||
		got.Image != "docker.io/library/alpine:latest" || got.Attributes == nil {
		t.Errorf("rename event %+v", got)
	}
	if time.Since(got.Time) > time.Minute {
		t.Errorf("event time %v", got.Time)
	}
}
