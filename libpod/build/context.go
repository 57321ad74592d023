package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	securejoin "github.com/cyphar/filepath-securejoin"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/pod-engine/pod/libpod/define"
)

// Root is a tree COPY and ADD read from: the build context (with its
// ignore patterns) or another stage's mounted root file system.
type Root struct {
	Dir     string
	matcher *patternmatcher.PatternMatcher // nil: nothing is ignored
}

// OpenContext opens the context directory dir with the patterns of its
// .containerignore, else its .dockerignore ("!" lines are exceptions).
func OpenContext(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("build context %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("build context %s is not a directory: %w", dir, define.ErrInvalidArg)
	}
	r := &Root{Dir: abs}
	for _, name := range []string{".containerignore", ".dockerignore"} {
		f, err := os.Open(filepath.Join(abs, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		patterns, err := ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		if r.matcher, err = patternmatcher.New(patterns); err != nil {
			return nil, fmt.Errorf("%s: %w: %w", name, err, define.ErrInvalidArg)
		}
		break
	}
	return r, nil
}

// excluded reports whether rel (slash-separated, relative to the root) is
// ignored.
func (r *Root) excluded(rel string) bool {
	if r.matcher == nil || rel == "." {
		return false
	}
	m, err := r.matcher.MatchesOrParentMatches(rel)
	return err == nil && m
}

// Source is one resolved COPY/ADD source.
type Source struct {
	Rel  string // relative to the root, slash-separated ("." is the root)
	Path string // on the host, symlinks resolved inside the root
	Info fs.FileInfo
}

// Resolve resolves a COPY/ADD source: a path or glob relative to the
// root; ".." never leads out of it, symlinks are resolved inside it.
func (r *Root) Resolve(src string) ([]Source, error) {
	clean := path.Clean("/" + filepath.ToSlash(src))
	if strings.HasPrefix(path.Clean(filepath.ToSlash(src)), "../") || path.Clean(filepath.ToSlash(src)) == ".." {
		return nil, fmt.Errorf("%s: forbidden path outside the build context: %w", src, define.ErrInvalidArg)
	}
	rels := []string{strings.TrimPrefix(clean, "/")}
	if strings.ContainsAny(clean, "*?[") {
		matches, err := filepath.Glob(filepath.Join(r.Dir, filepath.FromSlash(clean)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", src, err, define.ErrInvalidArg)
		}
		rels = rels[:0]
		for _, m := range matches {
			rel, err := filepath.Rel(r.Dir, m)
			if err == nil && !strings.HasPrefix(rel, "..") && !r.excluded(filepath.ToSlash(rel)) {
				rels = append(rels, filepath.ToSlash(rel))
			}
		}
		if len(rels) == 0 {
			return nil, fmt.Errorf("%s: no source files were specified (nothing matches): %w", src, define.ErrInvalidArg)
		}
	}
	var out []Source
	for _, rel := range rels {
		if rel == "" {
			rel = "."
		}
		if r.excluded(rel) {
			return nil, fmt.Errorf("%s: the source is excluded by the ignore file: %w", src, define.ErrInvalidArg)
		}
		p, err := securejoin.SecureJoin(r.Dir, rel)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file or directory in the build context: %w", src, define.ErrInvalidArg)
		}
		out = append(out, Source{Rel: rel, Path: p, Info: st})
	}
	return out, nil
}

// walk calls fn for src and, for a directory, everything below it that is
// not ignored, parents first; rel is relative to src ("." for src).
func (r *Root) walk(src Source, fn func(p, rel string, info fs.FileInfo) error) error {
	if !src.Info.IsDir() {
		return fn(src.Path, ".", src.Info)
	}
	return filepath.WalkDir(src.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src.Path, p)
		rel = filepath.ToSlash(rel)
		if rel != "." && r.excluded(path.Join(src.Rel, rel)) {
			if d.IsDir() && !r.matcher.Exclusions() {
				return filepath.SkipDir
			}
			if !d.IsDir() {
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return fn(p, rel, info)
	})
}

// Checksum is the content checksum of sources: names, modes, file contents
// and link targets (not times or owners).
func (r *Root) Checksum(srcs []Source) (string, error) {
	h := sha256.New()
	for _, s := range srcs {
		fmt.Fprintf(h, "source %s\n", s.Rel)
		err := r.walk(s, func(p, rel string, info fs.FileInfo) error {
			fmt.Fprintf(h, "%s %o %d\n", rel, info.Mode(), info.Size())
			switch {
			case info.Mode().IsRegular():
				f, err := os.Open(p)
				if err != nil {
					return err
				}
				defer f.Close()
				_, err = io.Copy(h, f)
				return err
			case info.Mode()&fs.ModeSymlink != 0:
				t, err := os.Readlink(p)
				fmt.Fprintf(h, "-> %s\n", t)
				return err
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("reading %s: %w", s.Rel, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CopyOptions tune CopyInto.
type CopyOptions struct {
	// UID and GID own everything copied (0:0 by default).
	UID, GID int
	// Mode, when not nil, is the mode of everything copied.
	Mode *fs.FileMode
	// Extract, when not nil, is tried on each source file: it unpacks an
	// archive into a directory and reports whether the file was one.
	Extract func(file, dir string) (bool, error)
	// DestIsDir makes dest a directory even without a trailing slash
	// (several sources or a glob).
	DestIsDir bool
}

// CopyInto copies the sources to dest (absolute, in rootfs) as COPY does:
// a directory's contents go into dest, a file goes to dest or, when dest
// ends with "/" or is a directory, into it. Paths in rootfs are resolved
// inside it.
func (r *Root) CopyInto(rootfs string, srcs []Source, dest string, o CopyOptions) error {
	destDir := strings.HasSuffix(dest, "/") || o.DestIsDir
	dest = path.Clean(dest)
	if hp, err := securejoin.SecureJoin(rootfs, dest); err == nil {
		if st, err := os.Stat(hp); err == nil && st.IsDir() {
			destDir = true
		}
	}
	for _, s := range srcs {
		target := dest
		if !s.Info.IsDir() {
			if destDir {
				target = path.Join(dest, path.Base(s.Path))
			}
			if o.Extract != nil {
				dir, err := r.mkdirAll(rootfs, dest, o)
				if err != nil {
					return err
				}
				if ok, err := o.Extract(s.Path, dir); ok || err != nil {
					return err
				}
			}
		}
		if _, err := r.mkdirAll(rootfs, path.Dir(target), o); err != nil {
			return err
		}
		err := r.walk(s, func(p, rel string, info fs.FileInfo) error {
			t, err := securejoin.SecureJoin(rootfs, path.Join(target, rel))
			if err != nil {
				return err
			}
			return copyEntry(p, t, info, o)
		})
		if err != nil {
			return fmt.Errorf("copying %s: %w", s.Rel, err)
		}
	}
	return nil
}

// mkdirAll makes dir (in rootfs) and its missing parents, owned as o
// says, and returns its host path.
func (r *Root) mkdirAll(rootfs, dir string, o CopyOptions) (string, error) {
	hp, err := securejoin.SecureJoin(rootfs, dir)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(hp); err == nil && st.IsDir() {
		return hp, nil
	}
	if parent := path.Dir(dir); parent != dir {
		if _, err := r.mkdirAll(rootfs, parent, o); err != nil {
			return "", err
		}
	}
	if err := os.Mkdir(hp, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return "", err
	}
	return hp, os.Lchown(hp, o.UID, o.GID)
}

// copyEntry copies one file, directory or symlink to t.
func copyEntry(p, t string, info fs.FileInfo, o CopyOptions) error {
	mode := info.Mode().Perm() | info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	if o.Mode != nil {
		mode = *o.Mode
	}
	switch {
	case info.IsDir():
		if st, err := os.Lstat(t); err == nil && !st.IsDir() {
			if err := os.Remove(t); err != nil {
				return err
			}
		}
		if err := os.Mkdir(t, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return err
		}
	case info.Mode().IsRegular():
		if st, err := os.Lstat(t); err == nil && st.IsDir() {
			return fmt.Errorf("cannot replace directory %s with a file", t)
		}
		_ = os.Remove(t)
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(t, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
	case info.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(p)
		if err != nil {
			return err
		}
		_ = os.Remove(t)
		if err := os.Symlink(link, t); err != nil {
			return err
		}
		return os.Lchown(t, o.UID, o.GID)
	default:
		return nil // devices, sockets and fifos are not copied
	}
	if err := os.Lchown(t, o.UID, o.GID); err != nil {
		return err
	}
	if err := os.Chmod(t, mode); err != nil {
		return err
	}
	return os.Chtimes(t, info.ModTime(), info.ModTime())
}

// SortedKeys returns m's keys in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
