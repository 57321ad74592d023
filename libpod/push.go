package libpod

import (
	"context"

	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
)

// PushImage copies the local image source to dest (see image.Push) and
// writes a push event naming the destination as given (the source when
// dest is empty).
func (r *Runtime) PushImage(ctx context.Context, source, dest string, o image.PushOptions) (*image.PushResult, error) {
	if err := image.CheckAuthFile(o.System.AuthFile); err != nil {
		return nil, err
	}
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	res, err := image.Push(ctx, store, source, dest, o)
	if err != nil {
		return nil, err
	}
	name := dest
	if name == "" {
		name = source
	}
	r.imageEvent(events.Push, res.ID, name)
	return res, nil
}
