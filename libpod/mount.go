package libpod

import (
	"context"
	"fmt"
	"sort"

	"github.com/pod-engine/pod/libpod/define"
)

// MountedContainer is a container whose root filesystem is mounted (by
// `pod mount`, or because it runs).
type MountedContainer struct {
	ID, Name, Mountpoint string
}

// MountContainer mounts a container's root filesystem and returns where.
// Each mount is counted: the storage stays mounted until as many
// unmounts, or a forced one. The mount is made in pod's mount namespace,
// so only processes inside it (`pod unshare`) see it.
func (r *Runtime) MountContainer(ctx context.Context, nameOrID string) (string, error) {
	var path string
	err := r.withLocked(nameOrID, func(c *Container) error {
		if c.Config.Rootfs != "" {
			var err error
			path, err = c.mountRootfs()
			return err
		}
		store, err := r.getStore()
		if err != nil {
			return err
		}
		if path, err = store.Mount(c.ID(), ""); err != nil {
			return fmt.Errorf("mount container %s: %w", c.Name(), err)
		}
		return nil
	})
	return path, err
}

// UnmountContainer undoes one MountContainer, or with force all of them. A
// container that is not mounted is left as it is. The mount a running or
// paused container runs on is never taken away: unmounting it is an
// ErrCtrStateInvalid error.
func (r *Runtime) UnmountContainer(ctx context.Context, nameOrID string, force bool) error {
	return r.withLocked(nameOrID, func(c *Container) error {
		store, err := r.getStore()
		if err != nil {
			return err
		}
		n, err := store.Mounted(c.ID())
		if err != nil {
			return fmt.Errorf("unmount container %s: %w", c.Name(), err)
		}
		keep := 0
		if c.State.Status.IsActive() && c.State.Mountpoint != "" {
			keep = 1 // the container's own, which its cleanup releases
		}
		switch {
		case n <= 0:
			return nil
		case n <= keep:
			return fmt.Errorf("cannot unmount storage for container %s as it is %s: %w", c.ID(), c.State.Status, define.ErrCtrStateInvalid)
		case force && keep == 0:
			_, err = store.Unmount(c.ID(), true)
		default:
			times := 1
			if force {
				times = n - keep
			}
			for i := 0; i < times && err == nil; i++ {
				_, err = store.Unmount(c.ID(), false)
			}
		}
		if err != nil {
			return fmt.Errorf("unmount container %s: %w", c.Name(), err)
		}
		return nil
	})
}

// MountedContainers lists the containers whose root filesystem is
// mounted, ordered by id.
func (r *Runtime) MountedContainers(ctx context.Context) ([]MountedContainer, error) {
	ctrs, _, err := r.ListContainers()
	if err != nil {
		return nil, err
	}
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	scs, err := store.Containers()
	if err != nil {
		return nil, fmt.Errorf("list storage containers: %w", err)
	}
	layers, err := store.Layers()
	if err != nil {
		return nil, fmt.Errorf("list layers: %w", err)
	}
	layerOf := make(map[string]string, len(scs))
	for _, sc := range scs {
		layerOf[sc.ID] = sc.LayerID
	}
	mountOf := make(map[string]string, len(layers))
	for _, l := range layers {
		if l.MountCount > 0 && l.MountPoint != "" {
			mountOf[l.ID] = l.MountPoint
		}
	}
	var out []MountedContainer
	for _, c := range ctrs {
		if mp := mountOf[layerOf[c.ID()]]; mp != "" {
			out = append(out, MountedContainer{ID: c.ID(), Name: c.Name(), Mountpoint: mp})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
