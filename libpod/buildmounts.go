package libpod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/pod-engine/pod/libpod/build"
	"github.com/pod-engine/pod/libpod/define"
)

// runMounts turns the --mount flags of a RUN into --mount values of its
// container:
//   - type=cache: a directory kept between builds below the data directory
//     (build-cache/, one per id, which defaults to the target), owned by
//     uid/gid (default 0) with mode (default 0755) when made;
//   - type=bind: a path of the context, or of a stage or image (from=),
//     read-only (rw is refused: writes would reach the context);
//   - type=tmpfs: a tmpfs.
//
// key identifies them for the step's cache key (a bind source's content
// checksum included); done releases what they hold.
func (b *builder) runMounts(ctx context.Context, s *stageState, c *instructions.RunCommand) (mounts []string, key string, done func(), err error) {
	var cleanups []func()
	release := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	defer func() {
		if err != nil {
			release()
		}
	}()
	var keys []string
	for _, m := range instructions.GetMounts(c) {
		target := m.Target
		if target == "" {
			return nil, "", nil, fmt.Errorf("RUN --mount=type=%s: a target is required: %w", m.Type, define.ErrInvalidArg)
		}
		if !path.IsAbs(target) {
			target = path.Join(s.workDir(), target)
		}
		if strings.Contains(target, ",") || strings.Contains(m.Source, ",") {
			return nil, "", nil, fmt.Errorf("RUN --mount target=%s: a path with a comma cannot be mounted: %w", m.Target, define.ErrInvalidArg)
		}
		switch m.Type {
		case instructions.MountTypeCache:
			id := m.CacheID
			if id == "" {
				id = target
			}
			dir, err := b.cacheDir(id, m)
			if err != nil {
				return nil, "", nil, err
			}
			mounts = append(mounts, "type=bind,src="+dir+",dst="+target)
			keys = append(keys, "cache "+id+" "+target)
		case instructions.MountTypeBind:
			if !m.ReadOnly {
				return nil, "", nil, fmt.Errorf("RUN --mount=type=bind,target=%s,rw: writable bind mounts are not supported: leave out rw: %w", m.Target, define.ErrInvalidArg)
			}
			root := b.ctxDir
			if m.From != "" {
				r, release, err := b.rootOf(ctx, s, m.From)
				if err != nil {
					return nil, "", nil, err
				}
				cleanups = append(cleanups, release)
				root = r
			}
			src := m.Source
			if src == "" {
				src = "."
			}
			srcs, err := root.Resolve(src)
			if err != nil {
				return nil, "", nil, fmt.Errorf("RUN --mount=type=bind: %w", err)
			}
			if len(srcs) != 1 {
				return nil, "", nil, fmt.Errorf("RUN --mount=type=bind,source=%s: names %d files, want one: %w", src, len(srcs), define.ErrInvalidArg)
			}
			sum, err := root.Checksum(srcs)
			if err != nil {
				return nil, "", nil, err
			}
			mounts = append(mounts, "type=bind,src="+srcs[0].Path+",dst="+target+",ro")
			keys = append(keys, "bind "+m.From+" "+sum+" "+target)
		case instructions.MountTypeTmpfs:
			mounts = append(mounts, "type=tmpfs,dst="+target)
			keys = append(keys, "tmpfs "+target)
		default:
			return nil, "", nil, fmt.Errorf("RUN --mount=type=%s is not supported: use cache, bind or tmpfs: %w", m.Type, define.ErrInvalidArg)
		}
	}
	return mounts, strings.Join(keys, "\x00"), release, nil
}

// cacheDir is the directory of cache mount id, made when missing.
func (b *builder) cacheDir(id string, m *instructions.Mount) (string, error) {
	sum := sha256.Sum256([]byte(id))
	dir := filepath.Join(b.r.cfg.StaticDir, "build-cache", hex.EncodeToString(sum[:16]))
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return "", err
	}
	mode := os.FileMode(0o755)
	if m.Mode != nil {
		mode = os.FileMode(*m.Mode & 0o7777)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".new-")
	if err != nil {
		return "", err
	}
	uid, gid := 0, 0
	if m.UID != nil {
		uid = int(*m.UID)
	}
	if m.GID != nil {
		gid = int(*m.GID)
	}
	if err := os.Lchown(tmp, uid, gid); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("cache mount %s: %w", id, err)
	}
	if err := os.Chmod(tmp, mode); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Remove(tmp)
		if _, serr := os.Stat(dir); serr == nil {
			return dir, nil // made at the same time by another build
		}
		return "", err
	}
	return dir, nil
}

// rootOf mounts the root file system of a stage or image (COPY --from,
// RUN --mount from=) in a storage container of this build; release
// removes it.
func (b *builder) rootOf(ctx context.Context, s *stageState, from string) (*build.Root, func(), error) {
	id := ""
	if j := b.file.StageIndex(from, s.index); j >= 0 {
		id = b.stages[j]
	} else {
		ref, err := b.pullQuiet(ctx, from)
		if err != nil {
			return nil, nil, err
		}
		id = ref
	}
	mp, release, err := b.imageRoot(id)
	if err != nil {
		return nil, nil, fmt.Errorf("mounting %s: %w", from, err)
	}
	return &build.Root{Dir: mp}, release, nil
}
