package libpod

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/procfs"
)

func TestSyncStateExitFile(t *testing.T) {
	r := testRuntime(t)
	id := hexID("e1")
	writeConfig(t, r, id, "web", time.Now())
	self := os.Getpid()
	writeState(t, r, id, running(self, procfs.StartTime(self))) // the monitor is alive
	exitedAt := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	writeExitFile(t, r, id, 3, exitedAt, true)

	c, err := r.lookupContainer("web")
	if err != nil {
		t.Fatal(err)
	}
	if c.State.Status != define.StatusRunning {
		t.Fatalf("loaded status %s, want running", c.State.Status)
	}
	if !c.syncState() {
		t.Fatal("syncState reported no change")
	}
	st := c.State
	if st.Status != define.StatusExited || st.ExitCode != 3 || !st.FinishedAt.Equal(exitedAt) || !st.OOMKilled || st.Pid != 0 {
		t.Errorf("state after sync %+v", st)
	}
	if c.syncState() {
		t.Error("a second sync changed the state again")
	}
}

func TestSyncStateDeadMonitor(t *testing.T) {
	r := testRuntime(t)
	id := hexID("d1")
	writeConfig(t, r, id, "web", time.Now())
	writeState(t, r, id, running(deadPid(t), 12345))
	c, err := r.lookupContainer(id)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	if !c.syncState() {
		t.Fatal("syncState reported no change")
	}
	st := c.State
	if st.Status != define.StatusExited || st.ExitCode != -1 || st.Pid != 0 || st.Error == "" || st.FinishedAt.Before(before) {
		t.Errorf("state after sync %+v", st)
	}
}

// A live pid with another start time is a reused pid: the monitor is gone.
func TestSyncStateReusedMonitorPid(t *testing.T) {
	r := testRuntime(t)
	id := hexID("d2")
	writeConfig(t, r, id, "web", time.Now())
	self := os.Getpid()
	writeState(t, r, id, running(self, procfs.StartTime(self)+1))
	c, err := r.lookupContainer(id)
	if err != nil {
		t.Fatal(err)
	}
	if !c.syncState() || c.State.Status != define.StatusExited || c.State.ExitCode != -1 {
		t.Errorf("state after sync %+v, want exited -1", c.State)
	}
}

func TestSyncStateNoChange(t *testing.T) {
	r := testRuntime(t)
	self := os.Getpid()
	// running with a live monitor and no exit file
	id := hexID("a1")
	writeConfig(t, r, id, "live", time.Now())
	writeState(t, r, id, running(self, procfs.StartTime(self)))
	// created, with a stray exit file: sync ignores containers that never ran
	idc := hexID("a2")
	writeConfig(t, r, idc, "created", time.Now())
	writeState(t, r, idc, map[string]any{"status": "created"})
	writeExitFile(t, r, idc, 9, time.Now(), false)
	// exited stays exited
	ide := hexID("a3")
	writeConfig(t, r, ide, "exited", time.Now())
	writeState(t, r, ide, map[string]any{"status": "exited", "exitCode": 2, "monitorPid": deadPid(t)})
	for _, n := range []string{"live", "created", "exited"} {
		c, err := r.lookupContainer(n)
		if err != nil {
			t.Fatal(err)
		}
		before := *c.State
		if c.syncState() || *c.State != before {
			t.Errorf("%s: sync changed %+v into %+v", n, before, *c.State)
		}
	}
}

// A status the state machine does not know makes the state file corrupt.
func TestUnknownStatusIsCorrupt(t *testing.T) {
	r := testRuntime(t)
	id := hexID("5")
	writeConfig(t, r, id, "web", time.Now())
	for _, status := range []string{"stopped", "frozen", "RUNNING", ""} {
		st := running(os.Getpid(), procfs.StartTime(os.Getpid()))
		st["status"] = status
		writeState(t, r, id, st)
		if _, err := r.lookupContainer(id); !errors.Is(err, define.ErrCorruptState) {
			t.Errorf("status %q: lookup error %v, want ErrCorruptState", status, err)
		}
	}
}

// refresh (read-only views) and lockAndSync (mutations) both sync; only
// lockAndSync saves.
func TestRefreshAndLockAndSync(t *testing.T) {
	r := testRuntime(t)
	id := hexID("7")
	writeConfig(t, r, id, "web", time.Now())
	writeState(t, r, id, running(deadPid(t), 1))
	c, err := r.lookupContainer(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.refresh(); err != nil || c.State.Status != define.StatusExited {
		t.Fatalf("refresh: %v, state %+v", err, c.State)
	}
	if got := readStateFile(t, r, id); got.Status != define.StatusRunning {
		t.Errorf("refresh saved the state: %s", got.Status)
	}
	unlock, err := c.lockAndSync()
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if got := readStateFile(t, r, id); got.Status != define.StatusExited || got.ExitCode != -1 {
		t.Errorf("lockAndSync did not save the synced state: %+v", got)
	}
	// Once the container is removed, lockAndSync says so.
	if err := os.Remove(filepath.Join(ctrDir(r, id), "config.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.lockAndSync(); !errors.Is(err, define.ErrNoSuchCtr) {
		t.Errorf("lockAndSync of a removed container: %v", err)
	}
}

func TestMissingStateIsCreated(t *testing.T) {
	r := testRuntime(t)
	id := hexID("c0")
	writeConfig(t, r, id, "web", time.Now())
	c, err := r.lookupContainer("web")
	if err != nil {
		t.Fatal(err)
	}
	if c.State.Status != define.StatusCreated {
		t.Errorf("status without state.json %s, want created", c.State.Status)
	}
}

func TestCorruptFiles(t *testing.T) {
	tests := []struct {
		name   string
		config string // "" writes a good config
		state  string // "" writes no state
		errHas []string
	}{
		{name: "corrupt state", state: `{"status": "running"`, errHas: []string{"web", "state.json", "pod rm -f"}},
		{name: "state without status", state: `{}`, errHas: []string{"web", "state.json"}},
		{name: "state not an object", state: `[]`, errHas: []string{"web", "state.json"}},
		{name: "corrupt config", config: `{"id":`, errHas: []string{"config.json", "pod rm -f"}},
		{name: "config of another id", config: `{"id":"` + hexID("99") + `","name":"web"}`, errHas: []string{"config.json"}},
		{name: "empty config", config: " ", errHas: []string{"config.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRuntime(t)
			id := hexID("bad")
			writeConfig(t, r, id, "web", time.Now())
			if tt.config != "" {
				writeFile(t, filepath.Join(ctrDir(r, id), "config.json"), tt.config)
			}
			if tt.state != "" {
				writeFile(t, filepath.Join(ctrDir(r, id), "state.json"), tt.state)
			}
			c, err := r.lookupContainer("web")
			if !errors.Is(err, define.ErrCorruptState) {
				t.Fatalf("LookupContainer = %v, %v; want ErrCorruptState", c, err)
			}
			if !strings.Contains(err.Error(), id[:12]) {
				t.Errorf("error %q does not name the container id", err)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			// The id still resolves (rm -f removes corrupt containers by id).
			if got, err := r.resolveID("web"); err != nil || got != id {
				t.Errorf("ResolveID of a corrupt container = %q, %v", got, err)
			}
			if got := r.corruptIDs(); len(got) != 1 || got[0] != id {
				t.Errorf("CorruptIDs = %q", got)
			}
		})
	}
}

func TestListContainers(t *testing.T) {
	r := testRuntime(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	older, newer, broken, gone := hexID("01"), hexID("02"), hexID("03"), hexID("04")
	writeConfig(t, r, older, "older", t0)
	writeConfig(t, r, newer, "newer", t0.Add(time.Hour))
	writeConfig(t, r, broken, "broken", t0.Add(2*time.Hour))
	writeState(t, r, newer, running(deadPid(t), 1)) // its monitor died
	writeFile(t, filepath.Join(ctrDir(r, broken), "state.json"), "not json")
	if err := os.MkdirAll(ctrDir(r, gone), 0o700); err != nil { // no config.json
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(r.cfg.StaticDir, "containers", "short"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(r.cfg.StaticDir, "containers", hexID("05")), "a file, not a directory")

	ctrs, bad, err := r.ListContainers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range ctrs {
		names = append(names, c.Name())
	}
	if strings.Join(names, ",") != "older,newer" {
		t.Errorf("containers %q, want oldest first: older, newer", names)
	}
	if len(bad) != 1 || !errors.Is(bad[0], define.ErrCorruptState) || !strings.Contains(bad[0].Error(), "broken") {
		t.Errorf("bad = %v, want one ErrCorruptState naming broken", bad)
	}
	if len(ctrs) == 2 && (ctrs[1].State.Status != define.StatusExited || ctrs[1].State.ExitCode != -1) {
		t.Errorf("listed state of newer %+v, want exited -1", ctrs[1].State)
	}
	// With no one holding its lock, the synced state was saved.
	if got := readStateFile(t, r, newer); got.Status != define.StatusExited {
		t.Errorf("saved state of newer %+v, want exited", got)
	}
}

// ListContainers never waits on a lock: a container locked by another
// command is listed with its synced state, but not saved.
func TestListContainersDoesNotWaitOnLocks(t *testing.T) {
	r := testRuntime(t)
	id := hexID("0a")
	writeConfig(t, r, id, "busy", time.Now())
	writeState(t, r, id, running(deadPid(t), 1))
	l, err := r.locks.Acquire(id)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan struct{})
	var ctrs []*Container
	go func() {
		defer close(done)
		ctrs, _, err = r.ListContainers()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("ListContainers waits on a container lock")
	}
	if err != nil || len(ctrs) != 1 || ctrs[0].State.Status != define.StatusExited {
		t.Fatalf("ListContainers = %v, %v", ctrs, err)
	}
	if got := readStateFile(t, r, id); got.Status != define.StatusRunning {
		t.Errorf("state saved while another command held the lock: %s", got.Status)
	}
}

// A container started in another boot is exited, whatever its recorded
// processes; one of this boot is left alone.
func TestSyncStateReboot(t *testing.T) {
	r := testRuntime(t)
	self := os.Getpid()
	old, cur := hexID("1"), hexID("2")
	for id, boot := range map[string]string{old: "00000000-another-boot", cur: procfs.BootID()} {
		writeConfig(t, r, id, "c"+id[:1], time.Now())
		st := running(self, procfs.StartTime(self))
		st["bootId"], st["mountpoint"] = boot, "/somewhere"
		writeState(t, r, id, st)
	}
	c, err := r.lookupContainer(old)
	if err != nil {
		t.Fatal(err)
	}
	if !c.syncState() || c.State.Status != define.StatusExited || c.State.Mountpoint != "" || c.State.MonitorPid != 0 ||
		!c.State.FinishedAt.Equal(procfs.BootTime()) || !strings.Contains(c.State.Error, "restarted") {
		t.Errorf("container of another boot after sync: %+v", c.State)
	}
	c, err = r.lookupContainer(cur)
	if err != nil {
		t.Fatal(err)
	}
	if c.syncState() || c.State.Status != define.StatusRunning {
		t.Errorf("container of this boot after sync: %+v", c.State)
	}
}

// A monitor killed while its container runs: the container stays running
// as long as its process lives, and exits with -1 once it is gone.
func TestSyncStateMonitorDied(t *testing.T) {
	r := testRuntime(t)
	id := hexID("3")
	writeConfig(t, r, id, "orphan", time.Now())
	self := os.Getpid()
	st := running(deadPid(t), 1)
	st["pid"], st["pidStart"], st["bootId"] = self, procfs.StartTime(self), procfs.BootID()
	writeState(t, r, id, st)
	c, err := r.lookupContainer(id)
	if err != nil {
		t.Fatal(err)
	}
	if c.syncState() || c.State.Status != define.StatusRunning || !c.containerAlive() {
		t.Errorf("live container without monitor: %+v", c.State)
	}
	st["pid"] = deadPid(t)
	writeState(t, r, id, st)
	if c, err = r.lookupContainer(id); err != nil {
		t.Fatal(err)
	}
	if !c.syncState() || c.State.Status != define.StatusExited || c.State.ExitCode != -1 {
		t.Errorf("dead container without monitor: %+v", c.State)
	}
}

// writeMonitorRecord writes the pid record a monitor writes at its start,
// after the state file that start saves before it spawns the monitor (a
// created one recording the start when there is none).
func writeMonitorRecord(t *testing.T, r *Runtime, id string, pid int, start uint64) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(ctrDir(r, id), "state.json")); errors.Is(err, os.ErrNotExist) {
		writeState(t, r, id, map[string]any{"status": "created", "starting": true})
	}
	writeFile(t, filepath.Join(ctrDir(r, id), "monitor.pid"), string(protocol.PidRecord{Pid: pid, Start: start}.Bytes()))
}

// A monitor whose CLI died before recording it is adopted: running while it
// lives, exited with its code once it wrote the exit file; a monitor that
// died without one (a failed start) changes nothing.
func TestAdoptMonitor(t *testing.T) {
	r := testRuntime(t)
	self := os.Getpid()
	id := hexID("4")
	writeConfig(t, r, id, "adopted", time.Now())
	writeMonitorRecord(t, r, id, self, procfs.StartTime(self))
	writeFile(t, filepath.Join(r.cfg.RunDir, "containers", id, "pidfile"), fmt.Sprint(self))
	c, err := r.lookupContainer(id)
	if err != nil {
		t.Fatal(err)
	}
	st := c.State
	if !c.syncState() || st.Status != define.StatusRunning || st.MonitorPid != self || st.Pid != self || st.PidStart == 0 ||
		st.BootID != procfs.BootID() || st.StartedAt.IsZero() {
		t.Fatalf("created container with a live unknown monitor: %+v", st)
	}
	// Known now: syncing again changes nothing.
	if c.syncState() {
		t.Errorf("a known monitor was adopted again: %+v", c.State)
	}

	failed := hexID("5")
	writeConfig(t, r, failed, "failed", time.Now())
	writeState(t, r, failed, map[string]any{"status": "exited", "exitCode": 2, "starting": true})
	writeMonitorRecord(t, r, failed, deadPid(t), 77)
	if c, err = r.lookupContainer(failed); err != nil {
		t.Fatal(err)
	}
	if c.syncState() || c.State.Status != define.StatusExited || c.State.ExitCode != 2 {
		t.Errorf("dead unknown monitor without exit file: %+v", c.State)
	}
	writeExitFile(t, r, failed, 9, time.Now(), false)
	if c, err = r.lookupContainer(failed); err != nil {
		t.Fatal(err)
	}
	if !c.syncState() || c.State.Status != define.StatusExited || c.State.ExitCode != 9 || c.State.FinishedAt.IsZero() {
		t.Errorf("dead unknown monitor with exit file: %+v", c.State)
	}

	// A state that records no start in flight (neither Starting nor a
	// mount) has its last monitor recorded: a listing does not look for
	// another one, even a live record.
	idle := hexID("6")
	writeConfig(t, r, idle, "idle", time.Now())
	writeState(t, r, idle, map[string]any{"status": "exited", "exitCode": 3})
	writeMonitorRecord(t, r, idle, self, procfs.StartTime(self))
	if c, err = r.lookupContainer(idle); err != nil {
		t.Fatal(err)
	}
	if c.syncState() || c.State.Status != define.StatusExited || c.State.ExitCode != 3 {
		t.Errorf("exited container without a start in flight was changed: %+v", c.State)
	}
}

func TestMonitorPIDs(t *testing.T) {
	_, rd := testHome(t)
	cfg, err := LoadConfig(rd)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	self := os.Getpid()
	live, dead := hexID("11"), hexID("22")
	writeConfig(t, r, live, "live", time.Now())
	writeMonitorRecord(t, r, live, self, procfs.StartTime(self))
	writeConfig(t, r, dead, "dead", time.Now())
	writeMonitorRecord(t, r, dead, deadPid(t), 1)
	got := MonitorPIDs(rd)
	if len(got) != 1 || got[0] != self {
		t.Errorf("MonitorPIDs = %v, want [%d]", got, self)
	}
}

func TestDefaultGatewayIPv4(t *testing.T) {
	gw := defaultGatewayIPv4()
	if gw == "" {
		return // no default route: allowed
	}
	ip := net.ParseIP(gw)
	if ip == nil || ip.To4() == nil || ip.IsUnspecified() {
		t.Errorf("defaultGatewayIPv4 = %q, not a usable IPv4 address", gw)
	}
}

func TestCheckProcessArgs(t *testing.T) {
	_, err := checkProcessArgs(&ContainerConfig{Image: "scratch-image"})
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "scratch-image") {
		t.Errorf("no command and no image command: %v, want ErrInvalidArg naming the image", err)
	}
	args, err := checkProcessArgs(&ContainerConfig{Image: "x", Command: []string{"ls", "-l"}})
	if err != nil || strings.Join(args, " ") != "ls -l" {
		t.Errorf("explicit command: %q, %v", args, err)
	}
	cfg := &ContainerConfig{Image: "x"}
	cfg.ImageConfig.Entrypoint = []string{"/entry"}
	cfg.ImageConfig.Cmd = []string{"default"}
	args, err = checkProcessArgs(cfg)
	if err != nil || strings.Join(args, " ") != "/entry default" {
		t.Errorf("image entrypoint and cmd: %q, %v", args, err)
	}
}

// inspect shows the entrypoint the container runs: Config.Entrypoint (a
// string, as podman 4.3 shows it), Path and Args agree.
func TestInspectEntrypoint(t *testing.T) {
	r := testRuntime(t)
	tests := []struct {
		entrypoint string
		want       []string
	}{
		{`["/bin/sh","-c"]`, []string{"/bin/sh", "-c"}},
		{"/bin/sh -c", []string{"/bin/sh -c"}}, // not JSON: one word, as the spec runs it
		{"/bin/echo", []string{"/bin/echo"}},
	}
	for _, tt := range tests {
		ep := tt.entrypoint
		c := &Container{r: r, Config: &ContainerConfig{ID: hexID("e"), Name: "x", Entrypoint: &ep, Command: []string{"hi"}},
			State: &ContainerState{Status: define.StatusCreated}}
		in := c.inspect()
		run := append([]string{in.Path}, in.Args...)
		if strings.Join(run[:len(run)-1], "\x00") != strings.Join(tt.want, "\x00") {
			t.Fatalf("--entrypoint %q: Path/Args %q, want %q + [hi]", ep, run, tt.want)
		}
		if in.Config.Entrypoint != strings.Join(tt.want, " ") { // podman 4.3: the words joined by spaces
			t.Errorf("--entrypoint %q: inspect Config.Entrypoint %q, but the container runs %q", ep, in.Config.Entrypoint, run)
		}
	}
}
