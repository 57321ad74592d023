package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pod-engine/pod/pkg/fsutil"
)

// DefaultMaxSize is the size past which the events file is rotated: it is
// renamed to events.log.1 (replacing the previous one), so the log holds
// at most about twice this.
const DefaultMaxSize = 1 << 20

// File names inside a Log's directory.
const (
	logName     = "events.log"
	rotatedName = "events.log.1"
	lockName    = "events.lock"
)

// Log is the events file in one directory.
type Log struct {
	// Dir holds events.log, events.log.1 and events.lock; it is created
	// (0700) by the first write.
	Dir string
	// MaxSize is the rotation threshold in bytes (0: DefaultMaxSize).
	MaxSize int64
}

// NewLog returns the log kept in dir.
func NewLog(dir string) *Log { return &Log{Dir: dir} }

// Path is the current events file.
func (l *Log) Path() string { return filepath.Join(l.Dir, logName) }

// rotatedPath is the previous events file.
func (l *Log) rotatedPath() string { return filepath.Join(l.Dir, rotatedName) }

func (l *Log) maxSize() int64 {
	if l.MaxSize > 0 {
		return l.MaxSize
	}
	return DefaultMaxSize
}

// Write appends e as one JSON line, in one write on an O_APPEND
// descriptor, under a shared lock (rotation takes it exclusively). A
// writer that leaves the file past MaxSize rotates it.
func (l *Log) Write(e Event) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	line = append(line, '\n')
	lock, err := l.openLock()
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := lock.RLock(); err != nil {
		return err
	}
	size, err := appendLine(l.Path(), line)
	_ = lock.Unlock()
	if err != nil {
		return err
	}
	if size > l.maxSize() {
		return l.rotate(lock)
	}
	return nil
}

// openLock opens the lock file, creating the directory when needed.
func (l *Log) openLock() (*fsutil.Lock, error) {
	lock, err := fsutil.OpenLock(filepath.Join(l.Dir, lockName))
	if err == nil {
		return lock, nil
	}
	if mkErr := os.MkdirAll(l.Dir, 0o700); mkErr != nil {
		return nil, fmt.Errorf("create events directory: %w", mkErr)
	}
	return fsutil.OpenLock(filepath.Join(l.Dir, lockName))
}

// appendLine writes line at the end of path in one write and returns the
// file's size afterwards.
func appendLine(path string, line []byte) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, fmt.Errorf("open events file: %w", err)
	}
	defer f.Close()
	if _, err := f.Write(line); err != nil {
		return 0, fmt.Errorf("write events file %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("stat events file %s: %w", path, err)
	}
	return fi.Size(), nil
}

// rotate renames the events file to events.log.1 if it is still past the
// limit once the lock is held exclusively: no writer holds the old file
// open any more, so a follower that drains it after seeing the rename has
// every line.
func (l *Log) rotate(lock *fsutil.Lock) error {
	if err := lock.Lock(); err != nil {
		return err
	}
	defer lock.Unlock()
	fi, err := os.Stat(l.Path())
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("rotate events file: %w", err)
	}
	if fi.Size() <= l.maxSize() {
		return nil // another writer rotated it
	}
	if err := os.Rename(l.Path(), l.rotatedPath()); err != nil {
		return fmt.Errorf("rotate events file: %w", err)
	}
	return nil
}
