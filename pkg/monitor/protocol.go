package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// Sync records (monitor → CLI) are JSON objects, one per line, on the pipe
// named by EnvSyncFD:
//
//	{"type":"started","pid":1234}
//	{"type":"error","message":"crun: ...","exitCode":127}
//	{"type":"exit","exitCode":3,"oomKilled":false,"exitedAt":"2026-11-23T10:11:12.123456789Z"}
//
// "started" follows a successful runtime create, network setup and runtime
// start (or one `run --detach` when nothing happens in between). "error"
// reports a failure before the container started (exitCode 127: executable
// not found, 126: cannot be executed, else 125); the runtime state is
// already deleted and the network helper stopped when it is sent, and the
// monitor then exits with status 1. "exit" follows the container's exit
// once its output is drained and the exit file written; the monitor deletes
// the runtime state right after sending it.
//
// Ctl records (CLI → monitor) travel the same way on the pipe named by
// EnvCtlFD:
//
//	{"type":"resize","rows":24,"cols":80}  set the terminal size
//	{"type":"cleaned"}                     the CLI ran the cleanup itself
//
// When the ctl pipe reaches EOF without "cleaned", the monitor runs the
// cleanup command after the container exits. When it is still open after
// "exit" was sent, the monitor waits up to CleanedTimeout for "cleaned" or
// EOF first.
const (
	RecordStarted = "started"
	RecordError   = "error"
	RecordExit    = "exit"
	RecordResize  = "resize"
	RecordCleaned = "cleaned"
)

// CleanedTimeout is how long the monitor waits after "exit" for the CLI to
// say "cleaned" or close the ctl pipe.
const CleanedTimeout = 30 * time.Second

// SyncRecord decodes any sync record.
type SyncRecord struct {
	Type      string `json:"type"`
	Pid       int    `json:"pid,omitempty"`
	Message   string `json:"message,omitempty"`
	ExitCode  int    `json:"exitCode"`
	OOMKilled bool   `json:"oomKilled"`
	ExitedAt  string `json:"exitedAt,omitempty"`
}

// CtlRecord is a ctl record.
type CtlRecord struct {
	Type string `json:"type"`
	Rows uint16 `json:"rows,omitempty"`
	Cols uint16 `json:"cols,omitempty"`
}

// ExitFile is the content of the exit file, written atomically.
type ExitFile struct {
	ExitCode  int    `json:"exitCode"`
	ExitedAt  string `json:"exitedAt"` // RFC 3339 with nanoseconds
	OOMKilled bool   `json:"oomKilled"`
}

type startedRecord struct {
	Type string `json:"type"`
	Pid  int    `json:"pid"`
}

type errorRecord struct {
	Type     string `json:"type"`
	Message  string `json:"message"`
	ExitCode int    `json:"exitCode"`
}

type exitRecord struct {
	Type      string `json:"type"`
	ExitCode  int    `json:"exitCode"`
	OOMKilled bool   `json:"oomKilled"`
	ExitedAt  string `json:"exitedAt"`
}

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

func (s *syncWriter) send(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		s.dbg.printf("encode sync record: %v", err)
		return
	}
	s.dbg.printf("sync: %s", data)
	data = append(data, '\n')
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
	r := bufio.NewReaderSize(f, 256)
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
			var rec CtlRecord
			if jerr := json.Unmarshal(line, &rec); jerr != nil {
				dbg.printf("ctl: bad record %q: %v", line, jerr)
			} else {
				dbg.printf("ctl: %s", line)
				switch rec.Type {
				case RecordResize:
					resize(rec.Rows, rec.Cols)
				case RecordCleaned:
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
