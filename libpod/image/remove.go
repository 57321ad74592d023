package image

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// Remove removes the image nameOrID the way `pod rmi` does and returns the
// names it untagged and the ids it deleted (RemoveWith without All).
func Remove(store storage.Store, nameOrID string, force bool, inUse func(imageID string) []string) (untagged []string, deleted []string, err error) {
	return RemoveWith(store, nameOrID, RemoveOptions{Force: force, InUse: inUse})
}

// RemoveOptions tune RemoveWith.
type RemoveOptions struct {
	// Force deletes an image given by id or digest although it has several
	// names, or although other images are built on it. The caller has
	// removed the containers using it: RemoveWith never removes containers.
	Force bool
	// All deletes the image whatever name it was given by, as `rmi -a`
	// does: several names are no reason to refuse.
	All bool
	// InUse (may be nil) returns the ids of the containers using an image.
	InUse func(imageID string) []string
	// BeforeDelete (may be nil) is called with Force once the image is
	// known to be deleted rather than untagged, before it is: the caller
	// removes the containers using it there. Its error stops the removal.
	BeforeDelete func(imageID string) error
}

// RemoveWith removes the image nameOrID and returns the names it untagged
// and the ids it deleted.
//
// Given by one of several names, only that name is removed. Given by its last
// name, or by id or digest when it has at most one name, the image is deleted
// together with the layers no other image or container uses. Deleting an
// image that has several names by id needs Force or All (an error wrapping
// define.ErrInvalidArg otherwise); one that other images are built on needs
// Force.
//
// A used image is not deleted without Force: the error wraps
// define.ErrImageInUse and names the containers.
func RemoveWith(store storage.Store, nameOrID string, o RemoveOptions) (untagged []string, deleted []string, err error) {
	force, inUse := o.Force, o.InUse
	images, err := store.Images()
	if err != nil {
		return nil, nil, fmt.Errorf("remove %s: listing images: %w", nameOrID, err)
	}
	sortNewestFirst(images)
	img, matched, err := match(images, nameOrID)
	if err != nil {
		return nil, nil, err
	}

	if matched != "" && len(img.Names) > 1 && !o.All {
		if err := store.RemoveNames(img.ID, []string{matched}); err != nil {
			return nil, nil, fmt.Errorf("untag %s: %w", matched, err)
		}
		return []string{matched}, nil, nil
	}

	if matched == "" && len(img.Names) > 1 && !force && !o.All {
		return nil, nil, fmt.Errorf("remove %s: image %s has several names (%s): remove them one by one or use --force%.0w",
			nameOrID, shortIDs([]string{img.ID}), strings.Join(img.Names, ", "), define.ErrInvalidArg)
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

	if force && o.BeforeDelete != nil {
		if err := o.BeforeDelete(img.ID); err != nil {
			return nil, nil, err
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
		short[i] = define.ShortID(id)
	}
	return strings.Join(short, ", ")
}

// RemovalOrder returns the ids of every image in the order `rmi -a`
// removes them: images built on others first (deeper top layers first),
// then the most recently stored first.
func RemovalOrder(store storage.Store) ([]string, error) {
	images, err := store.Images()
	if err != nil {
		return nil, fmt.Errorf("listing images: %w", err)
	}
	layers, err := store.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	parentOf := make(map[string]string, len(layers))
	for i := range layers {
		parentOf[layers[i].ID] = layers[i].Parent
	}
	depth := make(map[string]int, len(images))
	for i := range images {
		n := 0
		for l := images[i].TopLayer; l != "" && n <= len(layers); l = parentOf[l] {
			n++
		}
		depth[images[i].ID] = n
	}
	ids := make([]string, 0, len(images))
	for i := len(images) - 1; i >= 0; i-- {
		ids = append(ids, images[i].ID)
	}
	sort.SliceStable(ids, func(i, j int) bool { return depth[ids[i]] > depth[ids[j]] })
	return ids, nil
}
