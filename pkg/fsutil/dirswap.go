package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// CloneDir fills dst, an existing empty directory, with a copy of the tree
// at src, so that a new version of src can be written in dst and put in
// place with ExchangeDirs. Directories and symbolic links are recreated,
// regular files copied, except those link(rel) accepts (rel is the path
// below src): they are hard links to src's, which is only safe for files
// a writer replaces (rename) but never rewrites in place. dst gets src's
// permission bits.
func CloneDir(src, dst string, link func(rel string) bool) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if rel != "." {
				if err := os.Mkdir(target, 0o700); err != nil {
					return err
				}
			}
			return os.Chmod(target, info.Mode().Perm())
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(to, target)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: cannot copy a %s", path, d.Type())
		case link != nil && link(rel):
			return os.Link(path, target)
		}
		return copyFile(path, target, info.Mode().Perm())
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Chmod(perm); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ExchangeDirs swaps the directories a and b at once (renameat2 with
// RENAME_EXCHANGE): a reader of either path sees the old or the new tree,
// never none. On a file system without the exchange it falls back to
// three renames, during which b is briefly missing.
func ExchangeDirs(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err == nil || !(errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP)) {
		if err != nil {
			err = &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
		}
		return err
	}
	aside := a + ".old"
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		return errors.Join(err, os.Rename(aside, b))
	}
	return os.Rename(aside, a)
}
