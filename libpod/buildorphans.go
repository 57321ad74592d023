package libpod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// A build holds the lock "build-<id>" while it runs. Its RUN containers
// carry the labels io.pod.build=true and io.pod.build.id=<id>; its storage
// containers (COPY/ADD roots, COPY --from sources, squashing) carry pod's
// metadata with the build id. A build killed with SIGKILL leaves them
// behind: the next command that lists containers, and the next build,
// remove those whose build no longer holds its lock. A build that is
// interrupted (SIGINT, SIGTERM, SIGHUP) cleans up itself before it dies of
// the signal.

const (
	buildLabel      = "io.pod.build"
	buildIDLabel    = "io.pod.build.id"
	buildLockPrefix = "build-"
)

// beginBuild takes the lock of a new build and returns its id; release
// gives it up.
func (r *Runtime) beginBuild() (string, func(), error) {
	id := newID()[:32]
	l, err := r.locks.Acquire(buildLockPrefix + id)
	if err != nil {
		return "", nil, fmt.Errorf("taking the build lock: %w", err)
	}
	return id, func() {
		r.locks.Remove(buildLockPrefix + id)
		l.Close()
	}, nil
}

// buildGone reports whether build id no longer runs: nobody holds its
// lock.
func (r *Runtime) buildGone(id string) bool {
	if id == "" || !isHex(id) {
		return false
	}
	l, err := r.locks.TryAcquire(buildLockPrefix + id)
	if err != nil || l == nil {
		return false
	}
	r.locks.Remove(buildLockPrefix + id)
	l.Close()
	return true
}

// buildOrphan reports whether c is a RUN container of a build that no
// longer runs.
func (r *Runtime) buildOrphan(c *Container) bool {
	return c.Config != nil && c.Config.Labels[buildLabel] == "true" && r.buildGone(c.Config.Labels[buildIDLabel])
}

// removeBuildOrphan removes a RUN container a killed build left.
func (r *Runtime) removeBuildOrphan(c *Container) {
	logrus.Debugf("removing container %s of a build that was killed", c.Config.ID)
	if err := c.remove(context.Background(), true, 0); err != nil {
		logrus.Warnf("removing container %s of a killed build: %v", define.ShortID(c.Config.ID), err)
	}
}

// buildStorageMeta is the metadata of a build's storage container.
func buildStorageMeta(buildID string) string {
	b, _ := json.Marshal(storageMeta{Creator: storageCreator, Build: buildID})
	return string(b)
}

// reapBuildStorage removes the storage containers of builds that no
// longer run.
func (r *Runtime) reapBuildStorage() {
	store, all, err := r.storageContainers()
	if err != nil {
		return
	}
	for i := range all {
		c := &all[i]
		var m storageMeta
		if json.Unmarshal([]byte(c.Metadata), &m) != nil || m.Creator != storageCreator || m.Build == "" || !r.buildGone(m.Build) {
			continue
		}
		logrus.Debugf("removing storage container %s of a build that was killed", c.ID)
		_, _ = store.Unmount(c.ID, true)
		if err := store.DeleteContainer(c.ID); err != nil && !errors.Is(err, storage.ErrContainerUnknown) {
			logrus.Warnf("removing storage container %s of a killed build: %v", define.ShortID(c.ID), err)
		}
	}
}

// reapBuilds removes everything builds that were killed left: their RUN
// containers and storage containers.
func (r *Runtime) reapBuilds() {
	r.reapBuildStorage()
	if _, _, err := r.ListContainers(); err != nil {
		logrus.Debugf("listing containers: %v", err)
	}
}
