package portfwd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"

	"github.com/rootless-containers/rootlesskit/v2/pkg/port"
	"github.com/rootless-containers/rootlesskit/v2/pkg/port/builtin/msg"
)

// A TCP connection is copied through a buffer, not splice(2): the bytes
// are read once the netpoller says the socket is readable, so a bulk
// sender's small writes arrive in large batches and leave in large writes,
// which the receiver in the container reads far more cheaply than the page
// fragments splice hands on (docs/design.md, "Published ports"). The
// buffer starts small (an idle or chatty connection holds little) and
// grows while reads fill it.
const (
	minCopyBuf = 64 << 10
	maxCopyBuf = 1 << 20
)

// childDialRetries is how often a connection asks the namespace half for
// its socket before giving up (the half answers once it is running).
const childDialRetries = 10

// listenTCP binds a published TCP port in the host's namespace.
// Without an address it listens on every address, IPv6 too where the host
// has it.
func listenTCP(p Port) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort(p.HostIP, strconv.Itoa(p.HostPort)))
}

// serveTCP accepts connections on ln until ctx ends and, for each, has the
// namespace half (listening on socketPath) dial the container's port, then
// copies both ways. Errors of one connection go to logw and end only it.
func serveTCP(ctx context.Context, ln net.Listener, socketPath string, p Port, logw io.Writer) {
	spec := port.Spec{Proto: "tcp", ParentIP: p.HostIP, ParentPort: p.HostPort, ChildIP: p.childIP(), ChildPort: p.CtrPort}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				fmt.Fprintf(logw, "port forwarder: accept on %d/tcp: %v\n", p.HostPort, err)
			}
			return
		}
		go func() {
			if err := forwardTCP(c.(*net.TCPConn), socketPath, spec); err != nil {
				fmt.Fprintf(logw, "port forwarder: %d/tcp: %v\n", p.HostPort, err)
			}
		}()
	}
}

// forwardTCP connects c to the container's port and copies until both
// directions have ended.
func forwardTCP(c *net.TCPConn, socketPath string, spec port.Spec) error {
	defer c.Close()
	fd, err := msg.ConnectToChildWithRetry(socketPath, spec, childDialRetries)
	if err != nil {
		return fmt.Errorf("connect to the container's port %d: %w", spec.ChildPort, err)
	}
	f := os.NewFile(uintptr(fd), "container connection")
	fc, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("container connection: %w", err)
	}
	defer fc.Close()
	cc, ok := fc.(*net.TCPConn)
	if !ok {
		return fmt.Errorf("container connection: not TCP (%T)", fc)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		copyHalf(cc, c)
	}()
	copyHalf(c, cc)
	wg.Wait()
	return nil
}

// copyHalf copies src to dst until src ends or either fails, then passes
// the end on: dst's write side and src's read side are shut.
func copyHalf(dst, src *net.TCPConn) {
	buf := make([]byte, minCopyBuf)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
		if n == len(buf) && len(buf) < maxCopyBuf {
			buf = make([]byte, 4*len(buf))
		}
	}
	_ = dst.CloseWrite()
	_ = src.CloseRead()
}
