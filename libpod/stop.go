package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"go.podman.io/storage"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/signals"
)

const pollInterval = 20 * time.Millisecond

// stopSignal is the signal stop sends first: the container's, the image's,
// or SIGTERM.
func (c *Container) stopSignal() syscall.Signal {
	for _, s := range []string{c.Config.StopSignal, c.Config.ImageConfig.StopSignal} {
		if s == "" {
			continue
		}
		if sig, err := signals.Parse(s); err == nil {
			return sig
		}
	}
	return syscall.SIGTERM
}

// kill sends sig to the container's processes.
func (c *Container) kill(ctx context.Context, sig syscall.Signal) error {
	unlock, err := c.lockAndSync()
	if err != nil {
		return err
	}
	defer unlock()
	if !c.State.Status.IsActive() {
		return fmt.Errorf("can only kill running containers. %s is in state %s: %w", c.ID(), c.State.Status, define.ErrCtrStateInvalid)
	}
	if err := c.signal(ctx, sig); err != nil {
		return fmt.Errorf("kill container %s: %w", c.Name(), err)
	}
	c.newEvent(events.Kill)
	// A paused container acts on the signal only once resumed: kill
	// resumes it.
	if c.State.Status == define.StatusPaused {
		c.resume()
		if c.setStatus(define.StatusRunning) == nil {
			c.State.PauseMethod = ""
			return c.saveState()
		}
	}
	return nil
}

// signal sends sig to the container's init process through the OCI
// runtime. When the runtime no longer knows the container (its state went
// with a lost runtime directory) but the process still runs, the process
// is signalled directly. A container that exited meanwhile is no error.
func (c *Container) signal(ctx context.Context, sig syscall.Signal) error {
	oci, err := c.r.OCIRuntime()
	if err != nil {
		return err
	}
	rerr := oci.Kill(ctx, c.ID(), sig, false)
	if rerr == nil || c.hasExitFile() {
		return nil
	}
	if !c.containerAlive() {
		if c.State.Pid > 0 && c.State.PidStart > 0 {
			return nil // it exited between the sync and the signal
		}
		return rerr
	}
	if err := unix.Kill(c.State.Pid, sig); err != nil && !errors.Is(err, unix.ESRCH) {
		return fmt.Errorf("%w (signal %d to pid %d: %w)", rerr, sig, c.State.Pid, err)
	}
	return nil
}

// hasExitFile reports whether the monitor has written the exit file.
func (c *Container) hasExitFile() bool {
	_, err := os.Stat(c.exitFile())
	return err == nil
}

// waitExit polls for the monitor's exit file until timeout, or, when the
// monitor is gone, for the container's process to end; it reports whether
// the container exited.
func (c *Container) waitExit(ctx context.Context, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if c.hasExitFile() {
			return true
		}
		if !c.monitorAlive() && !c.containerAlive() {
			return true
		}
		if timeout >= 0 && time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(pollInterval):
		}
	}
}

// stop sends the stop signal, waits up to timeout, then kills the container
// with SIGKILL. No lock is held while waiting. Stopping a container that is
// not running does nothing.
func (c *Container) stop(ctx context.Context, timeout time.Duration) error {
	unlock, err := c.lockAndSync()
	if err != nil {
		return err
	}
	if !c.State.Status.IsActive() {
		unlock()
		return nil
	}
	sig := c.stopSignal()
	if timeout == 0 {
		sig = syscall.SIGKILL
	}
	// The monitor does not restart a container the user stopped.
	if err := os.WriteFile(c.stopMarker(), nil, 0o600); err != nil && c.Config.RestartPolicy != "" {
		logrus.Debugf("stop marker: %v", err)
	}
	_ = c.signal(ctx, sig)
	c.resume()
	unlock()
	if !c.waitExit(ctx, timeout) {
		kerr := c.signal(ctx, syscall.SIGKILL)
		if !c.waitExit(ctx, 30*time.Second) {
			if kerr != nil {
				return fmt.Errorf("stop container %s: %w", c.Name(), kerr)
			}
			return fmt.Errorf("container %s did not exit after SIGKILL: %w", c.Name(), define.ErrTimeout)
		}
	}
	err = c.cleanup()
	c.newEvent(events.Stop) // the container stopped, cleaned up or not
	if errors.Is(err, define.ErrNoSuchCtr) {
		return nil
	}
	return err
}

// wait blocks until the container is in one of the statuses (none: until
// it has exited) and returns its exit code, or -1 for a status other than
// exited.
func (c *Container) wait(ctx context.Context, conditions []define.ContainerStatus) (int, error) {
	if len(conditions) == 0 {
		conditions = []define.ContainerStatus{define.StatusExited}
	}
	for {
		if err := c.refresh(); err != nil {
			return -1, err
		}
		if slices.Contains(conditions, c.State.Status) {
			if c.State.Status == define.StatusExited {
				return c.State.ExitCode, nil
			}
			return -1, nil
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := os.Stat(filepath.Join(c.staticDir(), "config.json")); err != nil {
			if c.State.Status == define.StatusExited && slices.Contains(conditions, define.StatusExited) {
				return c.State.ExitCode, nil
			}
			return -1, fmt.Errorf("%s: %w", c.Name(), define.ErrNoSuchCtr)
		}
	}
}

// cleanup runs after the container exited: unmount its root filesystem,
// delete it from the OCI runtime, and remove it when it was run with --rm.
// It is idempotent: the monitor and the CLI may both call it.
func (c *Container) cleanup() error {
	removed := false
	defer func() {
		// After the container's lock is released: volume locks come
		// before container locks.
		if removed {
			c.r.removeAnonVolumes(c.Config)
		}
	}()
	unlock, err := c.lockAndSync()
	if err != nil {
		return err
	}
	defer unlock()
	if c.State.Status.IsActive() {
		return nil
	}
	if c.Config.AutoRemove {
		defer logrus.Debugf("removed %s", c.ID())
		err := c.removeLocked() // unmounts too
		removed = err == nil
		return err
	}
	mounted := c.State.Mountpoint != ""
	if err := c.cleanupLocked(); err != nil {
		return err
	}
	c.cleanupEvent(mounted)
	logrus.Debugf("unmounted %s", c.ID())
	return nil
}

func (c *Container) cleanupLocked() error {
	if !c.monitorAlive() {
		// The monitor normally does this; one that died left them.
		c.stopHelper()
		c.deleteRuntimeState(context.Background())
	}
	c.removeNetns()
	if c.State.Mountpoint != "" {
		store, err := c.r.getStore()
		if err != nil {
			return err
		}
		if _, err := store.Unmount(c.ID(), true); err != nil && !errors.Is(err, storage.ErrContainerUnknown) && !errors.Is(err, storage.ErrLayerUnknown) {
			return fmt.Errorf("unmount container %s: %w", c.Name(), err)
		}
		c.unmountImages()
		c.State.Mountpoint = ""
		c.State.Starting = false
		if err := c.saveState(); err != nil {
			return err
		}
	}
	if c.State.Starting {
		c.State.Starting = false
		return c.saveState()
	}
	return nil
}

// remove deletes the container. A running container is refused unless
// force, which stops it first (stop signal, timeout, SIGKILL).
func (c *Container) remove(ctx context.Context, force bool, timeout time.Duration) error {
	unlock, err := c.lockAndSync()
	if err != nil {
		return err
	}
	if c.State.Status.IsActive() {
		if !force {
			unlock()
			return fmt.Errorf("cannot remove container %s as it is %s - running or paused containers cannot be removed without force: %w",
				c.ID(), c.State.Status, define.ErrCtrStateInvalid)
		}
		unlock()
		if err := c.stop(ctx, timeout); err != nil {
			return err
		}
		if unlock, err = c.lockAndSync(); err != nil {
			if errors.Is(err, define.ErrNoSuchCtr) {
				return nil
			}
			return err
		}
	}
	defer unlock()
	return c.removeLocked()
}

func (c *Container) removeLocked() error {
	store, err := c.r.getStore()
	if err != nil {
		return err
	}
	c.deleteRuntimeState(context.Background())
	if c.State.Mountpoint != "" {
		_, _ = store.Unmount(c.ID(), true)
		c.unmountImages()
	}
	c.unmountRootfs() // mounted by cp or mount while stopped too
	if err := store.DeleteContainer(c.ID()); err != nil && !errors.Is(err, storage.ErrContainerUnknown) && !errors.Is(err, storage.ErrNotAContainer) {
		return fmt.Errorf("remove storage of container %s: %w", c.Name(), err)
	}
	// config.json goes first: without it the container no longer exists.
	dir := c.staticDir()
	if err := os.Remove(filepath.Join(dir, "config.json")); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove container %s: %w", c.Name(), err)
	}
	c.r.releaseName(c.Name(), c.ID())
	os.RemoveAll(dir)
	c.removeNetns()
	os.RemoveAll(c.runDir())
	c.r.locks.Remove(c.ID())
	c.newEvent(events.Remove)
	return nil
}

// removeCorrupt removes a container whose config or state file cannot be
// read: it kills and deletes it in the OCI runtime, unmounts and deletes its
// storage, and removes its files and name. Nothing else is touched.
func (r *Runtime) removeCorrupt(ctx context.Context, id string) error {
	if !r.containerExists(id) {
		return fmt.Errorf("%s: %w", id, define.ErrNoSuchCtr)
	}
	defer r.signals.hold()()
	l, err := r.locks.Acquire(id)
	if err != nil {
		return err
	}
	defer l.Close()
	if oci, err := r.OCIRuntime(); err == nil {
		_ = oci.Kill(ctx, id, syscall.SIGKILL, false)
		_ = oci.Delete(ctx, id, true)
	}
	store, err := r.getStore()
	if err != nil {
		return err
	}
	_, _ = store.Unmount(id, true)
	if err := store.DeleteContainer(id); err != nil && !errors.Is(err, storage.ErrContainerUnknown) && !errors.Is(err, storage.ErrNotAContainer) {
		return fmt.Errorf("remove storage of container %s: %w", id, err)
	}
	dir := filepath.Join(r.cfg.StaticDir, "containers", id)
	if err := os.Remove(filepath.Join(dir, "config.json")); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove container %s: %w", id, err)
	}
	if ents, err := os.ReadDir(filepath.Join(r.cfg.StaticDir, "names")); err == nil {
		for _, e := range ents {
			if b, err := os.ReadFile(r.namePath(e.Name())); err == nil && string(b) == id {
				os.Remove(r.namePath(e.Name()))
			}
		}
	}
	os.RemoveAll(dir)
	(&Container{r: r, Config: &ContainerConfig{ID: id}}).removeNetns()
	os.RemoveAll(filepath.Join(r.cfg.RunDir, "containers", id))
	r.locks.Remove(id)
	return nil
}

// deleteRuntimeState removes the container from the OCI runtime when the
// runtime still has state for it (the monitor normally deleted it already;
// skipping the call saves a runtime process per start and removal).
func (c *Container) deleteRuntimeState(ctx context.Context) {
	if c.monitorAlive() {
		return // the monitor deletes it once the container has exited
	}
	oci, err := c.r.OCIRuntime()
	if err != nil {
		return
	}
	if _, err := os.Stat(filepath.Join(oci.Root, c.ID())); err != nil {
		return
	}
	_ = oci.Delete(ctx, c.ID(), true)
}
