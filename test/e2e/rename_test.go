package e2e

import (
	"strings"
	"testing"
)

// rename, container exists, wait --condition and container prune, side by side with podman.
func TestRenameExistsWaitPrune(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "create", "--name", "first", "alpine", "sh", "-c", "exit 4")
	expectExit(t, e.Pod(t, "container", "exists", "first"), 0)
	r := e.Pod(t, "container", "exists", "nope")
	expectExit(t, r, 1)
	if r.Stderr != "" {
		t.Errorf("exists of a missing container printed %q", r.Stderr)
	}

	expectStdout(t, e.MustPod(t, "wait", "--condition", "created", "first"), "-1\n")
	r = e.Pod(t, "wait", "--condition", "bogus", "first")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "bogus")

	e.MustPod(t, "rename", "first", "second")
	expectExit(t, e.Pod(t, "container", "exists", "first"), 1)
	expectExit(t, e.Pod(t, "container", "exists", "second"), 0)
	r = e.Pod(t, "rename", "second", "bad name")
	expectExit(t, r, 125)
	if cfg.podman {
		expectErrorLine(t, r) // podman does not name the name
	} else {
		expectErrorLine(t, r, "bad name")
	}
	e.MustPod(t, "create", "--name", "first", "alpine", "true") // the old name is free
	r = e.Pod(t, "container", "rename", "second", "first")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "first")

	e.MustPod(t, "start", "second")
	expectStdout(t, e.MustPod(t, "wait", "second"), "4\n")
	e.runSleeper(t, "keep")
	r = e.MustPod(t, "container", "prune", "-f")
	if got := r.Lines(); len(got) != 2 {
		t.Errorf("container prune removed %q, want the two containers that do not run", got)
	}
	if got := e.MustPod(t, "ps", "-a", "--format", "{{.Names}}").Out(); strings.TrimSpace(got) != "keep" {
		t.Errorf("after container prune: %q", got)
	}
}
