package monitor

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// maxSocketPath is the longest path a unix socket address can hold.
const maxSocketPath = len(unix.RawSockaddrUnix{}.Path) - 1

// consoleSocket receives the terminal master that the runtime sends over
// --console-socket with SCM_RIGHTS.
type consoleSocket struct {
	path string
	fd   int // listening socket
}

// newTmpDir creates the monitor's private temporary directory (console
// socket, network helper files) under the first of parent, os.TempDir() and
// /tmp that is short enough for a unix socket path inside it.
func newTmpDir(parent string) (string, error) {
	parents := []string{parent, os.TempDir(), "/tmp"}
	if parent == "" {
		parents = parents[1:]
	}
	lastErr := fmt.Errorf("no directory for the console socket")
	for _, p := range parents {
		// MkdirTemp adds at most 12 bytes ("/pm" + 9 random digits) and
		// the socket is named "c".
		if len(p)+len("/pm123456789/c") > maxSocketPath {
			lastErr = fmt.Errorf("temporary directory %s: path too long for a unix socket", p)
			continue
		}
		dir, err := os.MkdirTemp(p, "pm")
		if err != nil {
			lastErr = fmt.Errorf("create temporary directory: %w", err)
			continue
		}
		return dir, nil
	}
	return "", lastErr
}

// listenConsole creates the console socket in dir.
func listenConsole(dir string) (*consoleSocket, error) {
	c := &consoleSocket{path: filepath.Join(dir, "c"), fd: -1}
	if err := c.listen(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *consoleSocket) listen() error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("console socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: c.path}); err != nil {
		unix.Close(fd)
		return fmt.Errorf("bind console socket %s: %w", c.path, err)
	}
	if err := unix.Listen(fd, 1); err != nil {
		unix.Close(fd)
		return fmt.Errorf("listen on console socket %s: %w", c.path, err)
	}
	c.fd = fd
	return nil
}

// receive accepts the runtime's connection and returns the terminal master
// it sent. The runtime sends without waiting for a reply, so this runs after
// `runtime create` has returned; timeout bounds each wait.
func (c *consoleSocket) receive(timeout time.Duration) (*os.File, error) {
	if err := pollIn(c.fd, timeout); err != nil {
		return nil, fmt.Errorf("wait for the terminal from the runtime: %w", err)
	}
	conn, _, err := unix.Accept4(c.fd, unix.SOCK_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("accept on console socket: %w", err)
	}
	defer unix.Close(conn)
	if err := pollIn(conn, timeout); err != nil {
		return nil, fmt.Errorf("wait for the terminal from the runtime: %w", err)
	}
	buf := make([]byte, 256)
	oob := make([]byte, unix.CmsgSpace(4*4))
	_, oobn, _, _, err := unix.Recvmsg(conn, buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("receive terminal: %w", err)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return nil, fmt.Errorf("receive terminal: %w", err)
	}
	master := -1
	for i := range msgs {
		fds, err := unix.ParseUnixRights(&msgs[i])
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if master < 0 {
				master = fd
			} else {
				unix.Close(fd)
			}
		}
	}
	if master < 0 {
		return nil, fmt.Errorf("receive terminal: the runtime sent no file descriptor")
	}
	// Non-blocking so that reads go through the poller and Close
	// interrupts them.
	if err := unix.SetNonblock(master, true); err != nil {
		unix.Close(master)
		return nil, fmt.Errorf("terminal master: %w", err)
	}
	return os.NewFile(uintptr(master), "console"), nil
}

func (c *consoleSocket) close() {
	if c.fd >= 0 {
		unix.Close(c.fd)
		c.fd = -1
	}
	os.Remove(c.path)
}

func pollIn(fd int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("timed out after %v", timeout)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

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
