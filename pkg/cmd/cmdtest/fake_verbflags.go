package cmdtest

import (
	"context"

	"github.com/pod-engine/pod/libpod"
)

// ContainerSize records "size NAME" and returns 4096 bytes written on an
// image of 7 MB for every known container.
func (e *FakeEngine) ContainerSize(ctx context.Context, nameOrID string) (libpod.ContainerSize, error) {
	if err := e.record("size "+nameOrID, nameOrID); err != nil {
		return libpod.ContainerSize{}, err
	}
	if _, err := e.lookup(nameOrID); err != nil {
		return libpod.ContainerSize{}, err
	}
	return libpod.ContainerSize{RW: 4096, RootFs: 4096 + 7_000_000}, nil
}
