package e2e

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ---------------------------------------------------------------- assertions and helpers

// CtrName returns a container name unique to this test and removes that container when the
// test ends.
func (e *Env) CtrName(t testing.TB, prefix string) string {
	t.Helper()
	n := fmt.Sprintf("%s-%d-%d", prefix, envSeq.Add(1), time.Now().UnixNano()%100000)
	t.Cleanup(func() { e.run(nil, RunOpts{Timeout: 60 * time.Second}, "rm", "-f", "-t", "0", "--ignore", n) })
	return n
}

func expectExit(t testing.TB, r *Result, code int) {
	t.Helper()
	if r.ExitCode != code {
		t.Errorf("want exit code %d, got %d: %s", code, r.ExitCode, r.describe())
	}
}

func expectStdout(t testing.TB, r *Result, want string) {
	t.Helper()
	if r.Stdout != want {
		t.Errorf("want stdout %q, got %q: %s", want, r.Stdout, r.describe())
	}
}

// progressRe matches the informational lines an engine may print on stderr while pulling.
var progressRe = regexp.MustCompile(`^(Resolving|Trying to pull|Getting image source signatures|Copying (blob|config)|Writing manifest|Storing signatures|Resolved )`)

// expectErrorLine checks the error report: exactly one "Error: ..." line on stderr, holding
// every want substring (case-insensitive). pod must print nothing else but pull progress and,
// for flag errors, a "See '... --help'" hint; podman's extra warnings are tolerated.
func expectErrorLine(t testing.TB, r *Result, want ...string) {
	t.Helper()
	var errs, other []string
	for _, l := range splitLines(r.Stderr) {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "Error: "):
			errs = append(errs, l)
		case progressRe.MatchString(l), strings.HasPrefix(l, "See '"), strings.HasPrefix(l, "Try '"):
		default:
			other = append(other, l)
		}
	}
	if len(errs) != 1 {
		t.Errorf("want exactly one \"Error: ...\" line on stderr, got %d: %s", len(errs), r.describe())
		return
	}
	if len(other) > 0 && !cfg.podman {
		t.Errorf("stderr holds more than the error line: %q: %s", other, r.describe())
	}
	for _, w := range want {
		if !strings.Contains(strings.ToLower(errs[0]), strings.ToLower(w)) {
			t.Errorf("error line %q does not mention %q", errs[0], w)
		}
	}
}

// skipUnderPodman skips checks of pod-only behaviour when validating against podman.
func skipUnderPodman(t testing.TB, why string) {
	t.Helper()
	if cfg.podman {
		t.Skipf("not applicable to podman: %s", why)
	}
}

// waitFor polls cond every 100ms until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitLog waits until the container's log holds s.
func (e *Env) waitLog(t testing.TB, ctr, s string) {
	t.Helper()
	ok := waitFor(30*time.Second, func() bool {
		r := e.run(nil, RunOpts{Timeout: 30 * time.Second}, "logs", ctr)
		return strings.Contains(r.Stdout, s)
	})
	if !ok {
		t.Fatalf("container %s never logged %q: %s", ctr, s, e.run(nil, RunOpts{}, "logs", ctr).describe())
	}
}

// state returns `inspect --format '{{.State.Status}}'` of a container.
func (e *Env) state(t testing.TB, ctr string) string {
	t.Helper()
	return e.MustPod(t, "inspect", "--format", "{{.State.Status}}", ctr).Out()
}

// containerIDs returns the full ids of all containers.
func (e *Env) containerIDs(t testing.TB) []string {
	t.Helper()
	return e.MustPod(t, "ps", "-a", "-q", "--no-trunc").Lines()
}

// containerMounts returns the lines of the pause process' mount table that are container
// root filesystems or per-container mounts below the environment's HOME.
func (e *Env) containerMounts(t testing.TB) []string {
	t.Helper()
	pid := e.PausePID()
	if pid == 0 {
		t.Fatalf("no pause process recorded in %s", e.PauseFile())
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		t.Fatalf("reading mount table of pause process %d: %v", pid, err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 10 {
			continue
		}
		mnt := f[4]
		sep := 6
		for sep < len(f) && f[sep] != "-" {
			sep++
		}
		fstype := ""
		if sep+1 < len(f) {
			fstype = f[sep+1]
		}
		if !strings.HasPrefix(mnt, e.Home+"/") && !strings.HasPrefix(mnt, e.RunDir+"/") {
			continue
		}
		if strings.HasSuffix(mnt, "/merged") || strings.HasSuffix(mnt, "/rootfs") || fstype == "overlay" ||
			strings.HasPrefix(fstype, "fuse") || strings.Contains(mnt, "/userdata/") {
			out = append(out, mnt+" ("+fstype+")")
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
