package monitor

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pod-engine/pod/pkg/monitor/monitortest"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// envTestMain makes the test binary run as a monitor ("1") or print
// tunError ("tun"); see TestMain.
const envTestMain = "POD_MONITOR_TEST_MAIN"

func TestMain(m *testing.M) {
	switch os.Getenv(envTestMain) {
	case "1":
		os.Exit(Run(os.Args[1:]))
	case "tun":
		if err := tunError(os.Getenv(protocol.EnvHostUser)); err != nil {
			fmt.Print(err)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type harness struct {
	t      *testing.T
	dir    string // fake runtime, runtime root, cleanup script, argv
	bundle string
	opts   protocol.Options
	files  []*os.File // ExtraFiles of the monitor after sync and ctl
	wrap   []string   // command prefix, e.g. unshare
	cmd    *exec.Cmd
	ctlW   *os.File
	recs   chan protocol.SyncRecord
}

func newHarness(t *testing.T, containerCmd string) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), bundle: t.TempDir()}
	write := func(path, data string, mode os.FileMode) {
		if err := os.WriteFile(path, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(h.dir, "fakert"), monitortest.FakeRuntime, 0o755)
	write(filepath.Join(h.dir, "cleanup"), monitortest.CleanupScript, 0o755)
	write(filepath.Join(h.bundle, "cmd"), containerCmd, 0o644)
	h.opts = protocol.Options{
		ID:          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Runtime:     filepath.Join(h.dir, "fakert"),
		RuntimeRoot: filepath.Join(h.dir, "root"),
		Bundle:      h.bundle,
		PidFile:     filepath.Join(h.bundle, "pidfile"),
		ExitFile:    filepath.Join(h.bundle, "exit"),
		LogPath:     filepath.Join(h.bundle, "ctr.log"),
		DebugLog:    filepath.Join(h.bundle, "debug.log"),
		Cleanup:     []string{filepath.Join(h.dir, "cleanup"), "container", "cleanup", "x"},
	}
	return h
}

// start runs the monitor in a subprocess with sync and ctl pipes (fds 3
// and 4) and h.files as fds 5, 6, ...
func (h *harness) start() {
	t := h.t
	t.Helper()
	syncR, syncW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ctlR, ctlW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	h.opts.SyncFD, h.opts.CtlFD = 3, 4
	argv := append(append(h.wrap[:len(h.wrap):len(h.wrap)], os.Args[0]), h.opts.Args()...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), envTestMain+"=1")
	cmd.Env = append(cmd.Env, h.opts.Env()...)
	cmd.ExtraFiles = append([]*os.File{syncW, ctlR}, h.files...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	syncW.Close()
	ctlR.Close()
	h.cmd, h.ctlW = cmd, ctlW
	h.recs = make(chan protocol.SyncRecord, 8)
	go func() {
		defer close(h.recs)
		sc := bufio.NewScanner(syncR)
		for sc.Scan() {
			r, err := protocol.DecodeSync(sc.Bytes())
			if err != nil {
				t.Errorf("bad sync record %q: %v", sc.Text(), err)
				continue
			}
			h.recs <- r
		}
		syncR.Close()
	}()
	t.Cleanup(func() {
		ctlW.Close()
		if cmd.ProcessState == nil {
			// Let the monitor finish (it runs the cleanup script, which
			// writes into the test's directories) before they are removed.
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		}
		if t.Failed() {
			data, _ := os.ReadFile(h.opts.DebugLog)
			t.Logf("monitor debug log:\n%s", data)
		}
	})
}

// record waits for the next sync record.
func (h *harness) record(timeout time.Duration) protocol.SyncRecord {
	h.t.Helper()
	select {
	case r, ok := <-h.recs:
		if !ok {
			h.t.Fatal("sync pipe closed without a record")
		}
		return r
	case <-time.After(timeout):
		h.t.Fatalf("no sync record after %v", timeout)
	}
	return protocol.SyncRecord{}
}

// wait waits for the monitor to exit and returns its exit status.
func (h *harness) wait(timeout time.Duration) int {
	h.t.Helper()
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case <-done:
		return h.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		h.t.Fatalf("monitor still running after %v", timeout)
	}
	return -1
}

func (h *harness) sendCtl(rec protocol.CtlRecord) {
	data, err := protocol.Encode(rec)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.ctlW.Write(data); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) readFile(name string) string {
	data, err := os.ReadFile(name)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(data)
}

func (h *harness) runtimeCalls() []string {
	data, _ := os.ReadFile(filepath.Join(h.dir, "argv"))
	var calls []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(l)
		// drop "--root DIR [--log F --log-format json]"
		for len(f) > 1 && strings.HasPrefix(f[0], "--") {
			f = f[2:]
		}
		if len(f) > 0 {
			calls = append(calls, f[0])
		}
	}
	return calls
}
