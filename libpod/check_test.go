package libpod

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Check finds what faults leave behind, repairs it with Repair, and is
// clean afterwards.
func TestCheckFindsAndRepairs(t *testing.T) {
	r := testRuntime(t)
	ctx := context.Background()
	if f, err := r.Check(ctx, CheckOptions{}); err != nil || len(f) != 0 {
		t.Fatalf("empty runtime: %+v, %v", f, err)
	}
	incomplete, stale, gone := newID(), newID(), newID()
	writeFile(t, filepath.Join(ctrDir(r, incomplete), "x"), "")                // a create that never finished
	writeFile(t, r.namePath("orphan"), stale)                                  // a name of no container
	writeFile(t, filepath.Join(r.nameTempDir(), gone), gone)                   // a reservation of a gone creator
	writeFile(t, filepath.Join(r.cfg.RunDir, "containers", gone, "hosts"), "") // run files of no container
	l, err := r.locks.Acquire(stale)                                           // a lock file of no container
	if err != nil {
		t.Fatal(err)
	}
	l.Close()

	findings, err := r.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		if f.Repaired {
			t.Errorf("repaired without --repair: %+v", f)
		}
		got = append(got, f.Object)
	}
	for _, want := range []string{"container " + incomplete[:12], "name orphan", "name reservation " + gone[:12],
		"run directory containers/" + gone[:12], "lock " + stale[:12]} {
		if !strings.Contains(strings.Join(got, "|"), want) {
			t.Errorf("findings %q lack %q", got, want)
		}
	}

	findings, err = r.Check(ctx, CheckOptions{Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if !f.Repaired {
			t.Errorf("not repaired: %+v", f)
		}
	}
	if f, err := r.Check(ctx, CheckOptions{}); err != nil || len(f) != 0 {
		t.Errorf("after repair: %+v, %v", f, err)
	}
	if _, err := os.Stat(ctrDir(r, incomplete)); !os.IsNotExist(err) {
		t.Error("the incomplete container's directory is still there")
	}
}

// A running container whose monitor died is reported with its new state;
// nothing running is removed.
func TestCheckDeadMonitor(t *testing.T) {
	r := testRuntime(t)
	id := hexID("7")
	writeConfig(t, r, id, "web", time.Now())
	writeState(t, r, id, running(deadPid(t), 1))
	findings, err := r.Check(context.Background(), CheckOptions{Repair: true, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range findings {
		found = found || (strings.HasPrefix(f.Object, "container "+id[:12]) && strings.Contains(f.Problem, "was recorded running, is exited"))
	}
	if !found {
		t.Errorf("findings %+v lack the dead monitor", findings)
	}
	if got := readStateFile(t, r, id); got.Status != "exited" {
		t.Errorf("state after check: %s", got.Status)
	}
}
