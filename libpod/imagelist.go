package libpod

import (
	"context"
	"errors"
	"fmt"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
)

// ListImages lists local images (newest first) that pass the filters of
// o, with the number of containers using each.
func (r *Runtime) ListImages(filters []string) ([]image.Summary, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	users := r.imageUsers()
	imgs, err := image.ListFiltered(store, image.ListOptions{
		Filters: filters,
		InUse:   func(id string) bool { return users[id] > 0 },
	})
	if err != nil {
		return nil, err
	}
	for i := range imgs {
		imgs[i].Containers = users[imgs[i].ID]
	}
	return imgs, nil
}

// imageUsers counts the containers of every image id.
func (r *Runtime) imageUsers() map[string]int {
	n := map[string]int{}
	ctrs, _, err := r.ListContainers()
	if err != nil {
		return n
	}
	for _, c := range ctrs {
		n[c.Config.ImageID]++
	}
	return n
}

// ImageExists reports whether nameOrID names a local image. A malformed
// name or an ambiguous id prefix is an error.
func (r *Runtime) ImageExists(nameOrID string) (bool, error) {
	store, err := r.getStore()
	if err != nil {
		return false, err
	}
	if _, err := image.Lookup(store, nameOrID); err != nil {
		if errors.Is(err, define.ErrNoSuchImage) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// ImageTree returns the layers of the image nameOrID, or with whatRequires
// the layers built on it.
func (r *Runtime) ImageTree(nameOrID string, whatRequires bool) (*image.LayerTree, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	return image.Layers(store, nameOrID, whatRequires)
}

// RemoveImagesOptions are the inputs of RemoveImages (`pod rmi`).
type RemoveImagesOptions struct {
	Names []string
	// All removes every image (Names must be empty).
	All bool
	// Force removes the containers using an image before deleting it, and
	// deletes images with several names or dependent images.
	Force bool
	// Ignore skips names that are not known.
	Ignore bool
}

// RemoveImagesReport lists what RemoveImages did, in order.
type RemoveImagesReport struct {
	Untagged []string
	Deleted  []string
}

// RemoveImages removes images as `pod rmi` does and returns what it did and
// one error per image it could not remove (nil when all went).
func (r *Runtime) RemoveImages(ctx context.Context, o RemoveImagesOptions) (*RemoveImagesReport, []error) {
	rep := &RemoveImagesReport{}
	store, err := r.getStore()
	if err != nil {
		return rep, []error{err}
	}
	defer r.freeing()()
	names := o.Names
	if o.All {
		if names, err = image.RemovalOrder(store); err != nil {
			return rep, []error{err}
		}
	}
	var errs []error
	for _, n := range names {
		id := r.imageID(store, n)
		untagged, deleted, err := image.RemoveWith(store, n, image.RemoveOptions{
			Force:        o.Force,
			All:          o.All,
			InUse:        r.ImageUsers,
			BeforeDelete: func(imageID string) error { return r.removeImageUsers(ctx, n, imageID) },
		})
		r.imageRemoveEvents(id, untagged, deleted)
		rep.Untagged = append(rep.Untagged, untagged...)
		rep.Deleted = append(rep.Deleted, deleted...)
		if err != nil && !(o.Ignore && errors.Is(err, define.ErrNoSuchImage)) {
			errs = append(errs, err)
		}
	}
	return rep, errs
}

// removeImageUsers removes, by force, the containers using imageID.
func (r *Runtime) removeImageUsers(ctx context.Context, name, imageID string) error {
	for _, id := range r.ImageUsers(imageID) {
		c, err := r.lookupContainer(id)
		if err != nil {
			if errors.Is(err, define.ErrNoSuchCtr) {
				continue
			}
			return fmt.Errorf("remove container %s using image %s: %w", id, name, err)
		}
		if err := c.remove(ctx, true, 0); err != nil {
			return fmt.Errorf("remove container %s using image %s: %w", c.Name(), name, err)
		}
	}
	return nil
}
