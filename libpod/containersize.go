package libpod

import (
	"context"
	"fmt"
)

// ContainerSize is what ps --size and inspect --size show of a container's
// disk use: RW its writable layer (with the storage library's records of
// it), RootFs that plus its image.
type ContainerSize struct {
	RW     int64
	RootFs int64
}

// ContainerSize measures a container's writable layer and root file system.
func (r *Runtime) ContainerSize(ctx context.Context, nameOrID string) (ContainerSize, error) {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return ContainerSize{}, err
	}
	store, err := r.getStore()
	if err != nil {
		return ContainerSize{}, err
	}
	rw, err := store.ContainerSize(c.ID())
	if err != nil {
		return ContainerSize{}, fmt.Errorf("size of container %s: %w", c.Name(), err)
	}
	img, err := store.ImageSize(c.Config.ImageID)
	if err != nil {
		img = 0 // the image is gone: only the container's own layer counts
	}
	return ContainerSize{RW: rw, RootFs: rw + img}, nil
}
