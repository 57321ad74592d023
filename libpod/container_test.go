package libpod

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
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
	for _, status := range []string{"stopped", "paused", "RUNNING", ""} {
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
	if strings.Join(names, ",") != "newer,older" {
		t.Errorf("containers %q, want newest first: newer, older", names)
	}
	if len(bad) != 1 || !errors.Is(bad[0], define.ErrCorruptState) || !strings.Contains(bad[0].Error(), "broken") {
		t.Errorf("bad = %v, want one ErrCorruptState naming broken", bad)
	}
	if len(ctrs) == 2 && (ctrs[0].State.Status != define.StatusExited || ctrs[0].State.ExitCode != -1) {
		t.Errorf("listed state of newer %+v, want exited -1", ctrs[0].State)
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

func TestRefreshAfterReboot(t *testing.T) {
	r := testRuntime(t)
	alive := filepath.Join(r.cfg.RunDir, "alive")
	b, err := os.ReadFile(alive)
	if err != nil || strings.TrimSpace(string(b)) != procfs.BootID() {
		t.Fatalf("New did not record the boot id: %q, %v", b, err)
	}
	self := os.Getpid()
	run, created, exited := hexID("1"), hexID("3"), hexID("4")
	writeConfig(t, r, run, "run", time.Now())
	writeState(t, r, run, running(self, procfs.StartTime(self)))
	writeConfig(t, r, created, "created", time.Now())
	writeState(t, r, created, map[string]any{"status": "created"})
	writeConfig(t, r, exited, "exited", time.Now())
	writeState(t, r, exited, map[string]any{"status": "exited", "exitCode": 4})

	// Same boot: nothing is touched, even a running container.
	if err := r.refreshAfterReboot(); err != nil {
		t.Fatal(err)
	}
	if got := readStateFile(t, r, run); got.Status != define.StatusRunning {
		t.Fatalf("same boot: running container became %s", got.Status)
	}

	// Another boot: running containers are exited.
	writeFile(t, alive, "00000000-old-boot\n")
	if err := r.refreshAfterReboot(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{run} {
		got := readStateFile(t, r, id)
		if got.Status != define.StatusExited || got.Pid != 0 || got.MonitorPid != 0 || got.Mountpoint != "" {
			t.Errorf("after reboot %s: %+v", id[:2], got)
		}
	}
	if got := readStateFile(t, r, created); got.Status != define.StatusCreated {
		t.Errorf("after reboot the created container is %s", got.Status)
	}
	if got := readStateFile(t, r, exited); got.Status != define.StatusExited || got.ExitCode != 4 {
		t.Errorf("after reboot the exited container is %+v", got)
	}
	if b, _ := os.ReadFile(alive); strings.TrimSpace(string(b)) != procfs.BootID() {
		t.Errorf("alive file holds %q after refresh", b)
	}
}

// New refreshes too: a runtime opened after a reboot sees no running
// containers.
func TestNewRefreshesAfterReboot(t *testing.T) {
	r := testRuntime(t)
	id := hexID("6")
	writeConfig(t, r, id, "web", time.Now())
	self := os.Getpid()
	writeState(t, r, id, running(self, procfs.StartTime(self)))
	writeFile(t, filepath.Join(r.cfg.RunDir, "alive"), "another-boot")
	if _, err := New(r.cfg); err != nil {
		t.Fatal(err)
	}
	if got := readStateFile(t, r, id); got.Status != define.StatusExited {
		t.Errorf("after New on a new boot: %s", got.Status)
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
	writeState(t, r, live, running(self, procfs.StartTime(self)))
	writeConfig(t, r, dead, "dead", time.Now())
	writeState(t, r, dead, running(deadPid(t), 1))
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

// inspect shows the entrypoint the container runs: Config.Entrypoint,
// Path and Args agree.
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
		if strings.Join(in.Config.Entrypoint, "\x00") != strings.Join(tt.want, "\x00") {
			t.Errorf("--entrypoint %q: inspect Config.Entrypoint %q, but the container runs %q", ep, in.Config.Entrypoint, run)
		}
	}
}
