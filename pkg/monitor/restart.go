package monitor

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// Restart backoff: the delay doubles with each exit that follows its start
// by less than stableRun, from restartDelay up to maxRestartDelay.
const (
	restartDelay    = 100 * time.Millisecond
	maxRestartDelay = time.Minute
	stableRun       = 10 * time.Second
	stopPoll        = 100 * time.Millisecond
	reattachTimeout = time.Minute
)

// restartAfter decides, after the container exited with code having run
// for ran, whether its restart policy (or a health check's restart action)
// starts it again, waits out the backoff and restarts it. It reports
// whether the container runs again; false means the exit stands.
func (m *monitor) restartAfter(code int, ran time.Duration) bool {
	o := m.opts
	forced := m.health.takeRestart()
	if !forced && !protocol.ShouldRestart(o.RestartPolicy, o.RestartRetries, m.restarts, code) {
		return false
	}
	if m.stopRequested() {
		return false
	}
	if ran >= stableRun {
		m.fastFails = 0
	}
	delay := maxRestartDelay
	if m.fastFails < 10 {
		delay = min(restartDelay<<m.fastFails, maxRestartDelay)
	}
	m.fastFails++
	m.dbg.printf("container exited with %d: restart %d in %v", code, m.restarts+1, delay)
	m.health.pause()
	m.stopInput.Store(true)
	m.drain()
	for _, f := range m.outputs {
		f.Close()
	}
	m.outputs = nil
	if m.stdinKeep != nil {
		m.stdinKeep.Close()
		m.stdinKeep = nil
	}
	m.deleteContainer()
	if m.netns == "" && m.net != nil {
		// slirp4netns served the old process's namespace.
		m.net.kill()
		m.net.stop(m.dbg)
		m.net = nil
	}
	for deadline := time.Now().Add(delay); time.Now().Before(deadline); time.Sleep(stopPoll) {
		if m.stopRequested() {
			return false
		}
	}
	m.reattach()
	if err := m.launch(); err != nil {
		m.dbg.printf("restart failed: %v", err)
		return false
	}
	m.restarts++
	if o.RestartFile != "" {
		if err := fsutil.ReplaceFile(o.RestartFile, []byte(strconv.Itoa(m.restarts)), 0o600); err != nil {
			m.dbg.printf("write restart count: %v", err)
		}
	}
	m.health.resume()
	return true
}

// stopRequested reports whether the user stopped the container: its stop
// marker exists.
func (m *monitor) stopRequested() bool {
	if m.opts.StopMarker == "" {
		return false
	}
	_, err := os.Stat(m.opts.StopMarker)
	return err == nil
}

// reattach runs the reattach command (a container on user networks) before
// a restart: it plugs the container back into its networks when what
// served them is gone. A failure is logged and the restart goes on: the
// restart policy is about the process.
func (m *monitor) reattach() {
	argv := m.opts.Reattach
	if len(argv) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), reattachTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if f := m.dbg.file(); f != nil {
		cmd.Stdout, cmd.Stderr = f, f
	}
	m.dbg.printf("reattach: %s", strings.Join(argv, " "))
	if err := cmd.Run(); err != nil {
		m.dbg.printf("reattach: %v", err)
	}
}
