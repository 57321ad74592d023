package libpod

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

// testRuntime opens a Runtime on directories in t.TempDir(). The storage
// store, when a test opens it, uses vfs (no mounts) and is shut down at the
// end.
func testRuntime(t *testing.T) *Runtime {
	t.Helper()
	dir := t.TempDir()
	cfg := &Config{
		StaticDir: filepath.Join(dir, "static"),
		RunDir:    filepath.Join(dir, "run"),
		ConfigDir: filepath.Join(dir, "config"),
		Storage:   StorageConfig{Driver: "vfs", GraphRoot: filepath.Join(dir, "graph"), RunRoot: filepath.Join(dir, "runroot")},
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Shutdown)
	return r
}

// hexID makes a 64-hex-digit id starting with prefix.
func hexID(prefix string) string {
	id := prefix
	for len(id) < 64 {
		id += "0"
	}
	return id
}

func ctrDir(r *Runtime, id string) string { return filepath.Join(r.cfg.StaticDir, "containers", id) }

// writeConfig writes config.json as CreateContainer lays it out, by hand,
// and the name index entry.
func writeConfig(t *testing.T, r *Runtime, id, name string, created time.Time) {
	t.Helper()
	cfg := fmt.Sprintf(`{"id":%q,"name":%q,"created":%q,"image":"alpine","imageId":"img","imageName":"docker.io/library/alpine:latest",`+
		`"command":["sleep","100"],"networkMode":"none","stopTimeout":10,"imageConfig":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"]}}`,
		id, name, created.Format(time.RFC3339Nano))
	writeFile(t, filepath.Join(ctrDir(r, id), "config.json"), cfg)
	if name != "" {
		writeFile(t, r.namePath(name), id)
	}
}

// writeState writes state.json by hand.
func writeState(t *testing.T, r *Runtime, id string, st map[string]any) {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(ctrDir(r, id), "state.json"), string(b))
}

func writeExitFile(t *testing.T, r *Runtime, id string, code int, at time.Time, oom bool) {
	t.Helper()
	writeFile(t, filepath.Join(ctrDir(r, id), "exit"),
		fmt.Sprintf(`{"exitCode":%d,"exitedAt":%q,"oomKilled":%v}`, code, at.Format(time.RFC3339Nano), oom))
}

// readStateFile returns the state saved on disk.
func readStateFile(t *testing.T, r *Runtime, id string) ContainerState {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ctrDir(r, id), "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st ContainerState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// deadPid returns the pid of a process that has exited and been reaped.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func running(monitorPid int, start uint64) map[string]any {
	return map[string]any{"status": string(define.StatusRunning), "pid": 4242, "monitorPid": monitorPid, "monitorStart": start,
		"startedAt": time.Now().Add(-time.Minute).Format(time.RFC3339Nano), "exitCode": 0}
}
