package lock

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pod-engine/pod/pkg/fsutil"
)

// Manager creates lock files in one directory.
type Manager struct {
	Dir string
}

// New returns a Manager for dir, creating it 0700.
func New(dir string) (*Manager, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create lock directory %s: %w", dir, err)
	}
	return &Manager{Dir: dir}, nil
}

// Acquire opens the lock named name and takes it exclusively.
func (m *Manager) Acquire(name string) (*fsutil.Lock, error) {
	l, err := fsutil.OpenLock(filepath.Join(m.Dir, name+".lock"))
	if err != nil {
		return nil, err
	}
	if err := l.Lock(); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Remove deletes the lock file of name (the object is gone).
func (m *Manager) Remove(name string) {
	os.Remove(filepath.Join(m.Dir, name+".lock"))
}

// TryAcquire takes the lock of name if it is free; it returns nil, nil when
// another process holds it.
func (m *Manager) TryAcquire(name string) (*fsutil.Lock, error) {
	l, err := fsutil.OpenLock(filepath.Join(m.Dir, name+".lock"))
	if err != nil {
		return nil, err
	}
	ok, err := l.TryLock()
	if err != nil || !ok {
		l.Close()
		return nil, err
	}
	return l, nil
}
