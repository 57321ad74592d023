package cmdtest

import (
	"context"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/image"
)

// PullAllTags is not implemented.
func (e *FakeEngine) PullAllTags(ctx context.Context, name string, o image.PullOptions) ([]*libpod.ImageRef, error) {
	return nil, errNotImplemented
}
