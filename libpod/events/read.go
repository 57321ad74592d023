package events

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// defaultPoll is how often a follower looks for new lines.
const defaultPoll = 100 * time.Millisecond

// ReadOptions select what Read delivers.
type ReadOptions struct {
	// Since and Until bound the events' times, inclusively (zero: no
	// bound).
	Since, Until time.Time
	// Filter keeps the events it returns true for (nil: every event).
	Filter func(*Event) bool
	// Stream follows the file for new events until the context ends.
	// Without Since only events written from then on are delivered; with
	// it, the past ones since then first.
	Stream bool
	// Poll is how often a follower looks for new lines (0: 100 ms).
	Poll time.Duration
}

// keep reports whether e passes the time bounds and the filter.
func (o *ReadOptions) keep(e *Event) bool {
	if !o.Since.IsZero() && e.Time.Before(o.Since) {
		return false
	}
	if !o.Until.IsZero() && e.Time.After(o.Until) {
		return false
	}
	return o.Filter == nil || o.Filter(e)
}

// Read calls fn with every event of the log that o keeps, oldest file
// first, in the order they were written; with o.Stream it then follows the
// file, across rotations, until ctx ends (which is no error). A line that
// is not an event is skipped. An error of fn ends the read and is
// returned.
func (l *Log) Read(ctx context.Context, o ReadOptions, fn func(*Event) error) error {
	deliver := func(line []byte) error {
		var e Event
		if err := json.Unmarshal(line, &e); err != nil || e.Type == "" {
			return nil
		}
		if !o.keep(&e) {
			return nil
		}
		return fn(&e)
	}
	history := !o.Stream || !o.Since.IsZero()
	f, err := l.openForRead(history, deliver)
	if err != nil {
		return err
	}
	t := &tail{path: l.Path(), f: f, deliver: deliver}
	defer t.close()
	if t.f != nil {
		if !history {
			if _, err := t.f.Seek(0, io.SeekEnd); err != nil {
				return fmt.Errorf("read events file: %w", err)
			}
		}
		t.r = bufio.NewReader(t.f)
	}
	if !o.Stream {
		return t.drain()
	}
	poll := o.Poll
	if poll <= 0 {
		poll = defaultPoll
	}
	for {
		if err := t.drain(); err != nil {
			return err
		}
		switched, err := t.reopen()
		if err != nil {
			return err
		}
		if switched {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(poll):
		}
	}
}

// openForRead opens the current events file (nil when there is none) and,
// with history, delivers the rotated one first. Both happen under the
// shared lock, so no rotation can come between them.
func (l *Log) openForRead(history bool, deliver func([]byte) error) (*os.File, error) {
	lock, err := l.openLock()
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := lock.RLock(); err != nil {
		return nil, err
	}
	defer lock.Unlock()
	f, err := os.Open(l.Path())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open events file: %w", err)
	}
	if !history {
		return f, nil
	}
	old, err := os.Open(l.rotatedPath())
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, fmt.Errorf("open events file: %w", err)
	}
	defer old.Close()
	t := &tail{f: old, r: bufio.NewReader(old), deliver: deliver}
	if err := t.drain(); err != nil {
		if f != nil {
			f.Close()
		}
		return nil, err
	}
	return f, nil
}

// tail reads complete lines from one open events file.
type tail struct {
	path    string
	f       *os.File
	r       *bufio.Reader
	partial []byte // a line whose end has not been written yet
	deliver func([]byte) error
}

// drain delivers every complete line up to the end of the file.
func (t *tail) drain() error {
	if t.r == nil {
		return nil
	}
	for {
		chunk, err := t.r.ReadBytes('\n')
		if n := len(chunk); n > 0 && chunk[n-1] == '\n' {
			line := chunk
			if len(t.partial) > 0 {
				line = append(t.partial, chunk...)
				t.partial = nil
			}
			if derr := t.deliver(line); derr != nil {
				return derr
			}
		} else {
			t.partial = append(t.partial, chunk...)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read events file: %w", err)
		}
	}
}

// reopen switches to the file now at the path when the open one was
// rotated away (after draining it: the rotation waited for every writer)
// or when there was none. It reports whether it switched.
func (t *tail) reopen() (bool, error) {
	fi, err := os.Stat(t.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("stat events file: %w", err)
	}
	if t.f != nil {
		cur, ferr := t.f.Stat()
		if ferr == nil && fi != nil && os.SameFile(cur, fi) {
			return false, nil
		}
		if err := t.drain(); err != nil {
			return false, err
		}
		t.close()
	}
	if fi == nil {
		return false, nil
	}
	f, err := os.Open(t.path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open events file: %w", err)
	}
	t.f, t.r, t.partial = f, bufio.NewReader(f), nil
	return true, nil
}

func (t *tail) close() {
	if t.f != nil {
		t.f.Close()
	}
	t.f, t.r = nil, nil
}
