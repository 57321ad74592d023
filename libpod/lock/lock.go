package lock

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
func (m *Manager) Acquire(name string) (*fsutil.Lock, error) { return m.take(name, true) }

// TryAcquire takes the lock of name if it is free; it returns nil, nil when
// another process holds it.
func (m *Manager) TryAcquire(name string) (*fsutil.Lock, error) { return m.take(name, false) }

// Remove deletes the lock file of name. The caller holds the lock (the
// object is gone): whoever waits on the removed file notices and takes a
// new one.
func (m *Manager) Remove(name string) {
	os.Remove(m.path(name))
}

func (m *Manager) path(name string) string { return filepath.Join(m.Dir, name+".lock") }

// take opens and locks name's file, and checks that the file it locked is
// still the one in the directory: a holder may have removed it while this
// process waited, in which case it starts over with the new file.
func (m *Manager) take(name string, wait bool) (*fsutil.Lock, error) {
	path := m.path(name)
	for attempt := 0; attempt < 1000; attempt++ {
		l, err := fsutil.OpenLock(path)
		if err != nil {
			return nil, err
		}
		if wait {
			err = l.Lock()
		} else {
			var ok bool
			if ok, err = l.TryLock(); err == nil && !ok {
				l.Close()
				return nil, nil
			}
		}
		if err != nil {
			l.Close()
			return nil, err
		}
		if l.Current(path) {
			return l, nil
		}
		l.Close()
	}
	return nil, fmt.Errorf("lock %s: its file keeps being replaced", path)
}

// Names lists the names of the lock files in the directory.
func (m *Manager) Names() []string {
	ents, err := os.ReadDir(m.Dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".lock"); ok && !e.IsDir() {
			out = append(out, n)
		}
	}
	return out
}
