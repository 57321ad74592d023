package libpod

import (
	"context"

	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
)

// TagImage adds the names to the local image nameOrID (see image.Tag),
// writing a tag event for each with the name as given (as podman does).
// It stops at the first name that fails.
func (r *Runtime) TagImage(nameOrID string, names []string) error {
	store, err := r.getStore()
	if err != nil {
		return err
	}
	for _, n := range names {
		id, _, err := image.Tag(store, nameOrID, n)
		if err != nil {
			return err
		}
		r.imageEvent(events.Tag, id, n)
	}
	return nil
}

// UntagImage removes the names from the local image nameOrID, or all its
// names when none is given (see image.Untag), writing an untag event for
// each name removed (also when a later name fails).
func (r *Runtime) UntagImage(nameOrID string, names []string) error {
	store, err := r.getStore()
	if err != nil {
		return err
	}
	id, removed, err := image.Untag(store, nameOrID, names)
	for _, n := range removed {
		r.imageEvent(events.Untag, id, n)
	}
	return err
}

// ImageHistory returns the history of the local image nameOrID, newest
// first (see image.History).
func (r *Runtime) ImageHistory(ctx context.Context, nameOrID string) ([]image.HistoryEntry, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	img, err := image.Lookup(store, nameOrID)
	if err != nil {
		return nil, err
	}
	return image.History(ctx, store, img)
}
