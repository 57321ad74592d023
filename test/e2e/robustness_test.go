package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestParallelRunRm(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.MustPod(t, "run", "--rm", "alpine", "true")

	const n = 20
	results := make([]*Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.PodOpt(t, RunOpts{Timeout: 5 * time.Minute}, "run", "--rm", "alpine", "true")
		}()
	}
	wg.Wait()
	failed := 0
	for i, r := range results {
		if r.ExitCode != 0 || r.Stdout != "" {
			failed++
			t.Errorf("parallel run %d: %s", i, r.describe())
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d parallel runs failed", failed, n)
	}
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("parallel run --rm left containers: %q", ids)
	}
	if m := e.containerMounts(t); len(m) != 0 {
		t.Errorf("parallel run --rm left mounts: %q", m)
	}
}

// containerFiles returns the engine's own files (not the image store's) named base that
// belong to container id.
func containerFiles(e *Env, id, base string) []string {
	var out []string
	for _, root := range []string{filepath.Join(e.Home, ".local", "share", "pod"), filepath.Join(e.RunDir, "pod")} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p == filepath.Join(root, "storage") {
				return filepath.SkipDir
			}
			if !d.IsDir() && d.Name() == base && strings.Contains(p, id) {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

func TestCorruptState(t *testing.T) {
	skipUnderPodman(t, "podman keeps container state in a database, not in files")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	healthy := e.MustPod(t, "create", "--name", "healthy", "alpine", "true").Out()

	for _, file := range []string{"state.json", "config.json"} {
		t.Run(file, func(t *testing.T) {
			name := "corrupt-" + strings.TrimSuffix(file, ".json")
			e.MustPod(t, "run", "--name", name, "alpine", "true")
			id := e.MustPod(t, "inspect", "--format", "{{.Id}}", name).Out()
			paths := containerFiles(e, id, file)
			if len(paths) == 0 {
				t.Fatalf("no %s of container %s below %s/.local/share/pod or %s/pod", file, id, e.Home, e.RunDir)
			}
			for _, p := range paths {
				if err := os.WriteFile(p, []byte("{\"garbage\x00\xff"), 0o600); err != nil {
					t.Fatal(err)
				}
				os.Chown(p, e.User.uid, e.User.gid)
				t.Logf("corrupted %s", p)
			}

			oneLineOr0 := func(r *Result) {
				t.Helper()
				switch r.ExitCode {
				case 0:
				case 125:
					expectErrorLine(t, r)
					if !strings.Contains(r.Stderr, id[:12]) && !strings.Contains(r.Stderr, name) {
						t.Errorf("the error does not name the container (%s / %s): %q", name, id[:12], r.Stderr)
					}
				default:
					t.Errorf("want exit 0 or 125, got %d: %s", r.ExitCode, r.describe())
				}
			}
			r := e.Pod(t, "ps", "-a", "--format", "{{.Names}}")
			oneLineOr0(r)
			if r.ExitCode == 0 && !contains(r.Lines(), "healthy") {
				t.Errorf("ps -a lost the healthy container: %q", r.Stdout)
			}
			if got := e.MustPod(t, "inspect", "--format", "{{.Id}}", "healthy").Out(); got != healthy {
				t.Errorf("inspect healthy: %q", got)
			}
			e.MustPod(t, "run", "--rm", "alpine", "true")

			r = e.Pod(t, "rm", "-f", id)
			oneLineOr0(r)
			if r.ExitCode == 0 {
				if ids := e.containerIDs(t); contains(ids, id) {
					t.Errorf("rm -f reported success but %s is still listed", id)
				}
			}
		})
	}
	if m := e.containerMounts(t); len(m) != 0 {
		t.Errorf("mounts left: %q", m)
	}
}

func TestMissingSubuid(t *testing.T) {
	if len(cfg.user2.subuids) > 0 {
		t.Fatalf("user %s must have no /etc/subuid range: run `sudo bash test/setup.sh`", cfg.user2.name)
	}
	e := NewEnv(t, EnvOptions{User: cfg.user2})
	// Commands that need no user namespace work without a range.
	r := e.MustPod(t, "version")
	if r.Stderr != "" && !cfg.podman {
		t.Errorf("version needs no user namespace, yet wrote to stderr: %q", r.Stderr)
	}
	r = e.Pod(t, "run", "--rm", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "subuid")
	if !strings.Contains(r.Stderr, cfg.user2.name) && !cfg.podman {
		t.Errorf("the error should name the user %s: %q", cfg.user2.name, r.Stderr)
	}
}

func procAlive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

func TestPauseKilled(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.runSleeper(t, "survivor")
	pid := e.PausePID()
	if pid == 0 || !procAlive(pid) {
		t.Fatalf("no live pause process recorded in %s (pid %d)", e.PauseFile(), pid)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !waitFor(10*time.Second, func() bool { return !procAlive(pid) }) {
		t.Fatalf("pause process %d survived SIGKILL", pid)
	}

	r := e.MustPod(t, "ps", "-a", "--format", "{{.Names}} {{.Status}}")
	if !regexp.MustCompile(`(?m)^survivor Up `).MatchString(r.Stdout) {
		t.Errorf("after the pause process died, ps -a: %q, want \"survivor Up ...\"", r.Stdout)
	}
	if r.Stderr != "" {
		t.Errorf("recovering from a dead pause process should be silent, stderr: %q", r.Stderr)
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "again"), "again\n")
	if np := e.PausePID(); np == 0 || !procAlive(np) {
		t.Errorf("no live pause process after recovery (pid file %s: %d)", e.PauseFile(), np)
	}
	e.MustPod(t, "stop", "survivor")
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "survivor").Out(); got != "exited 0" {
		t.Errorf("stop of a container started before the pause process died: %q", got)
	}
	e.MustPod(t, "rm", "survivor")
	if m := e.containerMounts(t); len(m) != 0 {
		t.Errorf("mounts left: %q", m)
	}
}

func TestNoXDGRuntimeDir(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d", cfg.user.uid)); err == nil && cfg.podman {
		t.Skipf("podman uses /run/user/%d when it exists (test/demo.sh creates it)", cfg.user.uid)
	}
	e := NewEnv(t, EnvOptions{NoXDG: true})
	// A leftover from an earlier run would hide what the engine creates.
	killEnvProcesses(e)
	os.RemoveAll(e.RunDir)

	if !cfg.podman {
		// Refused when someone else owns it.
		if err := os.Mkdir(e.RunDir, 0o700); err != nil {
			t.Fatal(err)
		}
		r := e.Pod(t, "run", "--rm", "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, e.RunDir)
		os.RemoveAll(e.RunDir)
	}

	r := e.MustPod(t, "run", "--rm", "alpine", "echo", "ok")
	expectStdout(t, r, "ok\n")
	st, err := os.Stat(e.RunDir)
	if err != nil {
		t.Fatalf("the engine did not use %s: %v", e.RunDir, err)
	}
	if sys := st.Sys().(*syscall.Stat_t); int(sys.Uid) != e.User.uid || st.Mode().Perm() != 0o700 {
		t.Errorf("%s: owner %d mode %v, want %d and 0700", e.RunDir, sys.Uid, st.Mode().Perm(), e.User.uid)
	}
	if e.PausePID() == 0 {
		t.Errorf("no pause process recorded in %s", e.PauseFile())
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "again"), "again\n")
}

func TestStorageDrivers(t *testing.T) {
	for _, driver := range []string{"overlay", "fuse-overlayfs", "vfs"} {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			e := NewEnv(t, EnvOptions{Driver: driver})
			expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "ok"), "ok\n")
			want := map[string]string{"overlay": "overlay", "fuse-overlayfs": "overlay", "vfs": "vfs"}[driver]
			expectStdout(t, e.MustPod(t, "info", "--format", "{{.Store.GraphDriverName}}"), want+"\n")

			e.runSleeper(t, "mounted")
			fstype := map[string]string{"overlay": "(overlay)", "fuse-overlayfs": "(fuse.fuse-overlayfs)"}[driver]
			if fstype != "" {
				m := e.containerMounts(t)
				if !strings.Contains(strings.Join(m, "\n"), fstype) {
					t.Errorf("a running container should have a %s root filesystem; container mounts: %q", fstype, m)
				}
			}
			e.MustPod(t, "rm", "-f", "-t", "0", "mounted")
			if m := e.containerMounts(t); len(m) != 0 {
				t.Errorf("mounts left after rm -f: %q", m)
			}
		})
	}
}

func TestRuntimes(t *testing.T) {
	for _, runtime := range []string{"crun", "runc"} {
		t.Run(runtime, func(t *testing.T) {
			t.Parallel()
			if runtime == "crun" && cfg.podman {
				t.Skip("podman 4.3 runs crun 1.8 without masking the hybrid cgroup tree; crun refuses it here")
			}
			e := NewEnv(t, EnvOptions{Runtime: runtime})
			expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "echo", "ok"), "ok\n")
			e.MustPod(t, "create", "--name", "rt", "alpine", "sh", "-c", "exit 3")
			if got := e.MustPod(t, "inspect", "--format", "{{.OCIRuntime}}", "rt").Out(); got != runtime {
				t.Errorf("inspect {{.OCIRuntime}} = %q, want %s", got, runtime)
			}
			expectExit(t, e.Pod(t, "start", "-a", "rt"), 3)
			e.runSleeper(t, "sleeper")
			e.MustPod(t, "stop", "sleeper")
			expectStdout(t, e.MustPod(t, "wait", "sleeper"), "0\n")
			expectExit(t, e.Pod(t, "run", "--rm", "alpine", "nosuchcmd"), 127)
		})
	}
}

// Without newuidmap on PATH the engine cannot map the user namespace: one
// line naming the program and the package that provides it.
func TestMissingNewuidmap(t *testing.T) {
	skipUnderPodman(t, "podman's message names other files")
	e := NewEnv(t, EnvOptions{})
	// Only pod's own directory on PATH: newuidmap (in /usr/bin) is not found.
	r := e.PodOpt(t, RunOpts{Env: []string{"PATH=" + cfg.binDir}}, "ps", "-a")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "newuidmap", "uidmap")
	if e.PausePID() != 0 {
		t.Errorf("a pause process was recorded although the namespace could not be made")
	}
	// With PATH back, the same environment works.
	e.MustPod(t, "ps", "-a")
}
