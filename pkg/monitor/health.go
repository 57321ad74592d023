package monitor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/procfs"
)

// maxHealthOutput is how much of a check's output the health log keeps.
const maxHealthOutput = 4096

// reaper hands the exit status of the monitor's other children (health
// check runtimes) to whoever waits for them: the container's wait loop
// reaps every child.
type reaper struct {
	mu      sync.Mutex
	waiting map[int]chan unix.WaitStatus
	early   map[int]unix.WaitStatus // reaped before anyone waited
}

func (r *reaper) reaped(pid int, ws unix.WaitStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch, ok := r.waiting[pid]; ok {
		ch <- ws
		delete(r.waiting, pid)
		return
	}
	if r.early == nil {
		r.early = map[int]unix.WaitStatus{}
	}
	if len(r.early) < 64 {
		r.early[pid] = ws
	}
}

// wait returns a channel that receives pid's status.
func (r *reaper) wait(pid int) <-chan unix.WaitStatus {
	ch := make(chan unix.WaitStatus, 1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if ws, ok := r.early[pid]; ok {
		delete(r.early, pid)
		ch <- ws
		return ch
	}
	if r.waiting == nil {
		r.waiting = map[int]chan unix.WaitStatus{}
	}
	r.waiting[pid] = ch
	return ch
}

// healthChecker runs the container's health check on its interval, keeps
// the health file, and acts on an unhealthy container. A nil
// *healthChecker does nothing.
type healthChecker struct {
	m       *monitor
	hc      *protocol.Healthcheck
	process string // the check's process spec file
	logFile string

	mu      sync.Mutex
	state   protocol.HealthState
	started time.Time // of the container's current run
	paused  bool
	restart bool // the restart action fired: restart whatever the policy
	done    chan struct{}
}

// startHealth starts the checks of a container that has one.
func startHealth(m *monitor) *healthChecker {
	hc := m.opts.Healthcheck
	if hc == nil || len(hc.Command()) == 0 {
		return nil
	}
	h := &healthChecker{m: m, hc: hc, done: make(chan struct{}), started: time.Now(),
		process: filepath.Join(m.tmpDir, "health.json"), logFile: filepath.Join(m.tmpDir, "health.log")}
	if err := h.writeProcess(); err != nil {
		m.dbg.printf("health check: %v", err)
		return nil
	}
	h.state = protocol.HealthState{Status: protocol.HealthStarting, Log: []protocol.HealthResult{}}
	h.save()
	if hc.Interval > 0 {
		go h.loop()
	}
	return h
}

// writeProcess writes the check's process spec: the container's process
// with the check's command and no terminal.
func (h *healthChecker) writeProcess() error {
	data, err := os.ReadFile(filepath.Join(h.m.opts.Bundle, "config.json"))
	if err != nil {
		return err
	}
	var spec struct {
		Process map[string]any `json:"process"`
	}
	if err := json.Unmarshal(data, &spec); err != nil || spec.Process == nil {
		return fmt.Errorf("bundle config: no process (%v)", err)
	}
	spec.Process["args"] = h.hc.Command()
	spec.Process["terminal"] = false
	delete(spec.Process, "consoleSize")
	out, err := json.Marshal(spec.Process)
	if err != nil {
		return err
	}
	return os.WriteFile(h.process, out, 0o600)
}

func (h *healthChecker) loop() {
	t := time.NewTicker(h.hc.Interval)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		}
		h.mu.Lock()
		paused := h.paused
		h.mu.Unlock()
		// A container paused by `pod pause` (SIGSTOP) is not checked:
		// its processes could not answer. Nor is one that exited and is
		// not restarted yet (no pid).
		if pid := h.m.containerPid(); !paused && pid > 0 && !procfs.Stopped(pid) {
			h.check()
		}
	}
}

// check runs the check once, records the result and acts on it.
func (h *healthChecker) check() {
	res := h.run()
	h.mu.Lock()
	inStart := time.Since(h.started) < h.hc.StartPeriod
	h.state.Record(res, max(h.hc.Retries, 1), inStart)
	unhealthy := h.state.Status == protocol.HealthUnhealthy
	h.mu.Unlock()
	h.save()
	if unhealthy {
		h.act()
	}
}

// run executes the check with the runtime and kills it at its timeout.
func (h *healthChecker) run() (res protocol.HealthResult) {
	res.Start = time.Now()
	defer func() { res.End = time.Now() }()
	r, w, err := os.Pipe()
	if err != nil {
		res.ExitCode, res.Output = 125, err.Error()
		return res
	}
	pidFile := filepath.Join(h.m.tmpDir, "health.pid")
	os.Remove(pidFile)
	cmd := h.m.rt.ExecCommand(h.m.opts.ID, ociruntime.ExecOptions{ProcessFile: h.process, LogFile: h.logFile, PidFile: pidFile})
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		res.ExitCode, res.Output = 125, err.Error()
		return res
	}
	exited := h.m.reaper.wait(cmd.Process.Pid)
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&limitWriter{&out, maxHealthOutput}, r)
		r.Close()
		close(copied)
	}()
	timeout := h.hc.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	var ws unix.WaitStatus
	select {
	case ws = <-exited:
	case <-time.After(timeout):
		// Kill the check's process, then the runtime waiting for it.
		if pid, err := readPidFile(pidFile); err == nil {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		res.ExitCode = 1
		res.Output = fmt.Sprintf("health check timed out after %v", timeout)
		return res
	}
	select {
	case <-copied:
	case <-time.After(time.Second):
	}
	res.ExitCode = exitCode(ws)
	res.Output = out.String()
	return res
}

// act carries out --health-on-failure on an unhealthy container.
func (h *healthChecker) act() {
	switch h.hc.OnFailure {
	case protocol.HealthActionKill, protocol.HealthActionStop:
		if h.hc.OnFailure == protocol.HealthActionStop && h.m.opts.StopMarker != "" {
			_ = os.WriteFile(h.m.opts.StopMarker, nil, 0o600)
		}
		sig := unix.SIGKILL
		if h.hc.OnFailure == protocol.HealthActionStop {
			sig = unix.SIGTERM
		}
		h.m.dbg.printf("health check: unhealthy: %s", h.hc.OnFailure)
		h.m.signalContainer(sig)
	case protocol.HealthActionRestart:
		h.mu.Lock()
		h.restart = true
		h.mu.Unlock()
		h.m.dbg.printf("health check: unhealthy: restart")
		h.m.signalContainer(unix.SIGKILL)
	}
}

func (h *healthChecker) save() {
	if h.m.opts.HealthFile == "" {
		return
	}
	h.mu.Lock()
	data, err := json.Marshal(h.state)
	h.mu.Unlock()
	if err == nil {
		err = fsutil.ReplaceFile(h.m.opts.HealthFile, data, 0o600)
	}
	if err != nil {
		h.m.dbg.printf("write health file: %v", err)
	}
}

// takeRestart reports (once) whether the restart action fired.
func (h *healthChecker) takeRestart() bool {
	if h == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.restart
	h.restart = false
	return r
}

// pause stops the checks while the container is restarted.
func (h *healthChecker) pause() {
	if h != nil {
		h.mu.Lock()
		h.paused = true
		h.mu.Unlock()
	}
}

// resume starts them again for the new run: starting, start period anew.
func (h *healthChecker) resume() {
	if h == nil {
		return
	}
	h.mu.Lock()
	h.paused, h.started = false, time.Now()
	h.state.Status, h.state.FailingStreak = protocol.HealthStarting, 0
	h.mu.Unlock()
	h.save()
}

func (h *healthChecker) stop() {
	if h != nil {
		close(h.done)
	}
}

// limitWriter keeps the first n bytes and drops the rest.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		_, _ = l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
