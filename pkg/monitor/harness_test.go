package monitor

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envTestMain makes the test binary run as a monitor ("1") or print
// tunError ("tun"); see TestMain.
const envTestMain = "POD_MONITOR_TEST_MAIN"

func TestMain(m *testing.M) {
	switch os.Getenv(envTestMain) {
	case "1":
		os.Exit(Run(os.Args[1:]))
	case "tun":
		if err := tunError(os.Getenv(EnvHostUser)); err != nil {
			fmt.Print(err)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeRuntime emulates an OCI runtime in the shell. create forks the
// container (the shell command in BUNDLE/cmd, under `unshare -n` when
// BUNDLE/netns exists) which waits on a fifo until start; BUNDLE/fail-create
// makes create fail with that message. Every call is appended to DIR/argv.
const fakeRuntime = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/argv"
root=/nonexistent log=/dev/null
while [ $# -gt 0 ]; do
	case "$1" in
	--root) root=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--log-format) shift 2 ;;
	--*) shift ;;
	*) break ;;
	esac
done
cmd=$1; shift
mkdir -p "$root"
case "$cmd" in
create|run)
	bundle= pidfile=
	while [ $# -gt 1 ]; do
		case "$1" in
		--bundle) bundle=$2; shift 2 ;;
		--pid-file) pidfile=$2; shift 2 ;;
		*) shift ;;
		esac
	done
	id=$1
	if [ -f "$bundle/fail-create" ]; then
		printf '{"msg":"%s","level":"error","time":"x"}\n' "$(cat "$bundle/fail-create")" >> "$log"
		echo "this goes to the container's stderr" >&2
		exit 1
	fi
	rm -f "$root/$id.fifo"
	mkfifo "$root/$id.fifo"
	wrap=
	[ -f "$bundle/netns" ] && wrap="unshare -n"
	# In a subshell, so that the container is re-parented to the monitor at
	# once and this script can never reap it (as a real runtime).
	(
	exec 3<&0
	$wrap sh -c 'read go < "$1"; exec sh -c "$2"' fake "$root/$id.fifo" "$(cat "$bundle/cmd")" <&3 3<&- &
	echo $! > "$pidfile"
	echo $! > "$root/$id.pid"
	)
	[ "$cmd" = run ] && echo go > "$root/$id.fifo"
	;;
start)
	[ -f "$root/$1.pid" ] || { echo "container does not exist" >&2; exit 1; }
	echo go > "$root/$1.fifo"
	;;
kill)
	kill -"$2" "$(cat "$root/$1.pid")"
	;;
delete)
	[ "$1" = --force ] && shift && kill -9 "$(cat "$root/$1.pid" 2>/dev/null)" 2>/dev/null
	[ -f "$root/$1.pid" ] || { echo "container does not exist" >&2; exit 1; }
	rm -f "$root/$1.pid" "$root/$1.fifo"
	;;
esac
exit 0
`

// cleanupScript records that the cleanup command ran.
const cleanupScript = `#!/bin/sh
echo "$@" > "$(dirname "$0")/cleanup-ran"
`

type harness struct {
	t      *testing.T
	dir    string // fake runtime, runtime root, cleanup script, argv
	bundle string
	opts   Options
	files  []*os.File // ExtraFiles of the monitor after sync and ctl
	wrap   []string   // command prefix, e.g. unshare
	cmd    *exec.Cmd
	ctlW   *os.File
	recs   chan SyncRecord
}

func newHarness(t *testing.T, containerCmd string) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), bundle: t.TempDir()}
	write := func(path, data string, mode os.FileMode) {
		if err := os.WriteFile(path, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(h.dir, "fakert"), fakeRuntime, 0o755)
	write(filepath.Join(h.dir, "cleanup"), cleanupScript, 0o755)
	write(filepath.Join(h.bundle, "cmd"), containerCmd, 0o644)
	h.opts = Options{
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
	h.recs = make(chan SyncRecord, 8)
	go func() {
		defer close(h.recs)
		sc := bufio.NewScanner(syncR)
		for sc.Scan() {
			var r SyncRecord
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
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
func (h *harness) record(timeout time.Duration) SyncRecord {
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
	return SyncRecord{}
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

func (h *harness) sendCtl(rec CtlRecord) {
	data, _ := json.Marshal(rec)
	if _, err := h.ctlW.Write(append(data, '\n')); err != nil {
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
