package libpod

import (
	"fmt"
	"os"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/procfs"
)

// syncState folds into the state what happened since it was saved, from
// what outlives any pod command: the monitor's pid record and exit file
// (data directory), and the processes themselves (pid plus start time). It
// reports whether the state changed; it does not save.
//
//   - a monitor the state does not know (its CLI died before recording it)
//     is adopted: the container is running, or exited if the monitor
//     already wrote the exit file;
//   - a running container exits with the exit file's code, or at a reboot,
//     or, when its monitor and its process are both gone, with -1;
//   - a container whose monitor died stays running while its process
//     lives: stop, kill and rm still reach it.
func (c *Container) syncState() bool {
	changed := c.adoptMonitor()
	st := c.State
	if !st.Status.IsActive() {
		return changed
	}
	if ex, ok := c.readExitFile(); ok {
		c.exited(ex.ExitCode, ex.Time(), ex.OOMKilled, "")
		return true
	}
	if st.BootID != "" && st.BootID != procfs.BootID() {
		// Nothing of the last boot is mounted or running any more.
		c.exited(st.ExitCode, procfs.BootTime(), false, "the system restarted while the container ran")
		st.Mountpoint, st.MonitorPid, st.MonitorStart, st.Starting = "", 0, 0, false
		return true
	}
	if st.Pid == 0 || (!c.containerAlive() && c.monitorAlive()) {
		// Not known yet, or the monitor restarted the container.
		changed = c.readContainerPid() || changed
	}
	if c.monitorAlive() || c.containerAlive() {
		return changed
	}
	c.exited(-1, time.Now(), false, "the container monitor died")
	return true
}

// leftBehind reports whether a container that does not run still holds a
// mount or a network that only its cleanup releases, with no monitor left
// to run it: a start or a monitor killed half-way.
// It looks at the files themselves (for `system check`, and under the lock).
func (c *Container) leftBehind() bool {
	return !c.State.Status.IsActive() &&
		(c.startInFlight() || fileExists(c.netnsPath()) || c.helperAlive()) && !c.monitorAlive()
}

// leftBehindRecorded is leftBehind from the state alone, for listings: start
// records Starting before it creates a network namespace, a helper or a
// mount, and only cleanup clears it after releasing them.
func (c *Container) leftBehindRecorded() bool {
	return !c.State.Status.IsActive() && c.startInFlight() && !c.monitorAlive()
}

// startInFlight reports whether the state records a run that still holds
// something: a start that has not finished, or a mount not yet released.
func (c *Container) startInFlight() bool {
	return c.State.Starting || c.State.Mountpoint != ""
}

// monitorAlive reports whether the container's recorded monitor runs.
func (c *Container) monitorAlive() bool {
	return c.State.MonitorPid > 0 && procfs.Alive(c.State.MonitorPid, c.State.MonitorStart)
}

// containerAlive reports whether the container's init process runs.
func (c *Container) containerAlive() bool {
	return c.State.Pid > 0 && c.State.PidStart > 0 && procfs.Alive(c.State.Pid, c.State.PidStart)
}

// readExitFile returns the monitor's exit file, if there is a valid one.
func (c *Container) readExitFile() (protocol.ExitFile, bool) {
	data, err := readSmallFile(c.exitFile())
	if err != nil {
		return protocol.ExitFile{}, false
	}
	ex, err := protocol.ParseExitFile(data)
	return ex, err == nil
}

// readContainerPid takes the container's init pid from the runtime's pid
// file, once the runtime has written it.
func (c *Container) readContainerPid() bool {
	pid, err := readPid(c.pidFile())
	if err != nil {
		return false
	}
	start := procfs.StartTime(pid)
	if start == 0 {
		return false
	}
	c.State.Pid, c.State.PidStart = pid, start
	return true
}

// adoptMonitor takes over a monitor the state does not know: one started by
// a CLI that died before recording it. The monitor wrote its pid record
// first thing, and start removed the previous record and exit file before
// starting it, so an unknown record that is alive, or that left an exit
// file, is this container's latest run.
func (c *Container) adoptMonitor() bool {
	if c.neverStarted && c.State.Status == define.StatusCreated {
		return false
	}
	if c.State.Status.IsActive() || !c.startInFlight() {
		// Running: its monitor is recorded. Neither running nor a start in
		// flight: the last monitor, if any, is recorded too.
		return false
	}
	data, err := readSmallFile(c.monitorPidFile())
	if err != nil {
		return false
	}
	rec, err := protocol.ParsePidRecord(data)
	st := c.State
	known := rec.Pid == st.MonitorPid && (st.MonitorStart == 0 || rec.Start == st.MonitorStart)
	if err != nil || known || st.Status.IsActive() {
		return false
	}
	_, exited := c.readExitFile()
	if !exited && !procfs.Alive(rec.Pid, rec.Start) {
		return false // a start that failed: the container never ran
	}
	if c.setStatus(define.StatusRunning) != nil {
		return false
	}
	st.MonitorPid, st.MonitorStart = rec.Pid, rec.Start
	st.Pid, st.PidStart = 0, 0
	st.BootID = procfs.BootID()
	st.StartedAt, st.FinishedAt = time.Now(), time.Time{}
	if fi, err := os.Stat(c.monitorPidFile()); err == nil {
		st.StartedAt = fi.ModTime()
	}
	st.ExitCode, st.OOMKilled, st.Error = 0, false, ""
	c.readContainerPid()
	return true
}

// setStatus moves the container to status to, if its state machine allows
// the move from the current status (see define.CanTransition). Every status
// change goes through here.
func (c *Container) setStatus(to define.ContainerStatus) error {
	if err := define.CheckTransition(c.State.Status, to); err != nil {
		return fmt.Errorf("container %s: %w", c.Name(), err)
	}
	c.noteTransition(c.State.Status, to)
	c.State.Status = to
	return nil
}

// exited records the exit of an active container: running → exited.
func (c *Container) exited(code int, at time.Time, oomKilled bool, why string) {
	if c.setStatus(define.StatusExited) != nil {
		return
	}
	st := c.State
	st.ExitCode, st.FinishedAt, st.OOMKilled, st.Pid, st.PidStart = code, at, oomKilled, 0, 0
	st.PauseMethod = ""
	if why != "" {
		st.Error = why
	}
}
