package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// pollInterval is how often a followed log file is checked for new data.
const pollInterval = 100 * time.Millisecond

// Options select what Read prints.
type Options struct {
	// Tail is the number of lines to print from the end of the log; -1
	// (or any negative value) prints all of it.
	Tail int
	// Since and Until, when not zero, print only records written
	// strictly after Since and strictly before Until.
	Since, Until time.Time
	// Timestamps prefixes every line with the time of its first record
	// in TimeFormat and a space.
	Timestamps bool
	// Follow keeps printing records appended to the log until alive
	// reports false and the log has been read to its end.
	Follow bool
}

// Read prints the log file at path: the text of stdout records to stdout
// and of stderr records to stderr, a newline after every F record and
// none after P records, so partial records join with the records that
// follow. Tail is applied first, then Since and Until filter records.
// Corrupt records are skipped. The files the writer kept when it rotated
// the log (path.1 the newest, path.2, ...) are read first, oldest first,
// as if they were the start of the log.
//
// Without Follow, Read prints what the files hold and returns; a missing
// file prints nothing. With Follow, Read then waits for more data,
// polling every 100ms, and returns once alive() reports false and
// everything written until then has been printed. A missing file is
// waited for while alive() reports true. When the file is replaced (a
// rotation: the rest of the old file, the kept files newer than it, then
// the new file) or truncated, reading continues at the start of the new
// content.
//
// A nil alive counts as a writer that is gone. Read returns nil when ctx
// is cancelled. Other errors (opening or reading
// the file, writing the output) are returned wrapped.
func Read(ctx context.Context, path string, opts Options, stdout, stderr io.Writer, alive func() bool) error {
	if alive == nil {
		alive = func() bool { return false }
	}
	f, err := openLog(ctx, path, opts.Follow, alive)
	if err != nil || f == nil {
		return err
	}
	f.Close()
	files, _, err := keptFiles(path, nil)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // removed since
	}
	if err != nil {
		return fmt.Errorf("reading log %s: %w", path, err)
	}
	older := files[:len(files)-1]
	f = files[len(files)-1]
	defer func() { closeFiles(older); f.Close() }()

	var start int64
	skip := false
	first := 0 // the first file printed
	if opts.Tail >= 0 {
		seg, size, err := newSegments(files)
		if err != nil {
			return fmt.Errorf("reading log %s: %w", path, err)
		}
		off, sk, err := tailOffset(seg, size, opts.Tail)
		if err != nil {
			return fmt.Errorf("reading log %s: %w", path, err)
		}
		first, start = seg.locate(off)
		skip = sk
	}

	p := newPrinter(opts, stdout, stderr)
	for i := first; i < len(older); i++ {
		if _, err := older[i].Seek(start, io.SeekStart); err != nil {
			return fmt.Errorf("reading log %s: %w", path, err)
		}
		start = 0
		if err := printWhole(ctx, older[i], p); err != nil {
			return err
		}
	}
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		return fmt.Errorf("reading log %s: %w", path, err)
	}
	s := &scanner{r: bufio.NewReaderSize(f, 64<<10), skip: skip, offset: start}
	final := !opts.Follow
	for {
		if ctx.Err() != nil {
			return p.flush()
		}
		if err := s.readToEOF(ctx, p.record); err != nil {
			return err
		}
		if final {
			if err := s.finish(p.record); err != nil {
				return err
			}
			return p.flush()
		}
		if err := p.flush(); err != nil {
			return err
		}
		// Once the writer is gone, one more pass reads what it wrote
		// before it went.
		if !alive() {
			final = true
			continue
		}
		replaced, truncated, err := changed(f, path, s.offset)
		if err != nil {
			return fmt.Errorf("reading log %s: %w", path, err)
		}
		if replaced {
			// The writer is done with f: print its rest, then what
			// followed it.
			if err := s.readToEOF(ctx, p.record); err != nil {
				return err
			}
			if err := s.finish(p.record); err != nil {
				return err
			}
			next, err := successors(path, f)
			if errors.Is(err, fs.ErrNotExist) {
				// Removed, maybe about to be replaced: keep the old file.
				*s = scanner{r: bufio.NewReaderSize(f, 64<<10), offset: s.offset}
				continue
			}
			if err != nil {
				return err
			}
			f.Close()
			f = next[len(next)-1]
			for _, mid := range next[:len(next)-1] {
				err := printWhole(ctx, mid, p)
				mid.Close()
				if err != nil {
					closeFiles(next)
					return err
				}
			}
			*s = scanner{r: bufio.NewReaderSize(f, 64<<10)}
			continue
		}
		if truncated {
			if err := s.finish(p.record); err != nil {
				return err
			}
			*s = scanner{r: bufio.NewReaderSize(f, 64<<10)}
			continue
		}
		if !sleep(ctx, pollInterval) {
			return p.flush()
		}
	}
}

// openLog opens the log file. When it does not exist it returns nil and
// no error, after waiting for it while following and alive() is true.
func openLog(ctx context.Context, path string, follow bool, alive func() bool) (*os.File, error) {
	for {
		f, err := os.Open(path)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("opening log: %w", err)
		}
		if !follow || !alive() {
			// One more attempt: the file may have been created just
			// before the writer went away.
			if f, err := os.Open(path); err == nil {
				return f, nil
			}
			return nil, nil
		}
		if !sleep(ctx, pollInterval) {
			return nil, nil
		}
	}
}

// changed checks whether the log at path was replaced (a new file is
// there) or truncated (f, rewound to its start, continues) since f was
// read up to offset. A missing path counts as neither: the old file is
// kept, as it may be about to be replaced.
func changed(f *os.File, path string, offset int64) (replaced, truncated bool, err error) {
	cur, err := f.Stat()
	if err != nil {
		return false, false, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, false, nil
		}
		return false, false, err
	}
	if !os.SameFile(cur, fi) {
		return true, false, nil
	}
	if cur.Size() < offset {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return false, false, err
		}
		return false, true, nil
	}
	return false, false, nil
}

// sleep waits for d or until ctx is done; it reports whether ctx is still
// live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
