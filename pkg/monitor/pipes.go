package monitor

// The monitor's ends of the sync and ctl pipes; the records themselves are
// defined in package protocol.

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// syncWriter sends sync records. It never blocks for long: the pipe is
// non-blocking with a write deadline, and a gone reader (EPIPE) is ignored.
type syncWriter struct {
	mu  sync.Mutex
	f   *os.File // nil when absent or broken
	dbg *debugLog
}

func newSyncWriter(fd int, dbg *debugLog) *syncWriter {
	s := &syncWriter{dbg: dbg}
	if fd >= 0 {
		if err := unix.SetNonblock(fd, true); err != nil {
			dbg.printf("sync fd %d: %v", fd, err)
		}
		s.f = os.NewFile(uintptr(fd), "sync")
	}
	return s
}

func (s *syncWriter) send(rec protocol.SyncRecord) {
	data, err := protocol.Encode(rec)
	if err != nil {
		s.dbg.printf("%v", err)
		return
	}
	s.dbg.printf("sync: %s", bytes.TrimSpace(data))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return
	}
	_ = s.f.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := s.f.Write(data); err != nil {
		s.dbg.printf("sync write: %v", err)
		s.f.Close()
		s.f = nil
	}
}

// ctlReader reads ctl records until EOF; done is closed at EOF or on
// "cleaned", whichever comes first.
type ctlReader struct {
	done    chan struct{} // closed at EOF, on a read error or on "cleaned"
	once    sync.Once
	cleaned atomic.Bool
}

func (c *ctlReader) finish() { c.once.Do(func() { close(c.done) }) }

// startCtl starts the reader goroutine; fd < 0 means no ctl pipe, which
// counts as EOF. resize is called for each resize record, eof when an
// existing pipe closes (the CLI is gone or has let the container go).
func startCtl(fd int, dbg *debugLog, resize func(rows, cols uint16), eof func()) *ctlReader {
	c := &ctlReader{done: make(chan struct{})}
	if fd < 0 {
		close(c.done)
		return c
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		dbg.printf("ctl fd %d: %v", fd, err)
	}
	f := os.NewFile(uintptr(fd), "ctl")
	go c.loop(f, dbg, resize, eof)
	return c
}

func (c *ctlReader) loop(f *os.File, dbg *debugLog, resize func(rows, cols uint16), eof func()) {
	defer c.finish()
	defer eof()
	defer f.Close()
	r := bufio.NewReaderSize(f, 512)
	skipping := false
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			skipping = true // too long to be a record: drop it
			continue
		}
		if skipping {
			skipping = false
			if err == nil {
				continue
			}
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			if rec, derr := protocol.DecodeCtl(line); derr != nil {
				dbg.printf("ctl: %v", derr)
			} else {
				dbg.printf("ctl: %s", line)
				switch rec.Type {
				case protocol.RecordResize:
					resize(rec.Rows, rec.Cols)
				case protocol.RecordCleaned:
					c.cleaned.Store(true)
					c.finish()
				}
			}
		}
		if err != nil {
			dbg.printf("ctl closed: %v", err)
			return
		}
	}
}
