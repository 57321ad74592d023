package libpod

import (
	"context"
	"errors"
	"fmt"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
)

// manifestLock is the lock every change of a local manifest list takes
// between reading the list and saving it; nothing slow (a registry) is
// done while it is held.
const manifestLock = "manifest-lists"

// editManifestList runs edit under the manifest lock.
func (r *Runtime) editManifestList(edit func() (string, error)) (string, error) {
	l, err := r.locks.Acquire(manifestLock)
	if err != nil {
		return "", err
	}
	defer l.Close()
	return edit()
}

// CreateManifestList creates the local manifest list name (with amend, an
// existing list of that name is used) holding the images (see
// image.ResolveManifestInstances) and returns its id. The images are read
// first: when one fails, no list is created.
func (r *Runtime) CreateManifestList(ctx context.Context, name string, images []string, o image.ManifestAddOptions, amend bool) (string, error) {
	if err := image.CheckAuthFile(o.System.AuthFile); err != nil {
		return "", err
	}
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	if _, err := image.NormalizeName(name); err != nil {
		return "", err
	}
	instances, err := resolveManifestInstances(ctx, store, images, o)
	if err != nil {
		return "", err
	}
	return r.editManifestList(func() (string, error) {
		ml, err := image.CreateManifestList(store, name, amend)
		if err != nil {
			return "", r.noSpace("manifest create "+name, err)
		}
		if len(instances) == 0 {
			return ml.ID, nil
		}
		id, err := image.AddManifestInstances(store, ml.ID, instances, o.Overrides)
		return id, r.noSpace("manifest create "+name, err)
	})
}

// resolveManifestInstances reads the instances each of the images stands
// for (see image.ResolveManifestInstances), stopping at the first failure.
func resolveManifestInstances(ctx context.Context, store storage.Store, images []string, o image.ManifestAddOptions) ([]image.Instance, error) {
	var instances []image.Instance
	for _, n := range images {
		in, err := image.ResolveManifestInstances(ctx, store, n, o)
		if err != nil {
			return nil, err
		}
		instances = append(instances, in...)
	}
	return instances, nil
}

// AddToManifestList adds the images to the local manifest list list and
// returns its id.
func (r *Runtime) AddToManifestList(ctx context.Context, list string, images []string, o image.ManifestAddOptions) (string, error) {
	if err := o.Overrides.Validate(); err != nil {
		return "", err
	}
	if err := image.CheckAuthFile(o.System.AuthFile); err != nil {
		return "", err
	}
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	if _, err := image.LookupManifestList(store, list); err != nil {
		return "", err
	}
	instances, err := resolveManifestInstances(ctx, store, images, o)
	if err != nil {
		return "", err
	}
	return r.editManifestList(func() (string, error) {
		id, err := image.AddManifestInstances(store, list, instances, o.Overrides)
		return id, r.noSpace("manifest add "+list, err)
	})
}

// RemoveFromManifestList removes the instance with the given digest from
// the local manifest list list and returns the list's id.
func (r *Runtime) RemoveFromManifestList(list, instance string) (string, error) {
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	return r.editManifestList(func() (string, error) {
		return image.RemoveManifestInstance(store, list, instance)
	})
}

// AnnotateManifestList changes the platform and annotations of the
// instance with the given digest in the local manifest list list and
// returns the list's id.
func (r *Runtime) AnnotateManifestList(list, instance string, o image.InstanceOverrides) (string, error) {
	if err := o.Validate(); err != nil {
		return "", err
	}
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	return r.editManifestList(func() (string, error) {
		return image.AnnotateManifestInstance(store, list, instance, o)
	})
}

// InspectManifestList returns the inspect document of the local manifest
// list name or, when no local list has that name, of the list a registry
// has under it.
func (r *Runtime) InspectManifestList(ctx context.Context, name string, sys image.SystemOptions) (*image.ManifestListJSON, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	ml, localErr := image.LookupManifestList(store, name)
	if localErr == nil {
		return ml.JSON(), nil
	}
	if !errors.Is(localErr, define.ErrNoSuchImage) && !errors.Is(localErr, define.ErrNotManifestList) {
		return nil, localErr
	}
	if err := image.CheckAuthFile(sys.AuthFile); err != nil {
		return nil, err
	}
	remote, err := image.InspectRemoteManifestList(ctx, name, sys)
	switch {
	case err == nil:
		return remote, nil
	case errors.Is(err, define.ErrNoSuchImage) && errors.Is(localErr, define.ErrNoSuchImage):
		return nil, fmt.Errorf("%s: no manifest list of that name, neither local nor in the registry: see pod manifest create%.0w", name, define.ErrNoSuchImage)
	case errors.Is(err, define.ErrNoSuchImage) || errors.Is(err, define.ErrNotManifestList):
		return nil, fmt.Errorf("%s: %w", name, define.ErrNotManifestList)
	case errors.Is(localErr, define.ErrNoSuchImage):
		return nil, fmt.Errorf("%s: no local manifest list of that name, and %w", name, err)
	}
	return nil, err
}

// ManifestListExists reports whether name is a local manifest list; a
// local image that is not a list is an error wrapping
// define.ErrNotManifestList.
func (r *Runtime) ManifestListExists(name string) (bool, error) {
	store, err := r.getStore()
	if err != nil {
		return false, err
	}
	_, err = image.LookupManifestList(store, name)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, define.ErrNoSuchImage):
		return false, nil
	}
	return false, err
}

// RemoveManifestList removes the local manifest list name as rmi removes
// an image and returns the names untagged and the ids deleted.
func (r *Runtime) RemoveManifestList(name string) (untagged, deleted []string, err error) {
	store, err := r.getStore()
	if err != nil {
		return nil, nil, err
	}
	defer r.freeing()()
	id := r.imageID(store, name)
	_, err = r.editManifestList(func() (string, error) {
		untagged, deleted, err = image.RemoveManifestList(store, name)
		return "", err
	})
	r.imageRemoveEvents(id, untagged, deleted)
	return untagged, deleted, err
}

// PushManifestList pushes the local manifest list list with its instances
// to dest (the list's own name when empty) and returns the digest of the
// list written. With rm, the local list is removed after the push.
func (r *Runtime) PushManifestList(ctx context.Context, list, dest string, o image.ManifestPushOptions, rm bool) (string, error) {
	if err := image.CheckAuthFile(o.System.AuthFile); err != nil {
		return "", err
	}
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	if dest == "" {
		ml, err := image.LookupManifestList(store, list)
		if err != nil {
			return "", err
		}
		if len(ml.Names) == 0 {
			return "", fmt.Errorf("manifest list %s has no name: give a destination: %w", list, define.ErrInvalidArg)
		}
		dest = ml.Names[0]
	}
	d, err := image.PushManifestList(ctx, store, list, dest, o)
	if err != nil {
		return "", err
	}
	if rm {
		if _, _, err := r.RemoveManifestList(list); err != nil {
			return d.String(), err
		}
	}
	return d.String(), nil
}
