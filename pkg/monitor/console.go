package monitor

import (
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// terminal holds the container's terminal master and applies resizes, which
// may arrive before the master does.
type terminal struct {
	mu         sync.Mutex
	master     *os.File
	rows, cols uint16 // pending size, 0 = none
	dbg        *debugLog
}

func (t *terminal) setMaster(f *os.File) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.master = f
	if t.rows != 0 || t.cols != 0 {
		t.apply()
	}
}

func (t *terminal) resize(rows, cols uint16) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows, t.cols = rows, cols
	if t.master != nil {
		t.apply()
	}
}

func (t *terminal) apply() {
	sc, err := t.master.SyscallConn()
	if err != nil {
		return
	}
	ws := &unix.Winsize{Row: t.rows, Col: t.cols}
	var ioErr error
	if err := sc.Control(func(fd uintptr) { ioErr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, ws) }); err != nil {
		ioErr = err
	}
	if ioErr != nil {
		t.dbg.printf("resize terminal to %dx%d: %v", t.rows, t.cols, ioErr)
	}
}
