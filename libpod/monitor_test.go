package libpod

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/monitortest"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/procfs"
)

// testBinDir holds binaries built for the tests; TestMain removes it.
var testBinDir string

func TestMain(m *testing.M) {
	if os.Getenv(envSignalHoldChild) != "" {
		signalHoldChild()
		return
	}
	dir, err := os.MkdirTemp("", "libpod-test-bin-")
	if err != nil {
		panic(err)
	}
	testBinDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildMonitor builds cmd/pod-monitor once per test binary.
var buildMonitor = sync.OnceValues(func() (string, error) {
	out := filepath.Join(testBinDir, "pod-monitor")
	cmd := exec.Command("go", "build", "-o", out, "github.com/pod-engine/pod/cmd/pod-monitor")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New(string(b))
	}
	return out, nil
})

// monitorCase is one real pod-monitor driven from libpod's side, with the
// fake OCI runtime of package monitortest running containerCmd.
type monitorCase struct {
	dir  string // fake runtime, its state, the cleanup script
	opts protocol.Options
}

func newMonitorCase(t *testing.T, containerCmd string) (*monitorCase, string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH: cannot build pod-monitor")
	}
	monitor, err := buildMonitor()
	if err != nil {
		t.Fatalf("build pod-monitor: %v", err)
	}
	dir, bundle := t.TempDir(), t.TempDir()
	for path, data := range map[string]string{
		filepath.Join(dir, "fakert"):  monitortest.FakeRuntime,
		filepath.Join(dir, "cleanup"): monitortest.CleanupScript,
		filepath.Join(bundle, "cmd"):  containerCmd,
	} {
		if err := os.WriteFile(path, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mc := &monitorCase{dir: dir, opts: protocol.Options{
		ID:          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Runtime:     filepath.Join(dir, "fakert"),
		RuntimeRoot: filepath.Join(dir, "root"),
		Bundle:      bundle,
		PidFile:     filepath.Join(bundle, "pidfile"),
		ExitFile:    filepath.Join(bundle, "exit"),
		LogPath:     filepath.Join(bundle, "ctr.log"),
		DebugLog:    filepath.Join(bundle, "debug.log"),
		Network:     protocol.NetworkNone,
		HostUser:    "tester",
		Cleanup:     []string{filepath.Join(dir, "cleanup"), "container", "cleanup", "x"},
	}}
	t.Cleanup(func() {
		if t.Failed() {
			data, _ := os.ReadFile(mc.opts.DebugLog)
			t.Logf("monitor debug log:\n%s", data)
		}
	})
	return mc, monitor
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// Every record type crosses the real process boundary: started, resize,
// exit and cleaned; the exit file the monitor writes reads back as the
// exit record said.
func TestMonitorProtocolForeground(t *testing.T) {
	mc, monitor := newMonitorCase(t, "echo out; echo err >&2; read go; exit 3")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mc.opts.Stdin = true
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer outR.Close()
	sess, err := startMonitor(monitor, "fg", mc.opts, [3]*os.File{r, outW, outW})
	r.Close()
	outW.Close()
	if err != nil {
		t.Fatal(err)
	}
	cleanedByCLI := false
	sess.cleanup = func() error { cleanedByCLI = true; return nil }
	if reported, err := sess.waitStarted(10 * time.Second); err != nil || reported {
		t.Fatalf("waitStarted: %v (reported %v)", err, reported)
	}
	if sess.Pid() <= 0 || !procfs.Alive(sess.Pid(), 0) {
		t.Fatalf("started record pid %d is not a live process", sess.Pid())
	}
	sess.Resize(33, 101)
	waitFor(t, "the resize record in the monitor's log", func() bool {
		data, _ := os.ReadFile(mc.opts.DebugLog)
		return strings.Contains(string(data), `ctl: {"type":"resize","rows":33,"cols":101}`)
	})
	w.Write([]byte("go\n"))
	w.Close()
	code, err := sess.Wait()
	if err != nil || code != 3 {
		t.Fatalf("Wait = %d, %v; want 3", code, err)
	}
	data, err := os.ReadFile(mc.opts.ExitFile)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := protocol.ParseExitFile(data)
	if err != nil || ex.ExitCode != 3 || ex.Time().IsZero() || time.Since(ex.Time()) > time.Minute {
		t.Fatalf("exit file %+v, %v", ex, err)
	}
	pid := sess.cmd.Process.Pid
	if err := sess.Finish(); err != nil || !cleanedByCLI {
		t.Fatalf("Finish: %v (cleanup ran in the CLI: %v)", err, cleanedByCLI)
	}
	waitFor(t, "the monitor to exit", func() bool { return !procfs.Alive(pid, 0) })
	if debug, _ := os.ReadFile(mc.opts.DebugLog); !strings.Contains(string(debug), "cleanup done by the CLI") {
		t.Errorf("the monitor did not take the cleaned record:\n%s", debug)
	}
	if _, err := os.Stat(filepath.Join(mc.dir, "cleanup-ran")); err == nil {
		t.Error("the monitor ran the cleanup command although the CLI said cleaned")
	}
	out := make([]byte, 64)
	n, _ := outR.Read(out)
	if got := string(out[:n]); !strings.Contains(got, "out\n") || !strings.Contains(got, "err\n") {
		t.Errorf("attached output %q", got)
	}
}

// A detached container: the CLI lets go of the monitor, which then runs the
// cleanup command itself once the container exits.
func TestMonitorProtocolDetached(t *testing.T) {
	mc, monitor := newMonitorCase(t, "exit 0")
	sess, err := startMonitor(monitor, "bg", mc.opts, [3]*os.File{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.waitStarted(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	sess.Detach()
	ran := filepath.Join(mc.dir, "cleanup-ran")
	waitFor(t, "the monitor's cleanup command", func() bool {
		data, err := os.ReadFile(ran)
		return err == nil && string(data) == "container cleanup x\n"
	})
	data, _ := os.ReadFile(mc.opts.ExitFile)
	if ex, err := protocol.ParseExitFile(data); err != nil || ex.ExitCode != 0 {
		t.Errorf("exit file %q: %+v, %v", data, ex, err)
	}
}

// The error record becomes the sentinel the edge maps to podman's codes.
func TestMonitorProtocolErrorRecord(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want error
	}{
		{"executable file `nosuchcmd` not found in $PATH: No such file or directory", define.ErrCmdNotFound},
		{"open executable: Permission denied", define.ErrCmdPermission},
		{"cgroups in hybrid mode not supported", define.ErrRuntime},
	} {
		mc, monitor := newMonitorCase(t, "exit 0")
		if err := os.WriteFile(filepath.Join(mc.opts.Bundle, "fail-create"), []byte(tc.msg), 0o644); err != nil {
			t.Fatal(err)
		}
		sess, err := startMonitor(monitor, "broken", mc.opts, [3]*os.File{})
		if err != nil {
			t.Fatal(err)
		}
		reported, err := sess.waitStarted(10 * time.Second)
		if !reported || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: waitStarted = %v (reported %v), want %v with the runtime's message", tc.msg, err, reported, tc.want)
		}
		if sess.cmd.ProcessState == nil || sess.cmd.ProcessState.ExitCode() != 1 {
			t.Errorf("%q: monitor not reaped with status 1: %v", tc.msg, sess.cmd.ProcessState)
		}
	}
}

// Bad options never start a container: the monitor reports them as an
// error record with pod's own code.
func TestMonitorProtocolBadOptions(t *testing.T) {
	mc, monitor := newMonitorCase(t, "exit 0")
	mc.opts.Bundle = ""
	sess, err := startMonitor(monitor, "bad", mc.opts, [3]*os.File{})
	if err != nil {
		t.Fatal(err)
	}
	reported, err := sess.waitStarted(10 * time.Second)
	if !reported || !errors.Is(err, define.ErrRuntime) || !strings.Contains(err.Error(), "--bundle is required") {
		t.Errorf("waitStarted = %v (reported %v)", err, reported)
	}
}

// The monitor restarts a failing container as on-failure:2 says, counts
// the restarts, writes the exit file only after the last run, and serves
// attach clients across the runs: output frames, then the exit frame.
func TestMonitorRestartAndAttachSocket(t *testing.T) {
	mc, monitor := newMonitorCase(t, `echo run; sleep 0.3; exit 3`)
	mc.opts.RestartPolicy, mc.opts.RestartRetries = protocol.RestartOnFailure, 2
	mc.opts.RestartFile = filepath.Join(mc.dir, "restarts")
	mc.opts.StopMarker = filepath.Join(mc.dir, "stopped")
	mc.opts.AttachSocket = filepath.Join(mc.dir, "attach")
	sess, err := startMonitor(monitor, "restarting", mc.opts, [3]*os.File{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.waitStarted(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	sess.Detach()
	conn, err := protocol.DialAttach(mc.opts.AttachSocket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var out strings.Builder
	code := -100
	buf := make([]byte, protocol.MaxFrame)
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			switch buf[0] {
			case protocol.FrameStdout:
				out.Write(buf[1:n])
			case protocol.FrameExit:
				code, _ = protocol.ParseExit(buf[1:n])
			}
		}
		if err != nil || n == 0 {
			break
		}
	}
	if code != 3 {
		t.Errorf("exit frame %d, want 3", code)
	}
	if got := strings.Count(out.String(), "run\n"); got < 2 {
		t.Errorf("the attach client saw %d runs (%q), want the restarts' output too", got, out.String())
	}
	if data, _ := os.ReadFile(mc.opts.RestartFile); string(data) != "2" {
		t.Errorf("restart count %q, want 2", data)
	}
	data, _ := os.ReadFile(mc.opts.LogPath)
	if got := strings.Count(string(data), " stdout F run"); got != 3 {
		t.Errorf("the log holds %d runs, want 3:\n%s", got, data)
	}
	if ex, err := protocol.ParseExitFile(mustRead(t, mc.opts.ExitFile)); err != nil || ex.ExitCode != 3 {
		t.Errorf("exit file %+v, %v", ex, err)
	}
	mc.waitCleanup(t)
}

// waitCleanup waits for the monitor of a detached session to run its
// cleanup command, its last write into the test's directories.
func (mc *monitorCase) waitCleanup(t *testing.T) {
	t.Helper()
	waitFor(t, "the monitor's cleanup command", func() bool {
		_, err := os.Stat(filepath.Join(mc.dir, "cleanup-ran"))
		return err == nil
	})
}

// A container the user stopped (the stop marker) is not restarted.
func TestMonitorNoRestartAfterStop(t *testing.T) {
	mc, monitor := newMonitorCase(t, `exit 1`)
	mc.opts.RestartPolicy = protocol.RestartAlways
	mc.opts.StopMarker = filepath.Join(mc.dir, "stopped")
	if err := os.WriteFile(mc.opts.StopMarker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sess, err := startMonitor(monitor, "stopped", mc.opts, [3]*os.File{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.waitStarted(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	code, err := sess.Wait()
	if err != nil || code != 1 {
		t.Fatalf("Wait = %d, %v", code, err)
	}
	sess.Detach()
	mc.waitCleanup(t)
	if argv, _ := os.ReadFile(filepath.Join(mc.dir, "argv")); strings.Count(string(argv), " run ")+strings.Count(string(argv), " create ") != 1 {
		t.Errorf("the runtime was asked to start the container more than once:\n%s", argv)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
