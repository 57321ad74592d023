package monitor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// logTimeFormat is the k8s-file timestamp: nanoseconds, numeric zone.
const logTimeFormat = "2006-01-02T15:04:05.000000000-07:00"

// copyBufSize is the read size of each output stream.
const copyBufSize = 8192

// Stream names in log records.
const (
	streamStdout = "stdout"
	streamStderr = "stderr"
)

// logFile writes the container log in k8s-file format, one record per
// line: "TIMESTAMP STREAM F|P CONTENT". F ends a line (its newline is the
// record's end), P is a chunk without a newline.
type logFile struct {
	mu   sync.Mutex
	f    *os.File // nil: no log
	buf  []byte
	ends []int // where each record of buf ends
	dbg  *debugLog
	rot  rotation // size limit and kept files (rotate.go)
}

// openLog opens the log at path for appending ("" = no log); rot limits
// its size (see rotation).
func openLog(path string, rot rotation, dbg *debugLog) (*logFile, error) {
	l := &logFile{dbg: dbg, rot: rot}
	if path == "" {
		return l, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open container log: %w", err)
	}
	l.f = f
	l.rot.path = path
	if fi, err := f.Stat(); err == nil {
		l.rot.size = fi.Size()
	}
	return l, nil
}

// write appends the records for one chunk of output with a single write.
func (l *logFile) write(stream string, p []byte) {
	if l.f == nil || len(p) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ends := l.buf[:0], l.ends[:0]
	now := time.Now()
	maxText := l.rot.maxText()
	for len(p) > 0 {
		// n bytes of p make this record's text; full: a newline ends it.
		n, full := len(p), false
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			n, full = i, true
		}
		if maxText > 0 && n > maxText {
			n, full = maxText, false // cut to fit one file: P records join
		}
		b = now.AppendFormat(b, logTimeFormat)
		b = append(b, ' ')
		b = append(b, stream...)
		if full {
			b = append(b, " F "...)
		} else {
			b = append(b, " P "...)
		}
		b = append(b, p[:n]...)
		b = append(b, '\n')
		if full {
			n++
		}
		p = p[n:]
		ends = append(ends, len(b))
	}
	l.emit(b, ends)
	// Keep the buffers for the next chunk unless one huge burst grew them.
	if cap(b) <= 4*copyBufSize {
		l.buf = b[:0]
	} else {
		l.buf = nil
	}
	if cap(ends) <= 256 {
		l.ends = ends[:0]
	} else {
		l.ends = nil
	}
}

func (l *logFile) close() {
	if l.f != nil {
		l.f.Close()
	}
}

// copyOutput copies src to the log (as stream), to dst (raw bytes) and to
// the attach clients (as frames of kind) until EOF or a read error; EIO
// from a terminal master means the other side hung up. A failing dst, or
// one whose client went away (clientGone), is dropped and copying goes on.
func copyOutput(src *os.File, stream string, kind byte, log *logFile, dst *os.File, clients *attachServer, clientGone *atomic.Bool, dbg *debugLog) {
	// buf[0] is the frame's kind byte: the chunk goes to the attach
	// clients without a copy.
	buf := make([]byte, 1+copyBufSize)
	buf[0] = kind
	for {
		n, err := src.Read(buf[1:])
		if n > 0 {
			chunk := buf[1 : 1+n]
			log.write(stream, chunk)
			if dst != nil && clientGone.Load() {
				dst = nil
			}
			if dst != nil {
				if _, werr := dst.Write(chunk); werr != nil {
					dbg.printf("attach %s: %v", stream, werr)
					dst = nil
				}
			}
			clients.broadcast(buf[:1+n])
		}
		if err != nil {
			if !errors.Is(err, os.ErrClosed) && !errors.Is(err, syscall.EIO) && !errors.Is(err, io.EOF) {
				dbg.printf("read %s: %v", stream, err)
			}
			return
		}
	}
}

// copyInput copies the client's stdin (descriptor src) to the terminal
// master until EOF, a write error, stop being set or the detach keys
// (detached is called then). It polls with a timeout so that it stops
// reading a terminal it shares with the client's shell soon after the
// client went away.
func copyInput(src int, dst *os.File, keys []byte, stop *atomic.Bool, detached func(), dbg *debugLog) {
	buf := make([]byte, 4096)
	scan := protocol.NewDetachScanner(keys)
	for !stop.Load() {
		fds := []unix.PollFd{{Fd: int32(src), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 250)
		if err == unix.EINTR || n == 0 {
			continue
		}
		if err != nil || stop.Load() {
			return
		}
		n, err = unix.Read(src, buf)
		if err == unix.EAGAIN || err == unix.EINTR {
			continue
		}
		if n <= 0 {
			return // EOF or error
		}
		pass, detach := scan.Scan(buf[:n])
		if len(pass) > 0 {
			if _, werr := dst.Write(pass); werr != nil {
				dbg.printf("write terminal: %v", werr)
				return
			}
		}
		if detach {
			detached()
			return
		}
	}
}

// debugLog is the optional debug log; a nil *debugLog discards.
type debugLog struct {
	mu sync.Mutex
	f  *os.File
}

func openDebugLog(path string) *debugLog {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil
	}
	return &debugLog{f: f}
}

func (d *debugLog) printf(format string, args ...any) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	fmt.Fprintf(d.f, "%s [%d] %s\n", time.Now().Format(time.RFC3339Nano), os.Getpid(), fmt.Sprintf(format, args...))
}

// file returns the debug log file for child stdio, or nil.
func (d *debugLog) file() *os.File {
	if d == nil {
		return nil
	}
	return d.f
}
