package monitor

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// recordOverhead is what a record adds to its text: the timestamp
// (logTimeFormat always renders 35 bytes), a space, the stream (stdout and
// stderr are both 6 bytes), " F " or " P ", and the newline.
const recordOverhead = 35 + 1 + 6 + 3 + 1

// rotation keeps the container log under max bytes. Before a write would
// take the file past max, the file is rotated: with files > 1, LOG.1
// becomes LOG.2 and so on up to LOG.(files-1) (the oldest is dropped) and
// LOG becomes LOG.1; then an empty file replaces LOG (with files <= 1
// only this, as conmon's --log-size-max does). Every step is a rename, or
// a hard link renamed into place, so that LOG and the kept files exist at
// every moment: a reader sees a file twice, never a gap. Records never
// span files, and a line too long for one file is cut into P records
// (which `pod logs` joins), so no file passes max unless max is smaller
// than one record's overhead.
type rotation struct {
	max   int64  // bytes; 0: no limit
	files uint   // files kept, the current one included
	path  string // the log (set by openLog)
	size  int64  // bytes in the current file
}

// maxText is the most text a record may hold so that it fits in an
// empty file; 0: no limit.
func (r *rotation) maxText() int {
	if r.max <= recordOverhead {
		return 0
	}
	return int(min(r.max-recordOverhead, int64(copyBufSize)))
}

// emit appends the records in b (each ending at one of ends) to the log,
// rotating it between records as the size limit says; without rotation
// it is one write.
func (l *logFile) emit(b []byte, ends []int) {
	if l.rot.max <= 0 || l.rot.size+int64(len(b)) <= l.rot.max {
		l.writeOut(b)
		return
	}
	start, prev := 0, 0
	for _, end := range ends {
		if l.rot.size+int64(end-start) > l.rot.max && (l.rot.size > 0 || prev > start) {
			l.writeOut(b[start:prev])
			if err := l.rotate(); err != nil {
				// Keep writing to the full file rather than lose output.
				l.dbg.printf("rotate container log: %v", err)
			}
			start = prev
		}
		prev = end
	}
	l.writeOut(b[start:])
}

// writeOut writes b to the current file.
func (l *logFile) writeOut(b []byte) {
	if len(b) == 0 {
		return
	}
	n, err := l.f.Write(b)
	l.rot.size += int64(n)
	if err != nil {
		l.dbg.printf("write container log: %v", err)
	}
}

// rotate shifts the kept files and replaces the log by an empty file,
// which becomes the file written.
func (l *logFile) rotate() error {
	r := &l.rot
	if r.files > 1 {
		for k := r.files - 2; k >= 1; k-- {
			if err := linkOver(rotatedName(r.path, k), rotatedName(r.path, k+1)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		if err := linkOver(r.path, rotatedName(r.path, 1)); err != nil {
			return err
		}
	}
	tmp := r.path + ".new"
	os.Remove(tmp) // left by a monitor killed while rotating
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_APPEND|os.O_CREATE|os.O_EXCL|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, r.path); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("replace %s: %w", r.path, err)
	}
	l.f.Close()
	l.f = f
	r.size = 0
	return nil
}

// rotatedName is the k-th kept file of the log at path.
func rotatedName(path string, k uint) string {
	return path + "." + strconv.FormatUint(uint64(k), 10)
}

// linkOver makes dst name the file src names (src keeps its name): a hard
// link renamed over dst, so dst is replaced atomically.
func linkOver(src, dst string) error {
	tmp := dst + ".link"
	os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		return fmt.Errorf("rotate %s: %w", src, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rotate %s: %w", src, err)
	}
	return nil
}
