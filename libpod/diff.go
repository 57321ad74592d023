package libpod

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.podman.io/storage"
	"go.podman.io/storage/pkg/archive"

	"github.com/pod-engine/pod/libpod/define"
)

// ChangeKind is how a path of a container's writable layer differs from
// its image: podman's letters.
type ChangeKind string

// The kinds of change.
const (
	ChangeAdd    ChangeKind = "A"
	ChangeModify ChangeKind = "C"
	ChangeDelete ChangeKind = "D"
)

// Change is one path that differs between a container and its image.
type Change struct {
	Kind ChangeKind
	Path string
}

// runtimeMountPaths are the paths the runtime mounts over in every
// container (or creates to mount over): they are never changes of the
// container's own, and podman leaves them out too.
func runtimeMountPaths() map[string]bool {
	return map[string]bool{
		"/dev": true, "/etc/hostname": true, "/etc/hosts": true, "/etc/resolv.conf": true, "/proc": true,
		"/run": true, "/run/.containerenv": true, "/run/secrets": true, "/sys": true,
	}
}

// DiffContainer returns the changes of a container's writable layer
// against its image, sorted by path component by component (a directory
// before what it holds, "/a/b" before "/a-c", as podman lists them). It
// works on containers in any state.
func (r *Runtime) DiffContainer(ctx context.Context, nameOrID string) ([]Change, error) {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return nil, err
	}
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	sc, err := store.Container(c.ID())
	if err != nil {
		if errors.Is(err, storage.ErrContainerUnknown) {
			return nil, fmt.Errorf("diff %s: its storage is gone: remove it with `pod rm -f %s`: %w", c.Name(), c.Name(), define.ErrNoSuchCtr)
		}
		return nil, fmt.Errorf("diff %s: %w", c.Name(), err)
	}
	changes, err := store.Changes("", sc.LayerID)
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", c.Name(), err)
	}
	skip := runtimeMountPaths()
	out := make([]Change, 0, len(changes))
	for _, ch := range changes {
		if skip[ch.Path] {
			continue
		}
		out = append(out, Change{Kind: changeKind(ch.Kind), Path: ch.Path})
	}
	// The storage library's walk order is not stable across drivers.
	slices.SortStableFunc(out, func(a, b Change) int {
		return slices.Compare(strings.Split(a.Path, "/"), strings.Split(b.Path, "/"))
	})
	return out, nil
}

func changeKind(k archive.ChangeType) ChangeKind {
	switch k {
	case archive.ChangeAdd:
		return ChangeAdd
	case archive.ChangeDelete:
		return ChangeDelete
	}
	return ChangeModify
}
