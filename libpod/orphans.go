package libpod

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// A create killed half-way leaves pieces that no container owns: a
// container directory without config.json, the storage container made for
// it, a name entry, a lock file, a name reservation's temp file. The next
// command that lists containers removes them (reapIncomplete), as long as
// nobody holds the container's lock (a live creator does until config.json
// exists). Storage containers that pod did not create (a build's, another
// tool's sharing the store) are only shown (ps --external) and removed when
// asked for by name or id.

// storageCreator is the creator pod records in the metadata of the storage
// containers it makes.
const storageCreator = "pod"

// storageMeta is the metadata of a storage container pod made.
type storageMeta struct {
	Creator string `json:"creator"`
	Name    string `json:"name,omitempty"`
	// Build is the id of the build that made it (buildorphans.go).
	Build string `json:"build,omitempty"`
}

func storageMetadata(name string) string {
	b, _ := json.Marshal(storageMeta{Creator: storageCreator, Name: name})
	return string(b)
}

// createdByPod reports whether a storage container carries pod's metadata.
func createdByPod(c *storage.Container) bool {
	var m storageMeta
	return json.Unmarshal([]byte(c.Metadata), &m) == nil && m.Creator == storageCreator
}

// reapIncomplete removes what a killed create left of container id, if it
// has no config.json and nobody holds its lock. It reports whether it did.
func (r *Runtime) reapIncomplete(id string) bool {
	if len(id) != 64 || !isHex(id) {
		return false
	}
	l, err := r.locks.TryAcquire(id)
	if err != nil || l == nil {
		return false
	}
	defer l.Close()
	if r.containerExists(id) {
		return false
	}
	logrus.Debugf("removing the remains of an incomplete create: %s", id)
	if store, err := r.getStore(); err == nil {
		defer r.freeing()()
		_, _ = store.Unmount(id, true)
		if err := store.DeleteContainer(id); err != nil && !errors.Is(err, storage.ErrContainerUnknown) && !errors.Is(err, storage.ErrNotAContainer) {
			logrus.Debugf("remove storage of incomplete container %s: %v", id, err)
			return false
		}
	}
	r.releaseNamesOf(id)
	os.RemoveAll(filepath.Join(r.cfg.StaticDir, "containers", id))
	os.RemoveAll(filepath.Join(r.cfg.RunDir, "containers", id))
	r.locks.Remove(id)
	return true
}

// releaseNamesOf removes every name entry that names id, and its
// reservation file.
func (r *Runtime) releaseNamesOf(id string) {
	dir := filepath.Join(r.cfg.StaticDir, "names")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if b, err := os.ReadFile(p); err == nil && !e.IsDir() && string(b) == id {
			os.Remove(p)
		}
	}
	os.Remove(filepath.Join(r.nameTempDir(), id))
}

// ExternalContainer is a storage container that is not one of pod's
// containers: another tool's, or what a killed create left.
type ExternalContainer struct {
	ID      string
	Names   []string
	ImageID string
	Image   string // the image's first name, else its id
	Created time.Time
	// Creator is "pod" for a storage container pod made, else "storage".
	Creator string
	// Build is the id of the build that made it, if one did.
	Build string
}

// storageContainers lists every container of the store, pod's or not.
func (r *Runtime) storageContainers() (storage.Store, []storage.Container, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, nil, err
	}
	all, err := store.Containers()
	if err != nil {
		return nil, nil, fmt.Errorf("list storage containers: %w", err)
	}
	return store, all, nil
}

// ExternalContainers lists the storage containers that are not pod's
// containers.
func (r *Runtime) ExternalContainers() ([]ExternalContainer, error) {
	store, all, err := r.storageContainers()
	if err != nil {
		return nil, err
	}
	var out []ExternalContainer
	for i := range all {
		c := &all[i]
		if r.containerExists(c.ID) {
			continue
		}
		e := ExternalContainer{ID: c.ID, Names: c.Names, ImageID: c.ImageID, Image: c.ImageID, Created: c.Created, Creator: "storage"}
		var m storageMeta
		if json.Unmarshal([]byte(c.Metadata), &m) == nil && m.Creator == storageCreator {
			e.Creator, e.Build = storageCreator, m.Build
		}
		if img, err := store.Image(c.ImageID); err == nil {
			e.Image = imageName(img)
		}
		out = append(out, e)
	}
	return out, nil
}

// removeExternal removes the storage container nameOrID names (full id,
// unique id prefix or storage name) when it is not one of pod's
// containers. With podOnly, only one that pod created is removed.
func (r *Runtime) removeExternal(nameOrID string, podOnly bool) error {
	store, all, err := r.storageContainers()
	if err != nil {
		return err
	}
	var match *storage.Container
	for i := range all {
		c := &all[i]
		hit := c.ID == nameOrID || (isHex(nameOrID) && strings.HasPrefix(c.ID, nameOrID))
		for _, n := range c.Names {
			hit = hit || n == nameOrID
		}
		if !hit {
			continue
		}
		if match != nil {
			return fmt.Errorf("%q matches more than one storage container: give more of the id: %w", nameOrID, define.ErrAmbiguousID)
		}
		match = c
	}
	if match == nil || r.containerExists(match.ID) || (podOnly && !createdByPod(match)) {
		return fmt.Errorf("no container with name or ID %q found: %w", nameOrID, define.ErrNoSuchCtr)
	}
	_, _ = store.Unmount(match.ID, true)
	if err := store.DeleteContainer(match.ID); err != nil && !errors.Is(err, storage.ErrContainerUnknown) {
		return fmt.Errorf("remove storage container %s: %w", match.ID, err)
	}
	r.locks.Remove(match.ID)
	return nil
}

// reapLocks removes the lock files that belong to nothing: a container id
// with no directory, no config and no name reservation (a create killed
// right after taking its lock), or a name's reclaim lock. Each goes only
// while held by this process; a process waiting on it then takes a new
// file (lock.Manager checks).
func (r *Runtime) reapLocks(ids []string) {
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	reapedBuilds := false
	for _, name := range r.locks.Names() {
		if known[name] {
			continue
		}
		if id, ok := strings.CutPrefix(name, buildLockPrefix); ok {
			// A build's lock file that is there but free: the build was
			// killed (one that ends removes it). buildGone removes the file;
			// the build's storage containers go with the first such lock,
			// so listing opens the store only after a kill.
			if r.buildGone(id) && !reapedBuilds {
				r.reapBuildStorage()
				reapedBuilds = true
			}
			continue
		}
		if len(name) == 64 && isHex(name) {
			if r.dirExists(name) || fileExists(filepath.Join(r.nameTempDir(), name)) {
				continue
			}
		} else if !strings.HasPrefix(name, "name-") {
			continue
		}
		l, err := r.locks.TryAcquire(name)
		if err != nil || l == nil {
			continue
		}
		if !r.dirExists(name) && !fileExists(filepath.Join(r.nameTempDir(), name)) {
			r.locks.Remove(name)
		}
		l.Close()
	}
}
