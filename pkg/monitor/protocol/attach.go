package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The attach socket: every monitor listens on a SOCK_SEQPACKET unix socket
// (Options.AttachSocket) for any number of clients (`pod attach`). Each
// packet is one frame: a kind byte, then the payload.
//
// Monitor → client: FrameStdout and FrameStderr carry the container's
// output from the moment the client connected (the log has what came
// before). When the container exits and its output is drained, the monitor
// sends FrameExit (the exit code, big-endian int32) and closes every
// connection; EOF without FrameExit means the monitor died.
//
// Client → monitor: FrameStdin carries input for the container's terminal
// (with a tty) or its stdin pipe (started detached with -i); FrameStdinEOF
// closes that pipe (a terminal ignores it); FrameResize sets the terminal
// size (rows, then cols, big-endian uint16). A client detaches by closing
// its connection.
const (
	FrameStdin    byte = 0
	FrameStdout   byte = 1
	FrameStderr   byte = 2
	FrameStdinEOF byte = 3
	FrameResize   byte = 4
	FrameExit     byte = 5
)

// ExitFrame encodes the exit code frame.
func ExitFrame(code int) []byte {
	b := []byte{FrameExit, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], uint32(int32(code)))
	return b
}

// ParseExit decodes the payload of an exit frame.
func ParseExit(p []byte) (int, bool) {
	if len(p) != 4 {
		return 0, false
	}
	return int(int32(binary.BigEndian.Uint32(p))), true
}

// MaxFrame is the largest frame either side sends: a kind byte and 32 KiB.
const MaxFrame = 1 + 32<<10

// ResizeFrame encodes a resize request.
func ResizeFrame(rows, cols uint16) []byte {
	b := []byte{FrameResize, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(b[1:], rows)
	binary.BigEndian.PutUint16(b[3:], cols)
	return b
}

// ParseResize decodes the payload of a resize frame.
func ParseResize(p []byte) (rows, cols uint16, ok bool) {
	if len(p) != 4 {
		return 0, 0, false
	}
	return binary.BigEndian.Uint16(p), binary.BigEndian.Uint16(p[2:]), true
}

// maxSocketPath is the longest path a unix socket address holds.
const maxSocketPath = 107

// ListenAttach creates the attach socket at path (removing a stale one) and
// returns the listening descriptor (close-on-exec). A path too long for a
// socket address is bound through /proc/self/fd.
func ListenAttach(path string) (int, error) {
	_ = os.Remove(path)
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("attach socket: %w", err)
	}
	err = withShortPath(path, func(p string) error { return syscall.Bind(fd, &syscall.SockaddrUnix{Name: p}) })
	if err == nil {
		err = syscall.Listen(fd, 16)
	}
	if err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("attach socket %s: %w", path, err)
	}
	return fd, nil
}

// DialAttach connects to the attach socket at path. The connection is
// non-blocking, so that closing it interrupts a read.
func DialAttach(path string) (*os.File, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC|syscall.SOCK_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("attach socket: %w", err)
	}
	err = withShortPath(path, func(p string) error { return syscall.Connect(fd, &syscall.SockaddrUnix{Name: p}) })
	if err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("connect to %s: %w", path, err)
	}
	return os.NewFile(uintptr(fd), path), nil
}

// withShortPath calls f with path, or with the same file named through
// /proc/self/fd when path is too long for a socket address.
func withShortPath(path string, f func(string) error) error {
	if len(path) <= maxSocketPath {
		return f(path)
	}
	// 0x200000 is O_PATH, which package syscall does not name.
	dir, err := os.OpenFile(filepath.Dir(path), 0x200000|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer dir.Close()
	return f(fmt.Sprintf("/proc/self/fd/%d/%s", dir.Fd(), filepath.Base(path)))
}

// DefaultDetachKeys is the detach sequence unless configured otherwise.
const DefaultDetachKeys = "ctrl-p,ctrl-q"

// ErrBadDetachKeys is the error of a detach-key spec that does not parse.
var ErrBadDetachKeys = errors.New("invalid detach keys")

// ParseDetachKeys turns a spec such as "ctrl-p,ctrl-q" into the bytes a
// terminal sends: each comma-separated key is one character or ctrl- and a
// letter or one of @ [ \ ] ^ _. An empty spec disables detaching (nil).
func ParseDetachKeys(spec string) ([]byte, error) {
	if spec == "" {
		return nil, nil
	}
	var out []byte
	for _, k := range strings.Split(spec, ",") {
		switch {
		case len(k) == 1:
			out = append(out, k[0])
		case strings.HasPrefix(k, "ctrl-") && len(k) == len("ctrl-")+1:
			c := k[len(k)-1]
			switch {
			case c >= 'a' && c <= 'z':
				out = append(out, c-'a'+1)
			case c >= 'A' && c <= 'Z':
				out = append(out, c-'A'+1)
			case c == '@' || (c >= '[' && c <= '_'):
				out = append(out, c-'@')
			default:
				return nil, fmt.Errorf("%q: %w", spec, ErrBadDetachKeys)
			}
		default:
			return nil, fmt.Errorf("%q: %w", spec, ErrBadDetachKeys)
		}
	}
	return out, nil
}

// DetachScanner finds the detach sequence in a stream of input chunks. Bytes
// that may begin the sequence are held back until the sequence completes
// or breaks, so the container never sees a complete sequence.
type DetachScanner struct {
	keys    []byte
	matched int // bytes of keys seen at the end of the input so far
}

// NewDetachScanner returns a scanner for keys (nil: never detaches).
func NewDetachScanner(keys []byte) *DetachScanner { return &DetachScanner{keys: keys} }

// Scan takes the next chunk of input and returns what to pass on, and
// whether the detach sequence completed (what follows it is dropped).
func (d *DetachScanner) Scan(p []byte) (pass []byte, detach bool) {
	if len(d.keys) == 0 {
		return p, false
	}
	out := make([]byte, 0, len(p)+d.matched)
	for _, b := range p {
		if b == d.keys[d.matched] {
			d.matched++
			if d.matched == len(d.keys) {
				return out, true
			}
			continue
		}
		// The partial match breaks: the held bytes were input after all.
		out = append(out, d.keys[:d.matched]...)
		d.matched = 0
		if b == d.keys[0] {
			d.matched = 1
			if len(d.keys) == 1 {
				return out, true
			}
			continue
		}
		out = append(out, b)
	}
	return out, false
}
