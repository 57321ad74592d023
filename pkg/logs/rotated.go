package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
)

// A log whose size is limited is rotated by its writer: LOG.1 is the file
// LOG was before the last rotation, LOG.2 the one before, and so on. Every
// name is replaced atomically (rename), so LOG and the kept files exist at
// every moment, but while a rotation is under way a file may be seen under
// two names. A reader takes a snapshot of the files and checks afterwards
// that LOG is still the file it opened first; otherwise a rotation ran
// meanwhile and it takes the snapshot again.

// maxSnapshotTries bounds the retries of a snapshot that rotations keep
// overtaking; the last attempt is used as it is.
const maxSnapshotTries = 20

// keptFiles opens the log at path and its kept files as one snapshot:
// oldest first, the log itself last. With stop set, the scan ends at the
// kept file that is stop (which is not opened): only the files newer than
// it are returned, and found reports that it was met. A missing log is
// fs.ErrNotExist.
func keptFiles(path string, stop os.FileInfo) (files []*os.File, found bool, err error) {
	for try := 1; ; try++ {
		files, found, moved, err := scanKept(path, stop)
		if err != nil || !moved || try == maxSnapshotTries {
			return files, found, err
		}
		closeFiles(files)
	}
}

// scanKept opens the log and its kept files once; moved reports that the
// log was replaced meanwhile.
func scanKept(path string, stop os.FileInfo) (files []*os.File, found, moved bool, err error) {
	cur, err := os.Open(path)
	if err != nil {
		return nil, false, false, err
	}
	curInfo, err := cur.Stat()
	if err != nil {
		cur.Close()
		return nil, false, false, fmt.Errorf("reading log %s: %w", path, err)
	}
	newest := []*os.File{cur}
	seen := []os.FileInfo{curInfo}
	for k := 1; ; k++ {
		f, err := os.Open(path + "." + strconv.Itoa(k))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		var fi os.FileInfo
		if err == nil {
			fi, err = f.Stat()
		}
		if err != nil {
			if f != nil {
				f.Close()
			}
			closeFiles(newest)
			return nil, false, false, fmt.Errorf("reading log %s: %w", path, err)
		}
		if stop != nil && os.SameFile(fi, stop) {
			f.Close()
			found = true
			break
		}
		if sameAsAny(fi, seen) {
			f.Close() // mid-rotation: one file under two names
			continue
		}
		seen = append(seen, fi)
		newest = append(newest, f)
	}
	now, err := os.Stat(path)
	moved = err != nil || !os.SameFile(now, curInfo)
	for i, j := 0, len(newest)-1; i < j; i, j = i+1, j-1 {
		newest[i], newest[j] = newest[j], newest[i]
	}
	return newest, found, moved, nil
}

func sameAsAny(fi os.FileInfo, list []os.FileInfo) bool {
	for _, o := range list {
		if os.SameFile(fi, o) {
			return true
		}
	}
	return false
}

func closeFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// successors opens what follows old, the file the reader was following
// when the log was replaced: the kept files newer than old, then the new
// log (last). When old is no longer kept (it was dropped, or the writer
// keeps no files) every kept file is newer than old.
func successors(path string, old *os.File) ([]*os.File, error) {
	oldInfo, err := old.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading log %s: %w", path, err)
	}
	files, _, err := keptFiles(path, oldInfo)
	return files, err
}

// printWhole prints f from its current offset to its end.
func printWhole(ctx context.Context, f *os.File, p *printer) error {
	s := &scanner{r: bufio.NewReaderSize(f, 64<<10)}
	if err := s.readToEOF(ctx, p.record); err != nil {
		return err
	}
	return s.finish(p.record)
}

// segments reads several files as one (for tail).
type segments struct {
	files []*os.File
	sizes []int64
}

func newSegments(files []*os.File) (*segments, int64, error) {
	s := &segments{files: files}
	var total int64
	for _, f := range files {
		fi, err := f.Stat()
		if err != nil {
			return nil, 0, err
		}
		s.sizes = append(s.sizes, fi.Size())
		total += fi.Size()
	}
	return s, total, nil
}

// ReadAt reads the concatenation of the files' first sizes bytes.
func (s *segments) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for i, f := range s.files {
		if len(p) == 0 {
			break
		}
		if off >= s.sizes[i] {
			off -= s.sizes[i]
			continue
		}
		want := min(int64(len(p)), s.sizes[i]-off)
		m, err := f.ReadAt(p[:want], off)
		n += m
		if err != nil && !(errors.Is(err, io.EOF) && int64(m) == want) {
			return n, err
		}
		p, off = p[m:], 0
	}
	if len(p) > 0 {
		return n, io.EOF
	}
	return n, nil
}

// locate turns an offset into the concatenation into a file index and an
// offset in that file; the end of one file is the start of the next.
func (s *segments) locate(off int64) (int, int64) {
	for i, size := range s.sizes {
		if off < size || i == len(s.sizes)-1 {
			return i, off
		}
		off -= size
	}
	return 0, 0
}
