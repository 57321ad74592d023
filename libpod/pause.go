package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

// Pause methods recorded in the state (inspect: State.PauseMethod).
const (
	// PauseSignal: every process of the container's pid namespace got
	// SIGSTOP, and gets SIGCONT on unpause. Unlike a cgroup freezer, a
	// parent sees its children stop (SIGCHLD, waitpid with WUNTRACED),
	// and a process the application had stopped itself is resumed by
	// unpause.
	PauseSignal = "sigstop"
)

// PauseContainer pauses a running container. pod gives rootless
// containers no cgroup yet, so it pauses by signal: SIGSTOP to every
// process of the container's pid namespace, scanned again until no new
// process appears, so that a racing fork is caught.
func (r *Runtime) PauseContainer(ctx context.Context, nameOrID string) error {
	return r.withLocked(nameOrID, (*Container).pause)
}

func (c *Container) pause() error {
	switch c.State.Status {
	case define.StatusPaused:
		return fmt.Errorf("%q is already paused: %w", c.ID(), define.ErrCtrStateInvalid)
	case define.StatusRunning:
	default:
		return fmt.Errorf("%q is not running, can't pause: %w", c.State.Status, define.ErrCtrStateInvalid)
	}
	if err := c.signalAll(unix.SIGSTOP, true); err != nil {
		return fmt.Errorf("pause container %s: %w", c.Name(), err)
	}
	if err := c.setStatus(define.StatusPaused); err != nil {
		return err
	}
	c.State.PauseMethod = PauseSignal
	return c.saveState()
}

// UnpauseContainer resumes a paused container.
func (r *Runtime) UnpauseContainer(ctx context.Context, nameOrID string) error {
	return r.withLocked(nameOrID, (*Container).unpause)
}

func (c *Container) unpause() error {
	if c.State.Status != define.StatusPaused {
		return fmt.Errorf("%q is not paused, can't unpause: %w", c.ID(), define.ErrCtrStateInvalid)
	}
	if err := c.signalAll(unix.SIGCONT, false); err != nil {
		return fmt.Errorf("unpause container %s: %w", c.Name(), err)
	}
	if err := c.setStatus(define.StatusRunning); err != nil {
		return err
	}
	c.State.PauseMethod = ""
	return c.saveState()
}

// withLocked looks the container up and runs act with its lock held and
// its state synced (lock → sync → act; act saves).
func (r *Runtime) withLocked(nameOrID string, act func(*Container) error) error {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return err
	}
	unlock, err := c.lockAndSync()
	if err != nil {
		return err
	}
	defer unlock()
	return act(c)
}

// resume lets a paused container's processes run again so that they can
// act on a signal just sent (stop, kill, rm -f); the state stays as it is
// until the exit is seen.
func (c *Container) resume() {
	if c.State.Status == define.StatusPaused {
		_ = c.signalAll(unix.SIGCONT, false)
	}
}

// signalAll sends sig to every process of the container's pid namespace.
// With untilStable it scans again until a scan finds no process that was
// not signalled yet, so that a process forked meanwhile is caught.
func (c *Container) signalAll(sig syscall.Signal, untilStable bool) error {
	if !c.containerAlive() {
		return fmt.Errorf("the container's process is gone: %w", define.ErrCtrStateInvalid)
	}
	ns, err := os.Readlink("/proc/" + strconv.Itoa(c.State.Pid) + "/ns/pid")
	if err != nil {
		return fmt.Errorf("pid namespace of the container: %w", err)
	}
	done := map[int]bool{}
	for round := 0; round < 100; round++ {
		fresh := 0
		for _, pid := range pidsInNamespace(ns) {
			if done[pid] {
				continue
			}
			if err := unix.Kill(pid, sig); err != nil && !errors.Is(err, unix.ESRCH) {
				return fmt.Errorf("signal %d to pid %d: %w", sig, pid, err)
			}
			done[pid] = true
			fresh++
		}
		if fresh == 0 || !untilStable {
			return nil
		}
	}
	return fmt.Errorf("processes keep appearing in the container: %w", define.ErrTimeout)
}

// pidsInNamespace lists the processes whose pid namespace is ns.
func pidsInNamespace(ns string) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if link, err := os.Readlink("/proc/" + e.Name() + "/ns/pid"); err == nil && link == ns {
			out = append(out, pid)
		}
	}
	return out
}
