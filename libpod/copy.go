package libpod

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	securejoin "github.com/cyphar/filepath-securejoin"
	"go.podman.io/storage/pkg/archive"
	"go.podman.io/storage/pkg/chrootarchive"
	"go.podman.io/storage/pkg/idtools"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

// CopyTarget is one side of `pod cp`: a path in a container, or on the
// host when Container is empty. The host path "-" is a tar stream: stdin as
// the source, stdout as the destination.
type CopyTarget struct {
	Container string
	Path      string
}

// IsStream reports whether t is the host's "-".
func (t CopyTarget) IsStream() bool { return t.Container == "" && t.Path == "-" }

// CopyOptions tune CopyContainer.
type CopyOptions struct {
	// Chown makes what is copied into a container owned by the
	// container's user and group (`--archive`, podman's default); without
	// it the owners recorded in the archive are kept. What is copied to
	// the host is always owned by the user.
	Chown bool
	// Overwrite lets a directory replace a non-directory and vice versa.
	Overwrite bool
	// Stdin is read for a "-" source (a tar archive, possibly compressed);
	// Stdout receives the tar archive of a "-" destination.
	Stdin  io.Reader
	Stdout io.Writer
}

// CopyContainer copies src to dst as `docker cp` and `podman cp` do: a
// directory copied to an existing directory goes inside it, "DIR/." copies
// the directory's contents, a missing destination is created from the
// source (its parent must exist), and a file copied onto a file replaces
// it. At least one side is a container, running or not: a container that
// is not mounted is mounted for the copy. Paths in a container are
// resolved inside its root filesystem (relative ones from its working
// directory): symlinks, absolute or relative, never lead out of it, and
// the archive is packed and unpacked chrooted into it.
func (r *Runtime) CopyContainer(ctx context.Context, src, dst CopyTarget, o CopyOptions) error {
	if src.Container == "" && dst.Container == "" {
		return fmt.Errorf("name or ID cannot be empty: one of the paths must name a container as CONTAINER:PATH: %w", define.ErrInvalidArg)
	}
	if dst.Container == "" && src.IsStream() {
		return fmt.Errorf("a tar stream from stdin (-) can only be copied into a container: %w", define.ErrInvalidArg)
	}
	var from, to *copySide
	for _, s := range []struct {
		t    CopyTarget
		side **copySide
	}{{src, &from}, {dst, &to}} {
		side, err := r.openCopySide(s.t)
		if err != nil {
			return err
		}
		defer side.release()
		*s.side = side
	}
	if src.IsStream() {
		return copyFromStdin(o, to)
	}
	srcInfo, err := from.sourceInfo()
	if err != nil {
		return err
	}
	if dst.IsStream() {
		content, err := from.pack(srcInfo)
		if err != nil {
			return err
		}
		defer content.Close()
		if _, err := io.Copy(o.Stdout, content); err != nil {
			return fmt.Errorf("copy %s: %w", from.describe(src.Path), err)
		}
		return nil
	}
	dstInfo, err := to.destinationInfo()
	if err != nil {
		return err
	}
	if srcInfo.IsDir && dstInfo.Exists && !dstInfo.IsDir {
		return fmt.Errorf("destination must be a directory when copying a directory: %s is not one: %w", to.describe(dst.Path), define.ErrInvalidArg)
	}
	content, err := from.pack(srcInfo)
	if err != nil {
		return err
	}
	defer content.Close()
	dstDir, prepared, err := archive.PrepareArchiveCopy(content, srcInfo, dstInfo)
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", from.describe(src.Path), to.describe(dst.Path), err)
	}
	defer prepared.Close()
	return to.unpack(prepared, dstDir, o)
}

// copyFromStdin extracts the tar archive on o.Stdin into the container
// directory to names.
func copyFromStdin(o CopyOptions, to *copySide) error {
	dstInfo, err := to.destinationInfo()
	if err != nil {
		return err
	}
	if !dstInfo.Exists || !dstInfo.IsDir {
		return fmt.Errorf("destination must be a directory when copying from stdin: %s is not one: %w", to.describe(to.path), define.ErrInvalidArg)
	}
	content, err := tarStream(o.Stdin)
	if err != nil {
		return err
	}
	defer content.Close()
	return to.unpack(content, dstInfo.Path, o)
}

// copySide is one side of a copy, with the container mounted.
type copySide struct {
	r       *Runtime
	c       *Container // nil: the host
	name    string     // the container as the user named it
	path    string     // the path as the user gave it
	root    string     // the container's mounted root filesystem
	workDir string     // where relative container paths start
	release func()
}

// openCopySide looks up and mounts t's container, if any.
func (r *Runtime) openCopySide(t CopyTarget) (*copySide, error) {
	s := &copySide{r: r, name: t.Container, path: t.Path, release: func() {}}
	if t.Container == "" {
		return s, nil
	}
	c, err := r.lookupContainer(t.Container)
	if err != nil {
		return nil, err
	}
	root, release, err := c.mountForCopy()
	if err != nil {
		return nil, err
	}
	s.c, s.root, s.release = c, root, release
	s.workDir = c.Config.WorkDir
	if s.workDir == "" {
		s.workDir = c.Config.ImageConfig.WorkingDir
	}
	if s.workDir == "" {
		s.workDir = "/"
	}
	return s, nil
}

// mountForCopy mounts the container's root filesystem (again, if it
// runs: the storage library counts mounts) and returns it with the
// function that releases this mount. No lock is held during the copy.
func (c *Container) mountForCopy() (string, func(), error) {
	unlock, err := c.lockAndSync()
	if err != nil {
		return "", nil, err
	}
	defer unlock()
	if c.Config.Rootfs != "" {
		p, err := c.mountRootfs()
		return p, func() {}, err
	}
	store, err := c.r.getStore()
	if err != nil {
		return "", nil, err
	}
	mountpoint, err := store.Mount(c.ID(), "")
	if err != nil {
		return "", nil, fmt.Errorf("mount container %s: %w", c.Name(), err)
	}
	return mountpoint, func() { _, _ = store.Unmount(c.ID(), false) }, nil
}

// describe names path on this side in messages.
func (s *copySide) describe(path string) string {
	if s.c == nil {
		return fmt.Sprintf("%q on the host", path)
	}
	return fmt.Sprintf("%q on container %s", path, s.name)
}

// notFound is podman's message for a path that does not exist.
func (s *copySide) notFound(path string) error {
	if s.c == nil {
		return fmt.Errorf("%q could not be found on the host: %w", path, unix.ENOENT)
	}
	return fmt.Errorf("%q could not be found on container %s: %w", path, s.name, unix.ENOENT)
}

// ctrPath is the user's container path made absolute and cleaned, with a
// trailing "/" or "/." kept.
func (s *copySide) ctrPath() string {
	p := s.path
	if !filepath.IsAbs(p) {
		p = filepath.Join(s.workDir, p)
	}
	return archive.PreserveTrailingDotOrSeparator(filepath.Clean(p), s.path)
}

// resolve resolves p (absolute in the container) inside the root
// filesystem, every symlink included, as if the root were "/".
func (s *copySide) resolve(p string) (string, error) {
	resolved, err := securejoin.SecureJoin(s.root, p)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", s.describe(s.path), err)
	}
	return resolved, nil
}

// sourceInfo describes the source: it must exist; a final symlink is
// followed (inside the container for a container path) and the archive
// entry keeps the name the user gave.
func (s *copySide) sourceInfo() (archive.CopyInfo, error) {
	if s.c == nil {
		abs, err := filepath.Abs(s.path)
		if err != nil {
			return archive.CopyInfo{}, err
		}
		info, err := archive.CopyInfoSourcePath(archive.PreserveTrailingDotOrSeparator(abs, s.path), true)
		if errors.Is(err, fs.ErrNotExist) {
			return archive.CopyInfo{}, s.notFound(s.path)
		}
		if err != nil {
			return archive.CopyInfo{}, fmt.Errorf("copy from %s: %w", s.describe(s.path), err)
		}
		return info, nil
	}
	p := s.ctrPath()
	resolved, err := s.resolve(p)
	if err != nil {
		return archive.CopyInfo{}, err
	}
	fi, err := os.Lstat(resolved)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, unix.ENOTDIR) {
			return archive.CopyInfo{}, s.notFound(s.path)
		}
		return archive.CopyInfo{}, fmt.Errorf("copy from %s: %w", s.describe(s.path), err)
	}
	if resolved == filepath.Clean(s.root) {
		// The root itself: its contents, never its parent.
		return archive.CopyInfo{Path: resolved + "/.", Exists: true, IsDir: true}, nil
	}
	path, rebase := archive.GetRebaseName(p, resolved)
	return archive.CopyInfo{Path: path, Exists: true, IsDir: fi.IsDir(), RebaseName: rebase}, nil
}

// destinationInfo describes the destination: it need not exist, but its
// parent must; a path ending in "/" must be an existing directory. A
// final symlink is followed, inside the container for a container path.
func (s *copySide) destinationInfo() (archive.CopyInfo, error) {
	trailing := strings.HasSuffix(s.path, "/")
	var info archive.CopyInfo
	if s.c == nil {
		abs, err := filepath.Abs(s.path)
		if err != nil {
			return archive.CopyInfo{}, err
		}
		info, err = archive.CopyInfoDestinationPath(archive.PreserveTrailingDotOrSeparator(abs, s.path))
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, archive.ErrNotDirectory) {
			return archive.CopyInfo{}, s.notFound(s.path)
		}
		if err != nil {
			return archive.CopyInfo{}, fmt.Errorf("copy to %s: %w", s.describe(s.path), err)
		}
	} else {
		p := s.ctrPath()
		resolved, err := s.resolve(p)
		if err != nil {
			return archive.CopyInfo{}, err
		}
		info.Path = archive.PreserveTrailingDotOrSeparator(resolved, p)
		fi, err := os.Stat(resolved)
		switch {
		case err == nil:
			info.Exists, info.IsDir = true, fi.IsDir()
		case errors.Is(err, fs.ErrNotExist):
			parent, perr := os.Stat(filepath.Dir(resolved))
			if perr != nil || !parent.IsDir() {
				return archive.CopyInfo{}, s.notFound(s.path)
			}
		default:
			return archive.CopyInfo{}, fmt.Errorf("copy to %s: %w", s.describe(s.path), err)
		}
	}
	if trailing && !info.Exists {
		return archive.CopyInfo{}, s.notFound(s.path)
	}
	return info, nil
}

// pack returns the tar archive of the source info describes; in a
// container it is made chrooted into the root filesystem.
func (s *copySide) pack(info archive.CopyInfo) (io.ReadCloser, error) {
	if s.c == nil {
		rc, err := archive.TarResource(info)
		if err != nil {
			return nil, fmt.Errorf("copy from %s: %w", s.describe(s.path), err)
		}
		return rc, nil
	}
	dir, base := archive.SplitPathDirEntry(info.Path)
	opts := &archive.TarOptions{Compression: archive.Uncompressed, IncludeFiles: []string{base}, IncludeSourceDir: true}
	if info.RebaseName != "" {
		opts.RebaseNames = map[string]string{base: info.RebaseName}
	}
	rc, err := chrootarchive.Tar(dir, opts, s.root)
	if err != nil {
		return nil, fmt.Errorf("copy from %s: %w", s.describe(s.path), err)
	}
	return rc, nil
}

// unpack extracts content into dir (a path under the root filesystem for
// a container, chrooted into it). In a container, entries are owned by
// the container's user with o.Chown and keep the archive's owners
// otherwise; on the host they belong to the user.
func (s *copySide) unpack(content io.Reader, dir string, o CopyOptions) error {
	opts := &archive.TarOptions{NoOverwriteDirNonDir: !o.Overwrite, InUserNS: true}
	if s.c == nil {
		opts.NoLchown = true
		if err := archive.Untar(content, dir, opts); err != nil {
			return fmt.Errorf("copy to %s: %w", s.describe(s.path), err)
		}
		return nil
	}
	if o.Chown {
		u, err := s.c.copyOwner(s.root)
		if err != nil {
			return err
		}
		opts.ChownOpts = &u
	}
	if err := chrootarchive.UntarWithRoot(content, dir, opts, s.root); err != nil {
		return fmt.Errorf("copy to %s: %w", s.describe(s.path), unpackError{msg: unpackMessage(err), err: err})
	}
	return nil
}

// unpackError is a failed chrooted unpack: the helper's message, and the
// error it came with.
type unpackError struct {
	msg string
	err error
}

func (e unpackError) Error() string { return e.msg }
func (e unpackError) Unwrap() error { return e.err }

// copyOwner is the container's user and primary group, as its process
// would run.
func (c *Container) copyOwner(root string) (idtools.IDPair, error) {
	user := c.Config.User
	if user == "" {
		user = c.Config.ImageConfig.User
	}
	u, err := spec.ResolveUser(root, user)
	if err != nil {
		return idtools.IDPair{}, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	return idtools.IDPair{UID: int(u.UID), GID: int(u.GID)}, nil
}

// unpackMessage is the reason a chrooted unpack failed: the helper's own
// message (paths in it are the container's) rather than its exit status.
func unpackMessage(err error) string {
	msg := err.Error()
	if _, out, ok := strings.Cut(msg, "; output: "); ok {
		msg = strings.TrimSuffix(strings.TrimSpace(out), ")")
	}
	if strings.Contains(msg, "cannot overwrite") {
		msg += " (--overwrite allows it)"
	}
	return msg
}

// maxTarPeek is how much of a "-" source is read to check that it is a tar
// archive.
const maxTarPeek = 64 << 10

// tarStream checks that in holds a tar archive, possibly compressed, as
// podman does (an archive without any entry is refused too), and returns
// it decompressed.
func tarStream(in io.Reader) (io.ReadCloser, error) {
	notTar := fmt.Errorf("source must be a (compressed) tar archive when copying from stdin: %w", define.ErrInvalidArg)
	if in == nil {
		return nil, notTar
	}
	dec, err := archive.DecompressStream(bufio.NewReader(in))
	if err != nil {
		return nil, notTar
	}
	head := make([]byte, maxTarPeek)
	n, err := io.ReadFull(dec, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		dec.Close()
		return nil, fmt.Errorf("read the archive on stdin: %w", err)
	}
	head = head[:n]
	if _, err := tar.NewReader(bytes.NewReader(head)).Next(); err != nil {
		dec.Close()
		return nil, notTar
	}
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), dec), dec}, nil
}
