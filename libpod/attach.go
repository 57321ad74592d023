package libpod

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// attachSocket is where the container's monitor serves attach clients.
func (c *Container) attachSocket() string { return filepath.Join(c.runDir(), "attach") }

// checkDetachKeys validates a detach-key spec.
func checkDetachKeys(spec string) error {
	if _, err := protocol.ParseDetachKeys(spec); err != nil {
		return fmt.Errorf("%w: %w", err, define.ErrInvalidArg)
	}
	return nil
}

// AttachContainer attaches streams to a running container through its
// monitor's attach socket: the output from now on reaches Stdout and
// Stderr, and Stdin (nil: not attached) reaches the container's terminal or
// its open stdin. The Attachment's Wait returns the exit code, or
// define.ErrDetach when the user typed the detach keys.
func (r *Runtime) AttachContainer(nameOrID string, streams *AttachStreams) (Attachment, error) {
	if err := checkDetachKeys(streams.DetachKeys); err != nil {
		return nil, err
	}
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return nil, err
	}
	unlock, err := c.lockAndSync()
	if err != nil {
		return nil, err
	}
	status, pid := c.State.Status, c.State.Pid
	unlock()
	if status != define.StatusRunning && status != define.StatusPaused {
		return nil, fmt.Errorf("you can only attach to running containers: %s is %s: %w", c.Name(), status, define.ErrCtrStateInvalid)
	}
	conn, err := protocol.DialAttach(c.attachSocket())
	if err != nil {
		return nil, fmt.Errorf("attach to container %s: its monitor serves no attach socket (restart the container to get one): %w", c.Name(), err)
	}
	keys, _ := protocol.ParseDetachKeys(streams.DetachKeys)
	c.newEvent(events.Attach)
	a := &attachConn{c: c, conn: conn, pid: pid, streams: streams}
	if streams.Stdin != nil {
		go a.copyStdin(keys, !c.Config.Terminal)
	}
	return a, nil
}

// attachConn is a client of a monitor's attach socket.
type attachConn struct {
	c        *Container
	conn     *os.File
	pid      int
	streams  *AttachStreams
	mu       sync.Mutex
	detached bool
}

var _ Attachment = (*attachConn)(nil)

// Pid returns the container's init pid.
func (a *attachConn) Pid() int { return a.pid }

// Resize asks the monitor to resize the container's terminal.
func (a *attachConn) Resize(rows, cols uint16) { _, _ = a.conn.Write(protocol.ResizeFrame(rows, cols)) }

// copyStdin sends the client's input until EOF (then, for a container
// without a terminal, closes its stdin) or the detach keys.
func (a *attachConn) copyStdin(keys []byte, eof bool) {
	scan := protocol.NewDetachScanner(keys)
	buf := make([]byte, 8192)
	for {
		n, err := a.streams.Stdin.Read(buf)
		if n > 0 {
			pass, detach := scan.Scan(buf[:n])
			if len(pass) > 0 {
				if _, werr := a.conn.Write(append([]byte{protocol.FrameStdin}, pass...)); werr != nil {
					return
				}
			}
			if detach {
				a.mu.Lock()
				a.detached = true
				a.mu.Unlock()
				a.conn.Close() // ends Wait's read
				return
			}
		}
		if err != nil {
			if eof && errors.Is(err, io.EOF) {
				_, _ = a.conn.Write([]byte{protocol.FrameStdinEOF})
			}
			return
		}
	}
}

// Wait copies the container's output until it exits and returns its exit
// code, or define.ErrDetach after the detach keys.
func (a *attachConn) Wait() (int, error) {
	buf := make([]byte, protocol.MaxFrame)
	for {
		n, err := a.conn.Read(buf)
		if n > 0 {
			p := buf[1:n]
			switch buf[0] {
			case protocol.FrameStdout:
				a.write(a.streams.Stdout, p)
			case protocol.FrameStderr:
				a.write(a.streams.Stderr, p)
			case protocol.FrameExit:
				if code, ok := protocol.ParseExit(p); ok {
					return code, nil
				}
			}
		}
		if err != nil || n == 0 {
			a.mu.Lock()
			detached := a.detached
			a.mu.Unlock()
			if detached {
				return -1, define.ErrDetach
			}
			return -1, fmt.Errorf("container %s: its monitor hung up without an exit code: %w", a.c.Name(), define.ErrRuntime)
		}
	}
}

func (a *attachConn) write(w *os.File, p []byte) {
	if w != nil {
		_, _ = w.Write(p)
	}
}

// Finish hangs up; the monitor cleans up after the container itself.
func (a *attachConn) Finish() error {
	a.conn.Close()
	return nil
}
