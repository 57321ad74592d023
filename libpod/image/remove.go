package image

import (
	"errors"
	"fmt"
	"strings"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// Remove removes the image nameOrID the way `pod rmi` does and returns the
// names it untagged and the ids it deleted.
//
// Given by one of several names, only that name is removed. Given by its last
// name, or by id when it has at most one name, the image is deleted together
// with the layers no other image or container uses. Deleting an image that
// has several names by id, or that other images are built on, needs force.
//
// inUse (may be nil) returns the ids of the containers using an image. A used
// image is not deleted: the error wraps define.ErrImageInUse and names the
// containers. With force that check is skipped: the caller removes those
// containers before calling Remove; Remove never removes containers.
func Remove(store storage.Store, nameOrID string, force bool, inUse func(imageID string) []string) (untagged []string, deleted []string, err error) {
	images, err := store.Images()
	if err != nil {
		return nil, nil, fmt.Errorf("remove %s: listing images: %w", nameOrID, err)
	}
	sortNewestFirst(images)
	img, matched, err := match(images, nameOrID)
	if err != nil {
		return nil, nil, err
	}

	if matched != "" && len(img.Names) > 1 {
		if err := store.RemoveNames(img.ID, []string{matched}); err != nil {
			return nil, nil, fmt.Errorf("untag %s: %w", matched, err)
		}
		return []string{matched}, nil, nil
	}

	if matched == "" && len(img.Names) > 1 && !force {
		return nil, nil, fmt.Errorf("remove %s: image %s has several names (%s): remove them one by one or use --force%.0w",
			nameOrID, shortIDs([]string{img.ID}), strings.Join(img.Names, ", "), define.ErrImageInUse)
	}
	if !force && inUse != nil {
		if ids := inUse(img.ID); len(ids) > 0 {
			return nil, nil, fmt.Errorf("remove %s: image used by container %s: %w", nameOrID, shortIDs(ids), define.ErrImageInUse)
		}
	}
	if !force {
		tree, err := newLayerTree(store, images)
		if err != nil {
			return nil, nil, fmt.Errorf("remove %s: %w", nameOrID, err)
		}
		if tree.hasChildren(img) {
			return nil, nil, fmt.Errorf("remove %s: image %s has dependent child images: use --force%.0w",
				nameOrID, shortIDs([]string{img.ID}), define.ErrImageInUse)
		}
	}

	names := append([]string(nil), img.Names...)
	if _, err := store.DeleteImage(img.ID, true); err != nil {
		if errors.Is(err, storage.ErrImageUsedByContainer) {
			return nil, nil, fmt.Errorf("remove %s: %w%.0w", nameOrID, err, define.ErrImageInUse)
		}
		return nil, nil, fmt.Errorf("remove %s: %w", nameOrID, err)
	}
	return names, []string{img.ID}, nil
}

// shortIDs joins container ids in their 12-character form.
func shortIDs(ids []string) string {
	short := make([]string, len(ids))
	for i, id := range ids {
		if len(id) > 12 {
			id = id[:12]
		}
		short[i] = id
	}
	return strings.Join(short, ", ")
}
