package monitor

import (
	"errors"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// attachWriteTimeout bounds how long a client that does not read may hold
// up the container's output; it is disconnected after that.
const attachWriteTimeout = 5 * time.Second

// attachServer serves the attach socket (see protocol.FrameStdin): output
// goes to every connected client, and input from any client goes to the
// container.
type attachServer struct {
	path     string
	listener *os.File
	dbg      *debugLog

	mu      sync.Mutex
	clients map[*os.File]struct{}
	closed  bool
	// Where client input goes, set once the container has its stdio.
	stdin    *os.File // terminal master or stdin pipe; nil: input dropped
	stdinEOF func()   // closes the stdin pipe; nil with a terminal
	resize   func(rows, cols uint16)
}

// listenAttach starts serving path; a failure leaves the container
// unattachable but running, so it is only logged.
func listenAttach(path string, dbg *debugLog, resize func(rows, cols uint16)) *attachServer {
	s := &attachServer{path: path, dbg: dbg, clients: map[*os.File]struct{}{}, resize: resize}
	if path == "" {
		return s
	}
	fd, err := protocol.ListenAttach(path)
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		dbg.printf("attach socket: %v", err)
		if fd >= 0 {
			unix.Close(fd)
		}
		return s
	}
	s.listener = os.NewFile(uintptr(fd), "attach")
	go s.accept()
	return s
}

// setInput names where client input goes from now on.
func (s *attachServer) setInput(stdin *os.File, stdinEOF func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stdin, s.stdinEOF = stdin, stdinEOF
}

func (s *attachServer) accept() {
	rc, err := s.listener.SyscallConn()
	if err != nil {
		return
	}
	for {
		var nfd int
		var aerr error
		err := rc.Read(func(fd uintptr) bool {
			nfd, _, aerr = unix.Accept4(int(fd), unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK)
			return aerr != unix.EAGAIN
		})
		if err != nil {
			return // the listener was closed
		}
		if aerr != nil {
			if aerr == unix.EINTR || aerr == unix.ECONNABORTED {
				continue
			}
			s.dbg.printf("attach accept: %v", aerr)
			return
		}
		c := os.NewFile(uintptr(nfd), "attach-client")
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.clients[c] = struct{}{}
		s.mu.Unlock()
		s.dbg.printf("attach: client connected")
		go s.serve(c)
	}
}

// serve reads one client's frames until it hangs up.
func (s *attachServer) serve(c *os.File) {
	defer s.drop(c)
	buf := make([]byte, protocol.MaxFrame)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			s.input(buf[0], buf[1:n])
		}
		if err != nil || n == 0 {
			return
		}
	}
}

func (s *attachServer) input(kind byte, p []byte) {
	s.mu.Lock()
	stdin, eof := s.stdin, s.stdinEOF
	s.mu.Unlock()
	switch kind {
	case protocol.FrameStdin:
		if stdin != nil && len(p) > 0 {
			if _, err := stdin.Write(p); err != nil {
				s.dbg.printf("attach: write stdin: %v", err)
			}
		}
	case protocol.FrameStdinEOF:
		if eof != nil {
			eof()
		}
	case protocol.FrameResize:
		if rows, cols, ok := protocol.ParseResize(p); ok {
			s.resize(rows, cols)
		}
	}
}

// drop forgets a client and hangs up on it.
func (s *attachServer) drop(c *os.File) {
	s.mu.Lock()
	_, ok := s.clients[c]
	delete(s.clients, c)
	s.mu.Unlock()
	if ok {
		c.Close()
		s.dbg.printf("attach: client gone")
	}
}

// broadcast sends frame (kind byte and payload) to every client; a client
// that cannot take it within attachWriteTimeout is disconnected.
func (s *attachServer) broadcast(frame []byte) {
	s.mu.Lock()
	if len(s.clients) == 0 {
		s.mu.Unlock()
		return
	}
	clients := make([]*os.File, 0, len(s.clients))
	for c := range s.clients {
		clients = append(clients, c)
	}
	s.mu.Unlock()
	for _, c := range clients {
		_ = c.SetWriteDeadline(time.Now().Add(attachWriteTimeout))
		if _, err := c.Write(frame); err != nil {
			if !errors.Is(err, os.ErrClosed) {
				s.dbg.printf("attach: write: %v", err)
			}
			s.drop(c)
		}
	}
}

// exited sends every client the exit code and hangs up.
func (s *attachServer) exited(code int) {
	s.broadcast(protocol.ExitFrame(code))
	s.close()
}

// close stops accepting and hangs up on every client: they read EOF once
// the output they were sent is read.
func (s *attachServer) close() {
	s.mu.Lock()
	s.closed = true
	clients := s.clients
	s.clients = map[*os.File]struct{}{}
	s.mu.Unlock()
	if s.listener != nil {
		s.listener.Close()
		os.Remove(s.path)
	}
	for c := range clients {
		c.Close()
	}
}
