package fsutil

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Lock is an exclusive or shared flock on a file. flock locks belong to the
// open file description, so a Lock works across processes and is released
// when the holder dies.
type Lock struct {
	f *os.File
}

// OpenLock opens (creating it 0600 if needed) the lock file at path.
func OpenLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

func (l *Lock) flock(how int) error {
	for {
		err := unix.Flock(int(l.f.Fd()), how)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("lock %s: %w", l.f.Name(), err)
		}
		return nil
	}
}

// Lock takes the lock exclusively, waiting as long as needed.
func (l *Lock) Lock() error { return l.flock(unix.LOCK_EX) }

// RLock takes the lock shared.
func (l *Lock) RLock() error { return l.flock(unix.LOCK_SH) }

// TryLock takes the lock exclusively without waiting; it reports whether it got it.
func (l *Lock) TryLock() (bool, error) {
	err := unix.Flock(int(l.f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if err == unix.EWOULDBLOCK {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", l.f.Name(), err)
	}
	return true, nil
}

// Current reports whether the lock's file is still the one at path: a lock
// taken on a file that was removed (or replaced) meanwhile protects
// nothing.
func (l *Lock) Current(path string) bool {
	var held, now unix.Stat_t
	if unix.Fstat(int(l.f.Fd()), &held) != nil || unix.Stat(path, &now) != nil {
		return false
	}
	return held.Dev == now.Dev && held.Ino == now.Ino
}

// Unlock releases the lock.
func (l *Lock) Unlock() error { return l.flock(unix.LOCK_UN) }

// Close releases the lock and closes the file.
func (l *Lock) Close() error { return l.f.Close() }
