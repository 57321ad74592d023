package monitor

import (
	"os"

	"golang.org/x/sys/unix"
)

// timedOut ends a container whose --timeout passed: it is killed and not
// restarted.
func (m *monitor) timedOut() {
	m.dbg.printf("timeout of %ds passed: killing the container", m.opts.Timeout)
	if m.opts.StopMarker != "" {
		_ = os.WriteFile(m.opts.StopMarker, nil, 0o600)
	}
	m.signalContainer(unix.SIGKILL)
}

// containerPid is the pid of the container's init: 0 before it is created
// and once it is reaped. The main goroutine sets it at each (re)start;
// the timeout timer and the health checks read it from their own
// goroutines.
func (m *monitor) containerPid() int { return int(m.pid.Load()) }

// signalContainer sends sig to the container's init, unless there is
// none right now (between an exit and a restart): the reaped number may
// belong to another process already.
func (m *monitor) signalContainer(sig unix.Signal) {
	if pid := m.containerPid(); pid > 0 {
		_ = unix.Kill(pid, sig)
	}
}
