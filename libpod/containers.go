package libpod

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/logs"
)

// The engine's container verbs. Each takes a name, a full id or a unique id
// prefix, looks the container up and then locks → syncs → acts → saves.
// The CLI uses these (with the image and system verbs) and nothing else of
// the engine.

// RemoveOptions are the options of RemoveContainer.
type RemoveOptions struct {
	// Force stops a running container first, and removes a container
	// whose config or state file is corrupt.
	Force bool
	// Timeout is how long the stop waits before SIGKILL; nil takes the
	// container's stop timeout.
	Timeout *time.Duration
	// Volumes removes the container's anonymous volumes too (rm -v).
	Volumes bool
}

// Container returns a container's config and state, synced with its exit
// file but without taking its lock: listing and inspecting never wait on
// another command.
func (r *Runtime) Container(nameOrID string) (*Container, error) {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return nil, err
	}
	c.syncState()
	return c, nil
}

// InspectContainer returns a container's inspect data.
func (r *Runtime) InspectContainer(nameOrID string) (*InspectContainer, error) {
	c, err := r.Container(nameOrID)
	if err != nil {
		return nil, err
	}
	return c.inspect(), nil
}

// StartContainer starts a created or exited container. With attach it
// runs in the foreground: the returned Attachment delivers its exit code.
// Without, it is detached and the Attachment is nil; a container that is
// already running is then left as it is.
func (r *Runtime) StartContainer(ctx context.Context, nameOrID string, attach *AttachStreams) (Attachment, error) {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return nil, err
	}
	sess, err := c.start(ctx, attach)
	if err != nil || sess == nil || attach == nil {
		return nil, r.noSpace("start container "+c.Name(), err)
	}
	return sess, nil
}

// StopContainer sends the stop signal, waits up to timeout (nil: the
// container's stop timeout), then SIGKILL. A container that is not running
// is left as it is.
func (r *Runtime) StopContainer(ctx context.Context, nameOrID string, timeout *time.Duration) error {
	defer r.freeing()() // the monitor writes the exit file, stop the state
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return err
	}
	return c.stop(ctx, c.stopTimeout(timeout))
}

// KillContainer sends sig to a running container.
func (r *Runtime) KillContainer(ctx context.Context, nameOrID string, sig syscall.Signal) error {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return err
	}
	return c.kill(ctx, sig)
}

// WaitContainer blocks until the container is in one of the statuses
// (none: until it has exited) and returns its exit code, or -1 when the
// status reached is not exited.
func (r *Runtime) WaitContainer(ctx context.Context, nameOrID string, conditions []define.ContainerStatus) (int, error) {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return -1, err
	}
	return c.wait(ctx, conditions)
}

// RenameContainer gives a container a new name; the old one is free
// afterwards.
func (r *Runtime) RenameContainer(ctx context.Context, nameOrID, newName string) error {
	if err := validateName(newName); err != nil {
		return err
	}
	return r.withLocked(nameOrID, func(c *Container) error {
		old := c.Name()
		if old == newName {
			return nil
		}
		if err := r.reserveName(newName, c.ID()); err != nil {
			return err
		}
		cfg := *c.Config
		cfg.Name = newName
		if err := fsutil.WriteJSONAtomic(filepath.Join(c.staticDir(), "config.json"), &cfg, 0o600); err != nil {
			r.releaseName(newName, c.ID())
			return fmt.Errorf("rename container %s: %w", old, err)
		}
		c.Config.Name = newName
		r.releaseName(old, c.ID())
		c.newEvent(events.Rename)
		return nil
	})
}

// CleanupContainer unmounts an exited container and removes it when it was
// created with --rm. It is idempotent. A storage container that a killed
// create of pod's left behind is removed.
func (r *Runtime) CleanupContainer(ctx context.Context, nameOrID string) error {
	defer r.freeing()()
	c, err := r.lookupContainer(nameOrID)
	if errors.Is(err, define.ErrNoSuchCtr) {
		if rerr := r.removeExternal(nameOrID, true); rerr == nil {
			return nil
		}
	}
	if err != nil {
		return err
	}
	return c.cleanup()
}

// RemoveContainer deletes a container. A running container is refused
// (ErrCtrStateInvalid) unless o.Force.
func (r *Runtime) RemoveContainer(ctx context.Context, nameOrID string, o RemoveOptions) error {
	defer r.freeing()()
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		if errors.Is(err, define.ErrNoSuchCtr) {
			// Not pod's: a storage container (ps --external) goes too.
			if rerr := r.removeExternal(nameOrID, false); !errors.Is(rerr, define.ErrNoSuchCtr) {
				return rerr
			}
		}
		if o.Force && errors.Is(err, define.ErrCorruptState) {
			id, ierr := r.resolveID(nameOrID)
			if ierr != nil {
				return ierr
			}
			return r.removeCorrupt(ctx, id)
		}
		return err
	}
	if err := c.remove(ctx, o.Force, c.stopTimeout(o.Timeout)); err != nil {
		return err
	}
	if o.Volumes {
		r.removeAnonVolumes(c.Config)
	}
	return nil
}

// CorruptContainers lists the ids of containers whose config or state file
// cannot be read (RemoveContainer with Force removes them).
func (r *Runtime) CorruptContainers() []string { return r.corruptIDs() }

// ContainerLogs writes a container's log to stdout and stderr as o says;
// with o.Follow it returns once the container has exited and its log is
// read to the end, or ctx is done.
func (r *Runtime) ContainerLogs(ctx context.Context, nameOrID string, o logs.Options, stdout, stderr io.Writer) error {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return err
	}
	if !c.Config.Log.Logging() {
		return c.noLogsError()
	}
	alive := func() bool {
		if err := c.refresh(); err != nil {
			return false
		}
		return c.State.Status.IsActive()
	}
	if err := logs.Read(ctx, c.logPath(), o, stdout, stderr, alive); err != nil {
		return fmt.Errorf("logs of %s: %w", c.Name(), err)
	}
	return nil
}

// stopTimeout is timeout, or the container's own when nil.
func (c *Container) stopTimeout(timeout *time.Duration) time.Duration {
	if timeout != nil {
		return *timeout
	}
	return time.Duration(c.Config.StopTimeout) * time.Second
}
