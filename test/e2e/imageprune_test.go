package e2e

import (
	"strings"
	"testing"
)

// image prune removes dangling images (and with -a every image no
// container uses), prints their ids, and leaves used images alone.
func TestImagePrune(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	old := e.MustPod(t, "image", "inspect", "--format", "{{.Id}}", "alpine:3.19.4").Out()
	e.MustPod(t, "pull", "-q", "alpine")
	used := e.MustPod(t, "image", "inspect", "--format", "{{.Id}}", "alpine").Out()
	r := e.Pod(t, "image", "prune", "-f", "--filter", "bogus=1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "bogus")
	e.MustPod(t, "create", "--name", "keeper", "alpine", "true")
	e.MustPod(t, "untag", old) // now dangling
	r = e.MustPod(t, "image", "prune", "-f")
	if got := r.Out(); got != old {
		t.Errorf("image prune printed %q, want the dangling image %s", got, old)
	}
	if ids := e.MustPod(t, "images", "-a", "-q", "--no-trunc").Stdout; strings.Contains(ids, old) || !strings.Contains(ids, used) {
		t.Errorf("after image prune: %q", ids)
	}
	expectStdout(t, e.MustPod(t, "image", "prune", "-a", "-f"), "") // alpine is used by keeper
	e.MustPod(t, "rm", "keeper")
	if got := e.MustPod(t, "image", "prune", "-a", "-f").Out(); got != used {
		t.Errorf("image prune -a printed %q, want %s", got, used)
	}
}
