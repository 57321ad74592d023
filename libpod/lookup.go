package libpod

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	jsoniter "github.com/json-iterator/go"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

var nameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// validateName checks a container name as the CLI accepts it: any length,
// as podman.
func validateName(name string) error {
	if !nameRe.MatchString(name) {
		return fmt.Errorf("container name %q must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: %w", name, define.ErrInvalidArg)
	}
	return nil
}

// maxNameFile is the longest name that is its own file name in the names
// index; a longer one is keyed by its hash.
const maxNameFile = 200

// namePath is the names index entry of name. A valid name never starts
// with "_" or ".", so hashed keys ("_" + sha256) and the reservation
// directory (".tmp") never collide with a name.
func (r *Runtime) namePath(name string) string {
	key := name
	if len(name) > maxNameFile {
		sum := sha256.Sum256([]byte(name))
		key = "_" + hex.EncodeToString(sum[:])
	}
	return filepath.Join(r.cfg.StaticDir, "names", key)
}

// nameTempDir holds the files a name reservation links into place, named
// by the reserving container's id.
func (r *Runtime) nameTempDir() string { return filepath.Join(r.cfg.StaticDir, "names", ".tmp") }

// reapNameTemps removes the reservation files of creators that are gone
// (nobody holds their container's lock), with their lock files. The
// directory is empty but for a create in flight, so this is cheap.
func (r *Runtime) reapNameTemps() {
	ents, err := os.ReadDir(r.nameTempDir())
	if err != nil {
		return
	}
	for _, e := range ents {
		id := e.Name()
		if r.containerExists(id) || !r.lockFree(id) {
			continue
		}
		os.Remove(filepath.Join(r.nameTempDir(), id))
		if !r.dirExists(id) {
			r.locks.Remove(id)
		}
	}
}

func (r *Runtime) dirExists(id string) bool {
	_, err := os.Stat(filepath.Join(r.cfg.StaticDir, "containers", id))
	return err == nil
}

// reserveName atomically claims name for id: a hard link of a temp file
// fails if the name exists, so two creators never both win.
func (r *Runtime) reserveName(name, id string) error {
	p := r.namePath(name)
	if err := os.MkdirAll(r.nameTempDir(), 0o700); err != nil {
		return fmt.Errorf("reserve name %s: %w", name, err)
	}
	tmp := filepath.Join(r.nameTempDir(), id)
	if err := os.WriteFile(tmp, []byte(id), 0o600); err != nil {
		return fmt.Errorf("reserve name %s: %w", name, err)
	}
	defer os.Remove(tmp)
	for attempt := 0; attempt < 2; attempt++ {
		err := os.Link(tmp, p)
		if err == nil {
			return nil
		}
		if !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("reserve name %s: %w", name, err)
		}
		// A name left behind by a crash is free: its container has no
		// config.json and nobody holds its lock (a creator does).
		other, rerr := os.ReadFile(p)
		if rerr == nil && !r.containerExists(string(other)) && r.lockFree(string(other)) {
			if r.reclaimName(name, string(other)) {
				continue
			}
		}
		return fmt.Errorf("the container name %q is already in use by %s: remove that container or choose another name: %w",
			name, strings.TrimSpace(string(other)), define.ErrNameInUse)
	}
	return fmt.Errorf("the container name %q is already in use: %w", name, define.ErrNameInUse)
}

// reclaimName removes the stale name file of name if it still belongs to
// staleID, under a per-name lock so that two reclaimers never both win.
func (r *Runtime) reclaimName(name, staleID string) bool {
	l, err := r.locks.Acquire("name-" + name)
	if err != nil {
		return false
	}
	defer l.Close()
	cur, err := os.ReadFile(r.namePath(name))
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	if string(cur) != staleID || r.containerExists(staleID) || !r.lockFree(staleID) {
		return false
	}
	return os.Remove(r.namePath(name)) == nil
}

// lockFree reports whether nobody holds the lock of id right now.
func (r *Runtime) lockFree(id string) bool {
	if len(id) != 64 || !isHex(id) {
		return true
	}
	l, err := r.locks.TryAcquire(id)
	if err != nil || l == nil {
		return false
	}
	l.Close()
	return true
}

func (r *Runtime) releaseName(name, id string) {
	p := r.namePath(name)
	if b, err := os.ReadFile(p); err == nil && string(b) == id {
		os.Remove(p)
	}
}

func (r *Runtime) containerExists(id string) bool {
	if len(id) != 64 || strings.ContainsAny(id, "/.") {
		return false
	}
	_, err := os.Stat(filepath.Join(r.cfg.StaticDir, "containers", id, "config.json"))
	return err == nil
}

// lookupContainer finds a container by name, full id or unique id prefix.
func (r *Runtime) lookupContainer(nameOrID string) (*Container, error) {
	id, err := r.resolveID(nameOrID)
	if err != nil {
		return nil, err
	}
	return r.loadContainer(id)
}

// resolveID turns a name, full id or unique id prefix into a container id
// without reading the container's files (they may be corrupt).
func (r *Runtime) resolveID(nameOrID string) (string, error) {
	if nameOrID == "" {
		return "", fmt.Errorf("empty container name or id: %w", define.ErrInvalidArg)
	}
	if nameRe.MatchString(nameOrID) {
		if b, err := os.ReadFile(r.namePath(nameOrID)); err == nil && r.containerExists(string(b)) {
			return string(b), nil
		}
	}
	if r.containerExists(nameOrID) {
		return nameOrID, nil
	}
	ids, err := r.containerIDs()
	if err != nil {
		return "", err
	}
	var match string
	for _, id := range ids {
		if strings.HasPrefix(id, nameOrID) && nameOrID != "" {
			if match != "" {
				return "", fmt.Errorf("%q matches more than one container: give more of the id: %w", nameOrID, define.ErrAmbiguousID)
			}
			match = id
		}
	}
	if match == "" || !isHex(nameOrID) {
		return "", fmt.Errorf("no container with name or ID %q found: %w", nameOrID, define.ErrNoSuchCtr)
	}
	return match, nil
}

// corruptIDs lists containers whose files cannot be read.
func (r *Runtime) corruptIDs() []string {
	ids, _ := r.containerIDs()
	var out []string
	for _, id := range ids {
		if _, err := r.loadContainer(id); err != nil && errors.Is(err, define.ErrCorruptState) {
			out = append(out, id)
		}
	}
	return out
}

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// ListContainers returns every container with its state synced (without
// locks: listing never waits on another command), oldest first as podman
// lists them. Unreadable containers are returned in bad with the reason.
//
// The containers are read and synced in parallel (each read is a few
// system calls that wait on the file system); what must be written back (a
// state the monitor changed, the cleanup after a dead monitor) is done
// afterwards, one container at a time.
func (r *Runtime) ListContainers() (ctrs []*Container, bad []error, err error) {
	ids, err := r.containerIDs()
	if err != nil {
		return nil, nil, err
	}
	r.reapNameTemps()
	r.reapLocks(ids)
	type loaded struct {
		c       *Container
		err     error
		persist bool
	}
	res := make([]loaded, len(ids))
	dirfd, err := unix.Open(filepath.Join(r.cfg.StaticDir, "containers"), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("list containers: %w", err)
	}
	defer unix.Close(dirfd)
	// One read buffer per worker: each file is decoded before the next read.
	var scratch [maxWorkers][]byte
	parallel(len(ids), func(w, i int) {
		c, err := r.loadContainerAt(dirfd, ids[i], &scratch[w])
		if err != nil {
			res[i].err = err
			return
		}
		changed := c.syncState()
		res[i] = loaded{c: c, persist: changed || c.leftBehindRecorded()}
	})
	ctrs = make([]*Container, 0, len(ids))
	for i, l := range res {
		id := ids[i]
		if l.err != nil {
			if errors.Is(l.err, define.ErrNoSuchCtr) {
				r.reapIncomplete(id)
			} else {
				bad = append(bad, l.err)
			}
			continue
		}
		c := l.c
		if r.buildOrphan(c) {
			r.removeBuildOrphan(c)
			continue
		}
		if l.persist {
			// Persist what the monitor reported, and clean up after a
			// monitor that died, when nobody else holds the lock.
			if lk, lerr := r.locks.TryAcquire(id); lerr == nil && lk != nil {
				if st, e := c.readState(); e == nil {
					c.State = st
					if c.syncState() {
						_ = c.saveState()
					}
					if c.leftBehind() {
						_ = c.cleanupLocked()
					}
				}
				lk.Close()
			}
		}
		ctrs = append(ctrs, c)
	}
	sort.SliceStable(ctrs, func(i, j int) bool { return ctrs[i].Config.Created.Before(ctrs[j].Config.Created) })
	return ctrs, bad, nil
}

// maxWorkers bounds the goroutines of parallel.
const maxWorkers = 8

// parallel runs fn(w, 0..n-1) on a few goroutines (w < maxWorkers is the
// goroutine's number) and returns when all are done.
func parallel(n int, fn func(w, i int)) {
	workers := min(runtime.GOMAXPROCS(0), maxWorkers, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(w, i)
			}
		}()
	}
	wg.Wait()
}

// decodeJSON decodes a container's config or state file, as encoding/json
// would, and faster (ps reads thousands of them).
func decodeJSON(data []byte, v any) error {
	return jsoniter.ConfigCompatibleWithStandardLibrary.Unmarshal(data, v)
}

// readSmallFile is os.ReadFile for the small files a listing reads of every
// container (config, state, pid records): open, read and close, without
// os.File's poller registration and stat, usually three system calls. Errors are os.ReadFile's
// (*fs.PathError, os.ErrNotExist for a missing file).
func readSmallFile(path string) ([]byte, error) {
	return readSmallFileAt(unix.AT_FDCWD, path, path, nil)
}

// readSmallFileAt is readSmallFile of rel below the directory dirfd, read
// into buf's storage when it is large enough (the result then aliases buf);
// path names the file in errors.
func readSmallFileAt(dirfd int, rel, path string, buf []byte) ([]byte, error) {
	fd, err := unix.Openat(dirfd, rel, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	if cap(buf) < 4096 {
		buf = make([]byte, 0, 4096)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		space := cap(buf) - len(buf)
		buf = buf[:len(buf)+n]
		if n == 0 || n < space {
			// A short read of a regular file is its end: these files
			// are replaced by rename, never written in place.
			return buf, nil
		}
	}
}
