package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// system df, prune, check and reset on a store of their own.
func TestSystemPruneDfCheckReset(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 has no system check")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.runSleeper(t, "keep")
	e.MustPod(t, "run", "--name", "done", "alpine", "sh", "-c", "head -c 100000 /dev/zero > /blob")
	e.MustPod(t, "create", "--name", "fresh", "alpine", "true")

	r := e.MustPod(t, "system", "df", "--format", "{{.Type}} {{.Total}} {{.Active}}")
	if got := r.Lines(); len(got) != 3 || got[0] != "Images 1 1" || got[1] != "Containers 3 1" || got[2] != "Local Volumes 0 0" {
		t.Errorf("system df: %q", got)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(e.MustPod(t, "system", "df", "--format", "json").Stdout), &rows); err != nil || len(rows) != 3 {
		t.Errorf("system df --format json: %v, %d rows", err, len(rows))
	}
	r = e.MustPod(t, "system", "df", "-v")
	for _, want := range []string{"Images space usage:", "Containers space usage:", "keep", "done", "fresh"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("system df -v lacks %q:\n%s", want, r.Stdout)
		}
	}

	expectStdout(t, e.MustPod(t, "system", "check"), "No problems found\n")

	// Without --force and without a yes, prune removes nothing.
	r = e.PodOpt(t, RunOpts{Stdin: "n\n"}, "system", "prune")
	expectExit(t, r, 0)
	if got := e.MustPod(t, "ps", "-a", "-q").Lines(); len(got) != 3 {
		t.Errorf("prune answered no removed containers: %q", got)
	}
	r = e.PodOpt(t, RunOpts{Stdin: "y\n"}, "system", "prune")
	if !strings.Contains(r.Stdout, "Deleted Containers") || !strings.Contains(r.Stdout, "Total reclaimed space:") {
		t.Errorf("system prune printed %q", r.Stdout)
	}
	if got := e.MustPod(t, "ps", "-a", "--format", "{{.Names}}").Lines(); len(got) != 1 || got[0] != "keep" {
		t.Errorf("after prune: %q, want only the running container", got)
	}
	// The image is in use: it stays, even with -a.
	e.MustPod(t, "system", "prune", "-a", "-f")
	if got := e.MustPod(t, "images", "-q").Lines(); len(got) != 1 {
		t.Errorf("prune -a removed an image in use: %q", got)
	}

	// A fault for check to find: the record of a container that no longer exists.
	ghost := filepath.Join(e.Home, ".local/share/pod/names/ghost")
	os.WriteFile(ghost, []byte(strings.Repeat("f", 64)), 0o600)
	os.Chown(ghost, e.User.uid, e.User.gid)
	r = e.Pod(t, "system", "check")
	expectExit(t, r, 1)
	if !strings.Contains(r.Stdout, "name ghost: names no container") {
		t.Errorf("system check: %q", r.Stdout)
	}
	r = e.MustPod(t, "system", "check", "--repair")
	if !strings.Contains(r.Stdout, "name ghost: names no container (repaired)") {
		t.Errorf("system check --repair: %q", r.Stdout)
	}
	expectStdout(t, e.MustPod(t, "system", "check"), "No problems found\n")

	e.MustPod(t, "system", "reset", "-f")
	if got := e.MustPod(t, "ps", "-a", "-q").Lines(); len(got) != 0 {
		t.Errorf("containers after reset: %q", got)
	}
	if got := e.MustPod(t, "images", "-q").Lines(); len(got) != 0 {
		t.Errorf("images after reset: %q", got)
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "ok"), "ok\n")
}
