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
	_ = unix.Kill(m.pid, unix.SIGKILL)
}
