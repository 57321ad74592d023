package e2e

import (
	"testing"

	"golang.org/x/sys/unix"
)

// Rootless containers have no cgroup of their own without cgroup v2: stats
// refuses with podman's words, before looking at any container.
func TestStats(t *testing.T) {
	var st unix.Statfs_t
	if err := unix.Statfs("/sys/fs/cgroup", &st); err != nil {
		t.Fatal(err)
	}
	if st.Type == unix.CGROUP2_SUPER_MAGIC {
		t.Skip("cgroup v2 host: stats depends on delegation here")
	}
	e := sharedEnv(t)
	name := e.CtrName(t, "stats")
	e.runSleeper(t, name)
	for _, args := range [][]string{
		{"stats", "--no-stream"},
		{"stats", "--no-stream", name},
		{"stats", "--no-stream", "nope-no-such"},
		{"container", "stats", "--all", "--no-stream", "--format", "json"},
		{"stats", name}, // streaming fails the same way, at once
	} {
		r := e.Pod(t, args...)
		expectExit(t, r, 125)
		expectErrorLine(t, r)
		if r.Stderr != "Error: stats is not supported in rootless mode without cgroups v2\n" {
			t.Errorf("%q: stderr %q", args, r.Stderr)
		}
	}
	r := e.Pod(t, "stats", "--no-stream", "--bogus")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "bogus")
}
