package image

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/opencontainers/go-digest"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/lock"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// Processes that pull into one store at the same time download each layer
// blob once. The image library has no lock across processes, so pod holds
// one flock per blob digest (a file in <runroot>/pod-blob-locks) from the
// moment the store is found not to have the layer until the layer is in the
// store:
//
//   - TryReusingBlob: when the store does not have the blob, take its lock.
//     If another process held it, that process has stored the layer by the
//     time the lock is free: ask the store again and reuse it.
//   - PutBlob stores the downloaded blob in a temporary file; the layer is
//     created from it when the image is committed, so the lock is kept until
//     Commit (or Close, on failure) returns.
//
// A process that waits for a lock first gives up the locks of the blobs it
// has already downloaded and not yet committed (and gives up those it
// finishes downloading while it waits): a process never waits while holding
// a lock that only its own commit would release, so two pulls that need the
// same blobs in different orders cannot deadlock. The worst case is a
// second download, never a wrong layer: reuse is always decided by the
// store.
//
// The destination is wrapped through the library's public interface, so
// partial (chunked) pulls are not used and layers are created at commit.

// blobLockPoll is how often a waiting process tries a held blob lock again.
const blobLockPoll = 50 * time.Millisecond

// blobLocks are the blob locks one image copy holds.
type blobLocks struct {
	m *lock.Manager

	mu      sync.Mutex
	held    map[digest.Digest]*heldBlob
	waiting int // goroutines of this copy waiting for another process's lock
}

// heldBlob is a blob this copy has claimed. l is nil while the lock is being
// taken (another goroutine of this copy needing the same blob then goes on
// without it).
type heldBlob struct {
	l       *fsutil.Lock
	pending bool // downloaded, not yet committed
}

func newBlobLocks(store storage.Store) (*blobLocks, error) {
	m, err := lock.New(filepath.Join(store.RunRoot(), "pod-blob-locks"))
	if err != nil {
		return nil, err
	}
	return &blobLocks{m: m, held: map[digest.Digest]*heldBlob{}}, nil
}

func blobLockName(d digest.Digest) string { return d.Algorithm().String() + "-" + d.Encoded() }

// acquire takes d's lock. locked is false when this copy already claimed d
// (nothing is taken). waited reports that another process held the lock.
func (b *blobLocks) acquire(ctx context.Context, d digest.Digest) (locked, waited bool, err error) {
	if d.Validate() != nil {
		return false, false, nil
	}
	b.mu.Lock()
	if _, ok := b.held[d]; ok {
		b.mu.Unlock()
		return false, false, nil
	}
	h := &heldBlob{}
	b.held[d] = h
	b.mu.Unlock()

	defer func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if waited {
			b.waiting--
		}
		if !locked {
			delete(b.held, d)
		}
	}()
	name := blobLockName(d)
	for {
		l, err := b.m.TryAcquire(name)
		if err != nil {
			return false, waited, err
		}
		if l != nil {
			b.mu.Lock()
			h.l = l
			b.mu.Unlock()
			return true, waited, nil
		}
		if !waited {
			waited = true
			logrus.Debugf("blob %s: another process is downloading it, waiting", d)
			b.mu.Lock()
			b.waiting++
			b.releasePendingLocked()
			b.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return false, waited, ctx.Err()
		case <-time.After(blobLockPoll):
		}
	}
}

// downloaded records that the download of d ended (ok: it is waiting for
// the commit). A failed download releases the lock, as does a finished one
// while this copy waits for another process.
func (b *blobLocks) downloaded(d digest.Digest, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h, held := b.held[d]
	if !held || h.l == nil {
		return
	}
	h.pending = true
	if !ok || b.waiting > 0 {
		b.releaseLocked(d)
	}
}

// release gives up d's lock.
func (b *blobLocks) release(d digest.Digest) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.releaseLocked(d)
}

// releaseAll gives up every lock (after the commit, or on failure).
func (b *blobLocks) releaseAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for d, h := range b.held {
		if h.l != nil {
			b.releaseLocked(d)
		}
	}
}

func (b *blobLocks) releasePendingLocked() {
	for d, h := range b.held {
		if h.l != nil && h.pending {
			logrus.Debugf("blob %s: releasing its lock before its commit", d)
			b.releaseLocked(d)
		}
	}
}

// releaseLocked removes d's lock file while holding it (a waiter that
// locked the removed file notices and takes the new one) and unlocks it.
func (b *blobLocks) releaseLocked(d digest.Digest) {
	h, ok := b.held[d]
	if !ok || h.l == nil {
		return
	}
	b.m.Remove(blobLockName(d))
	_ = h.l.Close()
	delete(b.held, d)
}

// lockingRef is a storage reference whose destinations take blob locks.
type lockingRef struct {
	types.ImageReference
	locks *blobLocks
}

// NewImageDestination wraps the store's destination.
func (r lockingRef) NewImageDestination(ctx context.Context, sys *types.SystemContext) (types.ImageDestination, error) {
	d, err := r.ImageReference.NewImageDestination(ctx, sys)
	if err != nil {
		return nil, err
	}
	return &lockingDest{ImageDestination: d, locks: r.locks}, nil
}

// lockingDest takes the blob locks around the store's destination.
type lockingDest struct {
	types.ImageDestination
	locks *blobLocks
}

// TryReusingBlob asks the store; when it does not have the blob, the blob's
// lock is taken, and if another process held it the store is asked again.
func (d *lockingDest) TryReusingBlob(ctx context.Context, info types.BlobInfo, cache types.BlobInfoCache, canSubstitute bool) (bool, types.BlobInfo, error) {
	reused, bi, err := d.ImageDestination.TryReusingBlob(ctx, info, cache, canSubstitute)
	if err != nil || reused || info.Digest == "" {
		return reused, bi, err
	}
	locked, waited, err := d.locks.acquire(ctx, info.Digest)
	if err != nil {
		if ctx.Err() != nil {
			return false, types.BlobInfo{}, fmt.Errorf("waiting for blob %s: %w", info.Digest, err)
		}
		logrus.Debugf("blob %s: no lock (%v), downloading without it", info.Digest, err)
		return false, types.BlobInfo{}, nil
	}
	if !waited {
		return false, types.BlobInfo{}, nil
	}
	reused, bi, err = d.ImageDestination.TryReusingBlob(ctx, info, cache, canSubstitute)
	if (err != nil || reused) && locked {
		d.locks.release(info.Digest)
	}
	if reused {
		logrus.Debugf("blob %s: stored meanwhile by another process, reusing it", info.Digest)
	}
	return reused, bi, err
}

// PutBlob stores the blob and notes that its download ended.
func (d *lockingDest) PutBlob(ctx context.Context, stream io.Reader, info types.BlobInfo, cache types.BlobInfoCache, isConfig bool) (types.BlobInfo, error) {
	bi, err := d.ImageDestination.PutBlob(ctx, stream, info, cache, isConfig)
	if !isConfig && info.Digest != "" {
		d.locks.downloaded(info.Digest, err == nil)
	}
	return bi, err
}

// Commit creates the layers and the image, then releases the locks: the
// layers are in the store.
func (d *lockingDest) Commit(ctx context.Context, unparsedToplevel types.UnparsedImage) error {
	defer d.locks.releaseAll()
	return d.ImageDestination.Commit(ctx, unparsedToplevel)
}

// Close releases the locks a failed copy still holds.
func (d *lockingDest) Close() error {
	d.locks.releaseAll()
	return d.ImageDestination.Close()
}
