package libpod

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

// A full disk must never keep the user from freeing it, yet deleting
// writes: pod saves a container's state before removing it, and the
// storage library rewrites its records of containers and layers. So pod
// keeps a small preallocated file on the disk of its data directory and of
// the graph root, and deletes it before a removal when that disk is nearly
// full; the space it held lets those writes through. It is taken again
// afterwards, when there is room. With room to spare nothing is touched.

// reserveSize is the space held for removals on each disk.
const reserveSize = 1 << 20

// lowSpace is the free space under which a removal releases the reserve.
const lowSpace = 8 << 20

// reserveName is the reserve file's name in the data directory and in the
// graph root.
const reserveName = ".pod-reserve"

func (r *Runtime) reservePaths() []string {
	return []string{filepath.Join(r.cfg.StaticDir, reserveName), filepath.Join(r.cfg.Storage.GraphRoot, reserveName)}
}

// ensureReserve takes the reserve where it is missing and there is room.
func (r *Runtime) ensureReserve() {
	for _, p := range r.reservePaths() {
		if _, err := os.Stat(p); err == nil || !errors.Is(err, os.ErrNotExist) {
			continue
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			continue
		}
		err = unix.Fallocate(int(f.Fd()), 0, 0, reserveSize)
		f.Close()
		if err != nil {
			os.Remove(p) // no room (or no fallocate): try again next time
		}
	}
}

// releaseReserve gives the reserved space back (all of it with force, else
// where the disk is nearly full).
func (r *Runtime) releaseReserve(force bool) (released bool) {
	for _, p := range r.reservePaths() {
		var st unix.Statfs_t
		if !force && unix.Statfs(filepath.Dir(p), &st) == nil && st.Bavail*uint64(st.Bsize) >= lowSpace {
			continue
		}
		if os.Remove(p) == nil {
			released = true
		}
	}
	return released
}

// freeing prepares a removal: the reserve is released where the disk is
// nearly full, and done takes it again.
func (r *Runtime) freeing() (done func()) {
	if r.releaseReserve(false) {
		return r.ensureReserve
	}
	return func() {}
}

// noSpace turns an error of a full disk into one clear line that names the
// directory and the way out; other errors pass unchanged.
func (r *Runtime) noSpace(what string, err error) error {
	if err == nil || !(errors.Is(err, unix.ENOSPC) || errors.Is(err, unix.EDQUOT)) {
		return err
	}
	return fmt.Errorf("%s: %w in %s: free some with `pod system prune`, `pod rm` or `pod rmi`",
		what, define.ErrNoSpace, r.cfg.StaticDir)
}
