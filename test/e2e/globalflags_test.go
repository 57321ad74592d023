package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The global option tests check each option by its effect: --root/--runroot make a separate
// store (images, containers), --volumepath moves the volumes, --events-backend none writes
// no events, --runtime-flag reaches the runtime, --noout silences stdout, and the options pod
// cannot honour (remote connections, a bad log level, journald, systemd) fail with one line.

// TestGlobalRootIsolatesStore pulls and runs in a store given by --root/--runroot and checks
// that the default store sees none of it, and the other way round.
func TestGlobalRootIsolatesStore(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	root, runroot := filepath.Join(e.Home, "alt-root"), filepath.Join(e.RunDir, "alt-runroot")
	alt := func(args ...string) []string { return append([]string{"--root", root, "--runroot", runroot}, args...) }

	e.MustPod(t, "pull", "-q", "alpine")
	if r := e.MustPod(t, alt("images", "-q")...); r.Out() != "" {
		t.Fatalf("the new store lists images of the default one: %q", r.Out())
	}
	e.MustPod(t, alt("pull", "-q", "alpine:3.19.4")...)
	e.MustPod(t, alt("run", "--name", "alt-ctr", "alpine:3.19.4", "cat", "/etc/alpine-release")...)
	if r := e.MustPod(t, alt("ps", "-a", "--format", "{{.Names}}")...); r.Out() != "alt-ctr" {
		t.Errorf("ps -a in the new store: %q, want alt-ctr", r.Out())
	}
	if r := e.MustPod(t, "ps", "-a", "--format", "{{.Names}}"); r.Out() != "" {
		t.Errorf("the default store lists the new store's containers: %q", r.Out())
	}
	if r := e.MustPod(t, "images", "--format", "{{.Tag}}"); strings.Contains(r.Out(), "3.19.4") {
		t.Errorf("the default store lists the new store's image: %q", r.Out())
	}
	if r := e.MustPod(t, alt("logs", "alt-ctr")...); !strings.HasPrefix(r.Out(), "3.19") {
		t.Errorf("logs in the new store: %q", r.Out())
	}
	for _, p := range []string{root + "/pod/containers", root + "/overlay-images", runroot} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the new store lacks %s: %v", p, err)
		}
	}
	e.MustPod(t, alt("rm", "alt-ctr")...)
	// The monitor's cleanup of a detached --rm container finds it in the same store.
	e.MustPod(t, alt("run", "-d", "--rm", "--name", "alt-rm", "alpine:3.19.4", "true")...)
	if !waitFor(20*time.Second, func() bool { return e.MustPod(t, alt("ps", "-a", "-q")...).Out() == "" }) {
		t.Errorf("the detached --rm container of the new store was not removed: %q", e.MustPod(t, alt("ps", "-a")...).Out())
	}
	e.MustPod(t, alt("rmi", "alpine:3.19.4")...)
	if r := e.MustPod(t, "images", "-q"); r.Out() == "" {
		t.Error("removing the new store's image emptied the default store")
	}
}

// TestGlobalVolumepathAndEvents creates a volume under --volumepath, and checks that
// --events-backend none writes no event where the default writes them.
func TestGlobalVolumepathAndEvents(t *testing.T) {
	e := sharedEnv(t)
	dir := filepath.Join(e.Home, "alt-volumes")
	name := e.CtrName(t, "vp")
	e.MustPod(t, "--volumepath", dir, "volume", "create", name)
	t.Cleanup(func() { e.Pod(t, "--volumepath", dir, "volume", "rm", "-f", name) })
	if _, err := os.Stat(filepath.Join(dir, name, "_data")); err != nil {
		t.Errorf("--volumepath: %v", err)
	}
	if r := e.MustPod(t, "volume", "ls", "-q"); contains(r.Lines(), name) {
		t.Errorf("the default volume dir lists %s", name)
	}
	if r := e.MustPod(t, "--volumepath", dir, "volume", "ls", "-q"); !contains(r.Lines(), name) {
		t.Errorf("--volumepath volume ls: %q", r.Out())
	}

	ctr := e.CtrName(t, "noevents")
	e.MustPod(t, "--events-backend", "none", "create", "--name", ctr, "alpine", "true")
	if r := e.MustPod(t, "events", "--stream=false", "--filter", "container="+ctr); r.Out() != "" {
		t.Errorf("--events-backend none wrote events: %q", r.Out())
	}
	e.MustPod(t, "--events-backend", "file", "rm", ctr)
	if r := e.MustPod(t, "events", "--stream=false", "--filter", "container="+ctr); !strings.Contains(r.Out(), "remove") {
		t.Errorf("--events-backend file wrote no remove event: %q", r.Out())
	}
}

// TestGlobalRuntimeFlag passes a runtime option: one the runtime refuses fails the start
// naming it, one it knows runs.
func TestGlobalRuntimeFlag(t *testing.T) {
	e := sharedEnv(t)
	r := e.Pod(t, "--runtime-flag", "bogus-option", "run", "--rm", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "OCI runtime error")
	// The runtime's debug messages (crun: the syscalls its seccomp library does not
	// know) appear only with its --debug.
	r = e.MustPod(t, "run", "--rm", "alpine", "echo", "ok")
	quiet := r.Stderr
	r = e.MustPod(t, "--runtime-flag", "debug", "run", "--rm", "alpine", "echo", "ok")
	if r.Out() != "ok" || len(r.Stderr) <= len(quiet) {
		t.Errorf("--runtime-flag debug: stdout %q, stderr %q (without: %q)", r.Out(), r.Stderr, quiet)
	}
}

func TestGlobalNoout(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "--noout", "images")
	expectStdout(t, r, "")
	r = e.MustPod(t, "--noout", "--syslog", "--log-level", "warning", "run", "--rm", "alpine", "echo", "hi")
	expectStdout(t, r, "")
}

// TestGlobalLogLevel checks podman's levels and its refusal of a bad one (exit 1, no
// "Error:" prefix, before anything runs).
func TestGlobalLogLevel(t *testing.T) {
	e := sharedEnv(t)
	for _, lvl := range []string{"trace", "debug", "info", "warn", "warning", "error", "fatal", "panic"} {
		e.MustPod(t, "--log-level", lvl, "version")
	}
	r := e.MustPod(t, "--log-level", "debug", "ps")
	if !strings.Contains(r.Stderr, "level=debug") {
		t.Errorf("--log-level debug logs nothing: %s", r.describe())
	}
	for _, args := range [][]string{{"--log-level", "x", "ps"}, {"--log-level=x", "version"}} {
		r := e.Pod(t, args...)
		expectExit(t, r, 1)
		want := `Log Level "x" is not supported, choose from: trace, debug, info, warn, warning, error, fatal, panic`
		if strings.TrimSpace(r.Stderr) != want || r.Stdout != "" {
			t.Errorf("%q: stderr %q, want %q", args, r.Stderr, want)
		}
	}
}

// TestGlobalRefused checks the options pod parses but cannot honour.
func TestGlobalRefused(t *testing.T) {
	e := sharedEnv(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--remote", "ps"}, "remote connections are not supported"},
		{[]string{"-r", "ps"}, "remote connections are not supported"},
		{[]string{"--url", "unix:/run/podman/podman.sock", "ps"}, "remote connections are not supported"},
		{[]string{"--connection", "x", "ps"}, "remote connections are not supported"},
		{[]string{"-c", "x", "version"}, "remote connections are not supported"},
		{[]string{"--events-backend", "journald", "ps"}, "journald is not supported"},
		{[]string{"--cgroup-manager", "systemd", "ps"}, "systemd is not supported"},
		{[]string{"--hooks-dir", "/usr/share/containers/oci/hooks.d", "ps"}, "not supported yet: --hooks-dir"},
		{[]string{"--namespace", "ns1", "ps"}, "not supported yet: --namespace"},
		{[]string{"--storage-driver", "btrfs", "ps"}, "btrfs"},
		{[]string{"--conmon", "/nonexistent/conmon", "ps"}, "--conmon"},
	} {
		r := e.Pod(t, tt.args...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, tt.want)
	}
	// Accepted: the defaults given explicitly, and the remote-only SSH options.
	e.MustPod(t, "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--ssh", "native", "--identity", "/dev/null", "ps")
	r := e.MustPod(t, "-v")
	if !strings.Contains(r.Out(), "version") {
		t.Errorf("-v: %q", r.Out())
	}
	r = e.MustPod(t, "--help")
	if !strings.Contains(r.Stdout, "--runroot") || !strings.Contains(r.Stdout, "--tmpdir") {
		t.Errorf("--help lacks the global options: %q", r.Stdout)
	}
}
