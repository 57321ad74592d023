package libpod

import (
	"context"
	"fmt"
	"io"
	"os"

	"go.podman.io/storage/pkg/archive"

	"github.com/pod-engine/pod/libpod/image"
)

// squash stores the built image id again with the layers the build added
// as one layer on top of the target stage's base (all: the whole image as
// one layer), with the same config, and returns the new image's id. The
// new layer is a storage container of the build (on the base, or on
// nothing) into which the changes from the base's top layer to the image's
// (all: the image's whole tree) are applied.
func (b *builder) squash(ctx context.Context, id string, all bool) (string, error) {
	final, err := b.store.Image(id)
	if err != nil {
		return "", fmt.Errorf("image %s: %w", id, err)
	}
	parent, from := "", ""
	if !all && b.finalBase != "" {
		base, err := b.store.Image(b.finalBase)
		if err != nil {
			return "", fmt.Errorf("image %s: %w", b.finalBase, err)
		}
		parent, from = base.ID, base.TopLayer
	}
	if !all && from == final.TopLayer {
		return id, nil // the build added no layer
	}
	bb, err := image.ReadBuildBase(ctx, b.store, id)
	if err != nil {
		return "", err
	}
	sc, err := b.store.CreateContainer("", nil, parent, "", buildStorageMeta(b.id), nil)
	if err != nil {
		return "", fmt.Errorf("creating the container to squash into: %w", err)
	}
	defer b.deleteStorage(sc.ID)
	changes := func() (io.ReadCloser, func(), error) {
		if all || from == "" {
			root, release, err := b.imageRoot(id)
			if err != nil {
				return nil, nil, err
			}
			rc, err := archive.TarWithOptions(root, &archive.TarOptions{Compression: archive.Uncompressed})
			if err != nil {
				release()
				return nil, nil, err
			}
			return rc, release, nil
		}
		rc, err := b.store.Diff(from, final.TopLayer, nil)
		return rc, func() {}, err
	}
	if err := b.applyChanges(changes, sc.LayerID); err != nil {
		return "", fmt.Errorf("squashing image %s: %w", shortID(id), b.r.noSpace("build", err))
	}
	so := image.StepOptions{
		ParentID: parent, Container: sc.ID, Layer: sc.LayerID, Settings: bb.Settings, Platform: bb.Platform,
		Format: b.o.Format, CreatedBy: "/bin/sh -c #(nop) squashed", Annotations: b.annots,
	}
	img, err := image.StoreStep(ctx, b.store, so)
	if err != nil {
		return "", b.r.noSpace("build", err)
	}
	b.created = append(b.created, img.ID)
	return img.ID, nil
}

// imageRoot mounts image id's root file system in a storage container of
// the build; release removes it.
func (b *builder) imageRoot(id string) (string, func(), error) {
	sc, err := b.store.CreateContainer("", nil, id, "", buildStorageMeta(b.id), nil)
	if err != nil {
		return "", nil, err
	}
	release := func() { b.deleteStorage(sc.ID) }
	mp, err := b.store.Mount(sc.ID, "")
	if err != nil {
		release()
		return "", nil, err
	}
	return mp, release, nil
}

// applyChanges applies a tar of changes to the layer into. The tar is
// spooled to a temporary file first: the store's layers stay locked while
// it is read.
func (b *builder) applyChanges(changes func() (io.ReadCloser, func(), error), into string) error {
	tmp, err := os.CreateTemp(image.BigFilesDir(), "pod-squash-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	rc, release, err := changes()
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, rc)
	rc.Close()
	release()
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = b.store.ApplyDiff(into, tmp)
	return err
}
