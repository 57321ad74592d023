package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// inUnshare runs the engine inside its own `unshare`, where mounts are seen.
func (e *Env) inUnshare(t *testing.T, args ...string) *Result {
	t.Helper()
	return e.Pod(t, append([]string{"unshare", cfg.binary}, args...)...)
}

// mountLine returns the line of `mount` (inside unshare) for id, or "".
func (e *Env) mountLine(t *testing.T, id string, extra ...string) string {
	t.Helper()
	r := e.inUnshare(t, append([]string{"mount"}, extra...)...)
	expectExit(t, r, 0)
	for _, l := range r.Lines() {
		if strings.HasPrefix(l, id) {
			return l
		}
	}
	return ""
}

func TestMount(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "mnt")
	e.MustPod(t, "run", "--name", name, "alpine", "sh", "-c", "echo hello > /data")
	id := e.MustPod(t, "inspect", "--format", "{{.Id}}", name).Out()

	// Outside the namespace it refuses, as podman, naming the way in.
	for _, args := range [][]string{{"mount"}, {"mount", name}, {"container", "mount", name}} {
		r := e.Pod(t, args...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, "in rootless mode, must execute", "unshare` first")
	}

	r := e.inUnshare(t, "mount", name)
	expectExit(t, r, 0)
	path := r.Out()
	if !strings.HasPrefix(path, "/") || strings.Contains(path, "\n") {
		t.Fatalf("mount printed %q, want the mount point", r.Stdout)
	}
	expectStdout(t, e.MustPod(t, "unshare", "cat", path+"/data"), "hello\n")
	if got := e.mountLine(t, id[:12]); got != id[:12]+"  "+path {
		t.Errorf("mount lists %q, want %q", got, id[:12]+"  "+path)
	}
	if got := e.mountLine(t, id, "--no-trunc"); got != id+"  "+path {
		t.Errorf("mount --no-trunc lists %q", got)
	}
	r = e.inUnshare(t, "mount", "--format", "json")
	var list []struct {
		ID         string   `json:"id"`
		Names      []string `json:"Names"`
		Mountpoint string   `json:"mountpoint"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil {
		t.Fatalf("mount --format json: %v: %s", err, r.describe())
	}
	found := false
	for _, m := range list {
		found = found || (m.ID == id && len(m.Names) == 1 && m.Names[0] == name && m.Mountpoint == path)
	}
	if !found {
		t.Errorf("mount --format json lacks %s at %s: %s", name, path, r.Stdout)
	}

	// Mounts are counted: a second mount needs a second unmount.
	expectStdout(t, e.inUnshare(t, "container", "mount", name), path+"\n")
	expectStdout(t, e.MustPod(t, "unmount", name), name+"\n")
	if e.mountLine(t, id[:12]) == "" {
		t.Errorf("one of two unmounts unmounted %s", name)
	}
	expectStdout(t, e.MustPod(t, "container", "umount", name), name+"\n")
	if got := e.mountLine(t, id[:12]); got != "" {
		t.Errorf("after both unmounts mount lists %q", got)
	}
	if r := e.Pod(t, "unshare", "cat", path+"/data"); r.ExitCode == 0 {
		t.Errorf("the root filesystem is still mounted: %s", r.describe())
	}
	expectStdout(t, e.MustPod(t, "umount", name), name+"\n") // not mounted: nothing to do

	// -f undoes every mount; -a unmounts what does not run, by id.
	for i := 0; i < 2; i++ {
		expectExit(t, e.inUnshare(t, "mount", name), 0)
	}
	expectStdout(t, e.MustPod(t, "unmount", "-f", name), name+"\n")
	if got := e.mountLine(t, id[:12]); got != "" {
		t.Errorf("after unmount -f mount lists %q", got)
	}
	expectExit(t, e.inUnshare(t, "mount", name), 0)
	if r := e.MustPod(t, "unmount", "--all"); !contains(r.Lines(), id) {
		t.Errorf("unmount --all did not unmount %s: %s", id, r.describe())
	}
	if got := e.mountLine(t, id[:12]); got != "" {
		t.Errorf("after unmount --all mount lists %q", got)
	}

	r = e.Pod(t, "unmount", "nope-no-such")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nope-no-such")
	r = e.Pod(t, "unmount")
	expectExit(t, r, 125)
	expectErrorLine(t, r)
	r = e.inUnshare(t, "mount", "nope-no-such")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nope-no-such")
}
