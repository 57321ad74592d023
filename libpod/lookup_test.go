package libpod

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

func TestValidateName(t *testing.T) {
	valid := []string{"web", "a", "0", "web-1", "a.b_c-d", "Web_Server.2", strings.Repeat("a", 253), strings.Repeat("a", 300)}
	invalid := []string{"", "-web", ".web", "_web", "web/1", "web 1", "wéb", "a:b", "a@b", "../x", ".tmp"}
	for _, n := range valid {
		if err := validateName(n); err != nil {
			t.Errorf("validateName(%q) = %v, want nil", n, err)
		}
	}
	for _, n := range invalid {
		if err := validateName(n); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("validateName(%q) = %v, want ErrInvalidArg", n, err)
		}
	}
}

func TestReserveName(t *testing.T) {
	r := testRuntime(t)
	id1, id2 := newID(), newID()
	if err := r.reserveName("web", id1); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, r, id1, "", time.Now()) // id1 now exists
	if b, _ := os.ReadFile(r.namePath("web")); string(b) != id1 {
		t.Fatalf("name file holds %q, want %s", b, id1)
	}

	err := r.reserveName("web", id2)
	if !errors.Is(err, define.ErrNameInUse) {
		t.Fatalf("second reservation: %v, want ErrNameInUse", err)
	}
	if !strings.Contains(err.Error(), `"web"`) || !strings.Contains(err.Error(), id1) {
		t.Errorf("error %q does not name the name and its owner", err)
	}
	if b, _ := os.ReadFile(r.namePath("web")); string(b) != id1 {
		t.Errorf("a failed reservation changed the owner to %q", b)
	}

	// Releasing for another id does nothing; for the owner it frees the name.
	r.releaseName("web", id2)
	if _, err := os.Stat(r.namePath("web")); err != nil {
		t.Fatal("releaseName with a foreign id removed the name")
	}
	r.releaseName("web", id1)
	if _, err := os.Stat(r.namePath("web")); !os.IsNotExist(err) {
		t.Fatal("releaseName did not free the name")
	}
	if err := r.reserveName("web", id2); err != nil {
		t.Errorf("reserve a released name: %v", err)
	}

	// No reservation file is left.
	if ents, _ := os.ReadDir(r.nameTempDir()); len(ents) != 0 {
		t.Errorf("reservation files left behind: %v", ents)
	}
}

// Names too long for a file name (podman accepts them) are keyed by their
// hash; each still names its own container.
func TestReserveLongNames(t *testing.T) {
	r := testRuntime(t)
	long1, long2 := strings.Repeat("a", 300), strings.Repeat("a", 299)+"b"
	id1, id2 := newID(), newID()
	for name, id := range map[string]string{long1: id1, long2: id2} {
		if err := r.reserveName(name, id); err != nil {
			t.Fatalf("reserve a %d-character name: %v", len(name), err)
		}
		writeConfig(t, r, id, name, time.Now())
	}
	for name, id := range map[string]string{long1: id1, long2: id2} {
		if got, err := r.resolveID(name); err != nil || got != id {
			t.Errorf("resolveID(%d characters) = %q, %v; want %s", len(name), got, err, id)
		}
	}
	if err := r.reserveName(long1, newID()); !errors.Is(err, define.ErrNameInUse) {
		t.Errorf("second reservation of a long name: %v", err)
	}
	if base := filepath.Base(r.namePath(long1)); !strings.HasPrefix(base, "_") || len(base) > 100 {
		t.Errorf("long name key %q", base)
	}
}

// A reservation file whose creator is gone (nobody holds its lock) is
// removed by the next listing, with its lock file; one whose creator runs
// is kept.
func TestReapNameTemps(t *testing.T) {
	r := testRuntime(t)
	gone, live := newID(), newID()
	for _, id := range []string{gone, live} {
		writeFile(t, filepath.Join(r.nameTempDir(), id), id)
	}
	l, err := r.locks.Acquire(live)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, _, err := r.ListContainers(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(r.nameTempDir(), gone)); !os.IsNotExist(err) {
		t.Error("the reservation file of a gone creator was kept")
	}
	if _, err := os.Stat(filepath.Join(r.nameTempDir(), live)); err != nil {
		t.Error("the reservation file of a live creator was removed")
	}
}

func TestReserveNameReclaimsStale(t *testing.T) {
	r := testRuntime(t)
	gone, id := newID(), newID()
	writeFile(t, r.namePath("web"), gone) // left by a crash: no such container
	if err := r.reserveName("web", id); err != nil {
		t.Fatalf("stale name not reclaimed: %v", err)
	}
	if b, _ := os.ReadFile(r.namePath("web")); string(b) != id {
		t.Errorf("name file holds %q, want %s", b, id)
	}
	// Garbage in a name file is stale as well.
	writeFile(t, r.namePath("db"), "../../etc/passwd")
	if err := r.reserveName("db", id); err != nil {
		t.Errorf("garbage name file not reclaimed: %v", err)
	}
}

// raceForName lets creators with their own ids reserve one name at once
// and returns the winners. With holdLocks each creator holds its
// container's lock while it reserves and until everyone is done, as
// CreateContainer does until config.json exists.
func raceForName(t *testing.T, r *Runtime, ids []string, holdLocks bool) []string {
	t.Helper()
	start := make(chan struct{})
	var mu sync.Mutex
	var reserved, wg sync.WaitGroup
	var winners []string
	reserved.Add(len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if holdLocks {
				l, err := r.locks.Acquire(id)
				if err != nil {
					t.Error(err)
					reserved.Done()
					return
				}
				defer l.Close()
			}
			<-start
			err := r.reserveName("race", id)
			reserved.Done()
			switch {
			case err == nil:
				mu.Lock()
				winners = append(winners, id)
				mu.Unlock()
			case !errors.Is(err, define.ErrNameInUse):
				t.Errorf("reserveName: %v", err)
			}
			reserved.Wait() // keep the lock until every creator tried
		}()
	}
	close(start)
	wg.Wait()
	return winners
}

// Twenty creators of existing containers race for one name: one wins.
func TestReserveNameRace(t *testing.T) {
	r := testRuntime(t)
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = newID()
		writeConfig(t, r, ids[i], "", time.Now())
	}
	winners := raceForName(t, r, ids, false)
	if len(winners) != 1 {
		t.Fatalf("%d winners, want exactly 1", len(winners))
	}
	if b, _ := os.ReadFile(r.namePath("race")); string(b) != winners[0] {
		t.Errorf("name file holds %q, winner is %s", b, winners[0])
	}
}

// As CreateContainer does it: the name is reserved before config.json is
// written (the layer is created in between), under the container's lock.
// The winner's container does not exist yet while the others try: exactly
// one creator must still win.
func TestReserveNameRaceDuringCreate(t *testing.T) {
	r := testRuntime(t)
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = newID()
	}
	winners := raceForName(t, r, ids, true)
	if len(winners) != 1 {
		t.Fatalf("%d creators were given the name %q at once, want exactly 1", len(winners), "race")
	}
}

// A stale name (its container gone, nobody creating it) is reclaimed by
// exactly one of several concurrent creators.
func TestReserveNameRaceForStaleName(t *testing.T) {
	for round := 0; round < 100; round++ {
		r := testRuntime(t)
		writeFile(t, r.namePath("race"), newID()) // left by a crash
		ids := make([]string, 20)
		for i := range ids {
			ids[i] = newID()
		}
		winners := raceForName(t, r, ids, true)
		if len(winners) != 1 {
			t.Fatalf("round %d: %d creators were given the stale name at once, want exactly 1", round, len(winners))
		}
	}
}

// A reservation whose creator still holds the container lock (config.json
// not written yet) is live; once the creator is gone without a config.json,
// the name is stale.
func TestReserveNameInCreation(t *testing.T) {
	r := testRuntime(t)
	creating, other := newID(), newID()
	l, err := r.locks.Acquire(creating)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.reserveName("web", creating); err != nil {
		t.Fatal(err)
	}
	if err := r.reserveName("web", other); !errors.Is(err, define.ErrNameInUse) {
		t.Fatalf("name of a container being created taken: %v", err)
	}
	l.Close() // the creator crashed before writing config.json
	if err := r.reserveName("web", other); err != nil {
		t.Fatalf("name of a crashed create not reclaimed: %v", err)
	}
}

func TestResolveID(t *testing.T) {
	r := testRuntime(t)
	idWeb := hexID("abc123")
	idDb := hexID("abc456")
	idOther := hexID("f00d")
	now := time.Now()
	writeConfig(t, r, idWeb, "web", now)
	writeConfig(t, r, idDb, "db", now)
	writeConfig(t, r, idOther, "other", now)
	writeFile(t, r.namePath("ghost"), hexID("dead"))                       // name of a removed container
	if err := os.MkdirAll(ctrDir(r, hexID("abc789")), 0o700); err != nil { // being created: no config.json
		t.Fatal(err)
	}

	tests := []struct {
		in    string
		want  string
		errIs error
	}{
		{in: "web", want: idWeb},
		{in: "db", want: idDb},
		{in: idWeb, want: idWeb},
		{in: "abc1", want: idWeb},
		{in: "abc4", want: idDb},
		{in: "f", want: idOther},
		{in: "abc", errIs: define.ErrAmbiguousID},
		{in: "a", errIs: define.ErrAmbiguousID},
		{in: "nosuch", errIs: define.ErrNoSuchCtr},
		{in: "ghost", errIs: define.ErrNoSuchCtr},
		{in: "0000", errIs: define.ErrNoSuchCtr},
		{in: "ABC1", errIs: define.ErrNoSuchCtr},
		{in: "../static", errIs: define.ErrNoSuchCtr},
		{in: "", errIs: define.ErrInvalidArg},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := r.resolveID(tt.in)
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) {
					t.Fatalf("resolveID(%q) = %q, %v; want %v", tt.in, got, err, tt.errIs)
				}
				if tt.in != "" && !strings.Contains(err.Error(), tt.in) {
					t.Errorf("error %q does not name %q", err, tt.in)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("resolveID(%q) = %q, %v; want %s", tt.in, got, err, tt.want)
			}
			c, err := r.lookupContainer(tt.in)
			if err != nil {
				t.Fatalf("LookupContainer(%q): %v", tt.in, err)
			}
			if c.ID() != tt.want || c.Config.ImageName != "docker.io/library/alpine:latest" || c.State.Status != define.StatusCreated {
				t.Errorf("LookupContainer(%q) = %+v %+v", tt.in, c.Config, c.State)
			}
		})
	}
}

// A directory without config.json (a create in progress or a removal half
// done) is no container.
func TestLookupContainerWithoutConfig(t *testing.T) {
	r := testRuntime(t)
	id := hexID("abc789")
	if err := os.MkdirAll(ctrDir(r, id), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"abc7", id} {
		if c, err := r.lookupContainer(in); !errors.Is(err, define.ErrNoSuchCtr) {
			t.Errorf("LookupContainer(%q) = %v, %v; want ErrNoSuchCtr", in, c, err)
		}
	}
	ctrs, bad, err := r.ListContainers()
	if err != nil || len(ctrs) != 0 || len(bad) != 0 {
		t.Errorf("ListContainers = %d containers, bad %v, %v; want none", len(ctrs), bad, err)
	}
}

// A name that is also an id prefix resolves to the named container.
func TestResolveIDNameBeforePrefix(t *testing.T) {
	r := testRuntime(t)
	named, prefixed := hexID("1111"), hexID("beef")
	writeConfig(t, r, named, "beef", time.Now())
	writeConfig(t, r, prefixed, "x", time.Now())
	if got, err := r.resolveID("beef"); err != nil || got != named {
		t.Errorf("resolveID(beef) = %q, %v; want the container named beef", got, err)
	}
}

// What a killed create left (a directory without config.json, its name
// entry, its lock file) is removed by the next listing, unless its creator
// still holds the lock.
func TestReapIncomplete(t *testing.T) {
	r := testRuntime(t)
	gone, live := newID(), newID()
	for name, id := range map[string]string{"gone": gone, "live": live} {
		if err := r.reserveName(name, id); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ctrDir(r, id), "partial"), "")
		l, err := r.locks.Acquire(id) // creates the lock file
		if err != nil {
			t.Fatal(err)
		}
		if id == gone {
			l.Close()
		} else {
			defer l.Close()
		}
	}
	if _, _, err := r.ListContainers(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ctrDir(r, gone)); !os.IsNotExist(err) {
		t.Error("the directory of an incomplete create was kept")
	}
	if _, err := os.Stat(r.namePath("gone")); !os.IsNotExist(err) {
		t.Error("the name of an incomplete create was kept")
	}
	if _, err := os.Stat(filepath.Join(r.cfg.RunDir, "locks", gone+".lock")); !os.IsNotExist(err) {
		t.Errorf("the lock file of an incomplete create was kept: %v", err)
	}
	if _, err := os.Stat(ctrDir(r, live)); err != nil {
		t.Error("the directory of a create in progress was removed")
	}
	if err := r.reserveName("gone", newID()); err != nil {
		t.Errorf("the name of an incomplete create is not free: %v", err)
	}
}

// Lock files of nothing (a create killed right after taking its lock, a
// name's reclaim lock) go at the next listing, unless held.
func TestReapLocks(t *testing.T) {
	r := testRuntime(t)
	gone, held := newID(), newID()
	for _, n := range []string{gone, held, "name-web"} {
		l, err := r.locks.Acquire(n)
		if err != nil {
			t.Fatal(err)
		}
		if n != held {
			l.Close()
		} else {
			defer l.Close()
		}
	}
	if _, _, err := r.ListContainers(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.locks.Names(), " ")
	if got != held {
		t.Errorf("lock files after listing: %q, want only %s", got, held)
	}
}

func TestRenameContainer(t *testing.T) {
	r := testRuntime(t)
	id, other := hexID("a"), hexID("b")
	writeConfig(t, r, id, "old", time.Now())
	writeConfig(t, r, other, "taken", time.Now())
	ctx := context.Background()
	if err := r.RenameContainer(ctx, "old", "new"); err != nil {
		t.Fatal(err)
	}
	if got, err := r.resolveID("new"); err != nil || got != id {
		t.Errorf("resolve new name: %q, %v", got, err)
	}
	if _, err := os.Stat(r.namePath("old")); !os.IsNotExist(err) {
		t.Error("the old name was kept")
	}
	c, err := r.lookupContainer(id)
	if err != nil || c.Name() != "new" {
		t.Errorf("config after rename: %v, %v", c, err)
	}
	if err := r.RenameContainer(ctx, "new", "taken"); !errors.Is(err, define.ErrNameInUse) {
		t.Errorf("rename onto a used name: %v", err)
	}
	if err := r.RenameContainer(ctx, "new", "bad name"); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("rename to an invalid name: %v", err)
	}
	if c, _ := r.lookupContainer(id); c.Name() != "new" {
		t.Errorf("a failed rename changed the name to %q", c.Name())
	}
}
