package ociruntime

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// maxSocketPath is the longest path a unix socket address can hold.
const maxSocketPath = len(unix.RawSockaddrUnix{}.Path) - 1

// ConsoleSocket receives the terminal master that the runtime sends over
// --console-socket with SCM_RIGHTS.
type ConsoleSocket struct {
	Path string
	fd   int // listening socket
}

// NewTmpDir creates a private temporary directory (for a console socket and
// other files) under the first of parent, os.TempDir() and
// /tmp that is short enough for a unix socket path inside it.
func NewTmpDir(parent string) (string, error) {
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

// ListenConsole creates the console socket in dir.
func ListenConsole(dir string) (*ConsoleSocket, error) {
	c := &ConsoleSocket{Path: filepath.Join(dir, "c"), fd: -1}
	if err := c.listen(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *ConsoleSocket) listen() error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("console socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: c.Path}); err != nil {
		unix.Close(fd)
		return fmt.Errorf("bind console socket %s: %w", c.Path, err)
	}
	if err := unix.Listen(fd, 1); err != nil {
		unix.Close(fd)
		return fmt.Errorf("listen on console socket %s: %w", c.Path, err)
	}
	c.fd = fd
	return nil
}

// Receive accepts the runtime's connection and returns the terminal master
// it sent. The runtime sends without waiting for a reply, so this runs after
// `runtime create` has returned; timeout bounds each wait.
func (c *ConsoleSocket) Receive(timeout time.Duration) (*os.File, error) {
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

// Close closes and removes the socket.
func (c *ConsoleSocket) Close() {
	if c.fd >= 0 {
		unix.Close(c.fd)
		c.fd = -1
	}
	os.Remove(c.Path)
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
