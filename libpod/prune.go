package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
)

// PruneOptions select what Prune removes.
type PruneOptions struct {
	// All removes every image no container uses, not only dangling ones.
	All bool
	// Until keeps what was created after it (zero: no limit).
	Until time.Time
	// Labels keep only containers and images carrying every label
	// ("key" or "key=value"); LabelsNot those carrying none of them.
	Labels, LabelsNot []string
}

// PruneReport is what Prune removed.
type PruneReport struct {
	Containers []string // ids
	Images     []string // ids
	Reclaimed  int64    // bytes
	Errors     []error  // what could not be removed
}

// Prune removes every container that is not running (and storage
// containers a killed create of pod's left), then dangling images, or with
// All every image no container uses.
func (r *Runtime) Prune(ctx context.Context, o PruneOptions) (*PruneReport, error) {
	defer r.freeing()()
	rep, err := r.PruneContainers(ctx, o)
	if err != nil {
		return nil, err
	}
	irep, err := r.PruneImages(ctx, o)
	if irep != nil {
		rep.Images, rep.Errors = irep.Images, append(rep.Errors, irep.Errors...)
		rep.Reclaimed += irep.Reclaimed
	}
	return rep, err
}

// PruneImages removes dangling images, or with All every image no
// container uses, as the filters of o allow; the report holds no
// containers.
func (r *Runtime) PruneImages(ctx context.Context, o PruneOptions) (*PruneReport, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	defer r.freeing()()
	rep := &PruneReport{}
	// Removing an image can leave its parent dangling: repeat until a
	// round removes nothing.
	for {
		removed := 0
		imgs, err := image.List(store)
		if err != nil {
			return rep, err
		}
		used, err := r.usedImages()
		if err != nil {
			return rep, err
		}
		for _, img := range imgs {
			if used[img.ID] || img.Intermediate || (!o.All && !img.Dangling) || !o.keep(img.Created, img.Labels) {
				continue
			}
			if _, deleted, err := image.Remove(store, img.ID, false, nil); err != nil {
				if !errors.Is(err, define.ErrImageInUse) {
					rep.Errors = append(rep.Errors, err)
				}
				continue
			} else if len(deleted) > 0 {
				rep.Images = append(rep.Images, img.ID)
				rep.Reclaimed += max(img.Size, 0)
				removed++
			}
		}
		if removed == 0 {
			return rep, nil
		}
	}
}

// PruneContainers removes every container that is not running (as the
// filters of o allow) and the storage containers a killed create of pod's
// left; the report holds no images.
func (r *Runtime) PruneContainers(ctx context.Context, o PruneOptions) (*PruneReport, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	defer r.freeing()()
	rep := &PruneReport{}
	ctrs, _, err := r.ListContainers()
	if err != nil {
		return nil, err
	}
	for _, c := range ctrs {
		if c.State.Status.IsActive() || !o.keep(c.Config.Created, c.Config.Labels) {
			continue
		}
		size, _ := store.ContainerSize(c.ID())
		if err := c.remove(ctx, false, 0); err != nil {
			if !errors.Is(err, define.ErrNoSuchCtr) {
				rep.Errors = append(rep.Errors, err)
			}
			continue
		}
		rep.Containers = append(rep.Containers, c.ID())
		rep.Reclaimed += max(size, 0)
	}
	if ext, err := r.ExternalContainers(); err == nil {
		for _, x := range ext {
			if x.Creator != storageCreator || !o.keep(x.Created, nil) {
				continue
			}
			size, _ := store.ContainerSize(x.ID)
			if err := r.removeExternal(x.ID, true); err != nil {
				rep.Errors = append(rep.Errors, err)
				continue
			}
			rep.Containers = append(rep.Containers, x.ID)
			rep.Reclaimed += max(size, 0)
		}
	}
	return rep, nil
}

// usedImages are the images any storage container (pod's or not) uses.
func (r *Runtime) usedImages() (map[string]bool, error) {
	_, all, err := r.storageContainers()
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, c := range all {
		used[c.ImageID] = true
	}
	return used, nil
}

// keep reports whether an object created at created with labels passes
// the filters.
func (o *PruneOptions) keep(created time.Time, labels map[string]string) bool {
	if !o.Until.IsZero() && !created.Before(o.Until) {
		return false
	}
	has := func(l string) bool {
		k, v, withValue := strings.Cut(l, "=")
		got, ok := labels[k]
		return ok && (!withValue || got == v)
	}
	for _, l := range o.Labels {
		if !has(l) {
			return false
		}
	}
	for _, l := range o.LabelsNot {
		if has(l) {
			return false
		}
	}
	return true
}

// DiskUsage is what `system df` reports.
type DiskUsage struct {
	Images     []ImageUsage
	Containers []ContainerUsage
	// ImagesSize counts every layer once, however many images share it;
	// ImagesReclaimable the layers of images no container uses that no
	// used image shares.
	ImagesSize, ImagesReclaimable int64
}

// ImageUsage is one image's share of the disk.
type ImageUsage struct {
	ID         string
	Names      []string
	Created    time.Time
	Size       int64 // the image's layers and metadata
	SharedSize int64 // the part also in other images
	Containers int   // containers using it
}

// ContainerUsage is one container's share of the disk.
type ContainerUsage struct {
	ID      string
	Name    string
	Image   string
	Command []string
	Created time.Time
	Status  define.ContainerStatus
	Size    int64 // its writable layer
}

// DiskUsage measures images and containers.
func (r *Runtime) DiskUsage(ctx context.Context) (*DiskUsage, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	imgs, err := image.List(store)
	if err != nil {
		return nil, err
	}
	_, all, err := r.storageContainers()
	if err != nil {
		return nil, err
	}
	users := map[string]int{}
	for _, c := range all {
		users[c.ImageID]++
	}
	layerUse := map[string]int{}
	layerSize := map[string]int64{}
	usedLayer := map[string]bool{}
	for _, img := range imgs {
		for _, l := range imageLayers(store, img.TopLayer) {
			layerUse[l]++
			if users[img.ID] > 0 {
				usedLayer[l] = true
			}
			if _, ok := layerSize[l]; !ok {
				if layer, err := store.Layer(l); err == nil && layer.UncompressedSize > 0 {
					layerSize[l] = layer.UncompressedSize
				} else {
					layerSize[l] = 0
				}
			}
		}
	}
	du := &DiskUsage{}
	for l, size := range layerSize {
		du.ImagesSize += size
		if !usedLayer[l] {
			du.ImagesReclaimable += size
		}
	}
	for _, img := range imgs {
		var shared int64
		for _, l := range imageLayers(store, img.TopLayer) {
			if layerUse[l] > 1 {
				shared += layerSize[l]
			}
		}
		du.Images = append(du.Images, ImageUsage{ID: img.ID, Names: img.Names, Created: img.Created, Size: max(img.Size, 0),
			SharedSize: shared, Containers: users[img.ID]})
	}
	ctrs, _, err := r.ListContainers()
	if err != nil {
		return nil, err
	}
	for _, c := range ctrs {
		size, err := store.ContainerSize(c.ID())
		if err != nil {
			size = 0
		}
		du.Containers = append(du.Containers, ContainerUsage{ID: c.ID(), Name: c.Name(), Image: c.Config.ImageName,
			Command: c.ProcessArgs(), Created: c.Config.Created, Status: c.State.Status, Size: size})
	}
	return du, nil
}

// imageLayers lists a layer and its parents.
func imageLayers(store storage.Store, top string) []string {
	var ids []string
	for id := top; id != "" && len(ids) < 1000; {
		l, err := store.Layer(id)
		if err != nil {
			break
		}
		ids = append(ids, id)
		id = l.Parent
	}
	return ids
}

// Reset removes every container, every image and all of pod's state; the
// configuration stays. Running containers are killed first.
func (r *Runtime) Reset(ctx context.Context) error {
	r.releaseReserve(true)
	ctrs, _, _ := r.ListContainers()
	var errs []error
	for _, c := range ctrs {
		if err := c.remove(ctx, true, 0); err != nil && !errors.Is(err, define.ErrNoSuchCtr) {
			errs = append(errs, err)
		}
	}
	// The monitors finish (and run their cleanup command) after their
	// containers are gone: wait for them before removing the store.
	deadline := time.Now().Add(10 * time.Second)
	for _, c := range ctrs {
		for c.monitorAlive() && time.Now().Before(deadline) {
			time.Sleep(pollInterval)
		}
	}
	for _, id := range r.corruptIDs() {
		if err := r.removeCorrupt(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("reset: %w", errors.Join(errs...))
	}
	store, err := r.getStore()
	if err != nil {
		return err
	}
	if _, err := store.Shutdown(true); err != nil {
		return fmt.Errorf("reset: shut down storage: %w", err)
	}
	r.store = nil
	for _, d := range []string{r.cfg.Storage.GraphRoot, r.cfg.Storage.RunRoot, r.cfg.VolumeDir()} {
		// A command running meanwhile may still write there: try again.
		err := os.RemoveAll(d)
		for i := 0; err != nil && i < 3; i++ {
			time.Sleep(100 * time.Millisecond)
			err = os.RemoveAll(d)
		}
		if err != nil {
			return fmt.Errorf("reset: remove %s: %w", d, err)
		}
	}
	return nil
}
