package portfwd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/rootless-containers/rootlesskit/v2/pkg/port"
	"github.com/rootless-containers/rootlesskit/v2/pkg/port/builtin/child"
	"github.com/rootless-containers/rootlesskit/v2/pkg/port/builtin/opaque"
	"github.com/rootless-containers/rootlesskit/v2/pkg/port/builtin/parent"
)

// Port is one forwarded port.
type Port struct {
	Proto    string // tcp or udp
	HostIP   string // "" = every address
	HostPort int
	CtrPort  int
}

// String is the port as ParsePort reads it: PROTO:[HOSTIP]:HOSTPORT:CTRPORT.
func (p Port) String() string {
	return p.Proto + ":" + p.HostIP + ":" + strconv.Itoa(p.HostPort) + ":" + strconv.Itoa(p.CtrPort)
}

// childIP is the address the container's port is dialed at inside its
// namespace: its loopback, of the host address's family (a specific host
// address is the host's, not necessarily the namespace's).
func (p Port) childIP() string {
	if ip := net.ParseIP(p.HostIP); ip != nil && ip.To4() == nil {
		return "::1"
	}
	return "127.0.0.1"
}

// ParsePort reads a Port from its String form (the host IP may be an
// IPv6 address holding colons).
func ParsePort(s string) (Port, error) {
	bad := fmt.Errorf("port %q: want PROTO:[HOSTIP]:HOSTPORT:CTRPORT", s)
	proto, rest, ok := strings.Cut(s, ":")
	if !ok || (proto != "tcp" && proto != "udp") {
		return Port{}, bad
	}
	i := strings.LastIndex(rest, ":")
	if i < 0 {
		return Port{}, bad
	}
	ctr, err := strconv.Atoi(rest[i+1:])
	rest = rest[:i]
	j := strings.LastIndex(rest, ":")
	if err != nil || j < 0 {
		return Port{}, bad
	}
	host, err := strconv.Atoi(rest[j+1:])
	if err != nil || host <= 0 || host > 65535 || ctr <= 0 || ctr > 65535 {
		return Port{}, bad
	}
	return Port{Proto: proto, HostIP: rest[:j], HostPort: host, CtrPort: ctr}, nil
}

// Run forwards ports into the network namespace at netnsPath until ctx
// ends. stateDir (short: it holds a unix socket) must exist and be private;
// ready is called once every port is bound. Log lines of the driver go to
// logw.
func Run(ctx context.Context, netnsPath, stateDir string, ports []Port, logw io.Writer, ready func()) error {
	if _, err := os.Stat(netnsPath); err != nil {
		return fmt.Errorf("port forwarder: network namespace: %w", err)
	}
	pd, err := parent.NewDriver(logw, stateDir)
	if err != nil {
		return fmt.Errorf("port forwarder: %w", err)
	}
	cd := child.NewDriver(logw)
	quit := make(chan struct{})
	defer close(quit)
	errc := make(chan error, 2)
	go func() { errc <- cd.RunChildDriver(pd.OpaqueForChild(), quit, netnsPath) }()
	initDone := make(chan struct{}, 1)
	go func() { errc <- pd.RunParentDriver(initDone, quit, &port.ChildContext{}) }()
	select {
	case <-initDone:
	case err := <-errc:
		if err == nil {
			err = errors.New("driver ended")
		}
		return fmt.Errorf("port forwarder: %w", err)
	case <-ctx.Done():
		return ctx.Err()
	}
	// TCP ports are this package's (its own listener and copy, the
	// driver's child dials); UDP ports are the driver's.
	socketPath := pd.OpaqueForChild()[opaque.SocketPath]
	for _, p := range ports {
		if p.Proto == "tcp" {
			ln, err := listenTCP(p)
			if err != nil {
				return fmt.Errorf("port forwarder: host port %d/tcp: %w", p.HostPort, err)
			}
			go serveTCP(ctx, ln, socketPath, p, logw)
			continue
		}
		ip := p.HostIP
		if ip == "" {
			ip = "0.0.0.0"
		}
		spec := port.Spec{Proto: p.Proto, ParentIP: ip, ParentPort: p.HostPort, ChildIP: p.childIP(), ChildPort: p.CtrPort}
		if _, err := pd.AddPort(ctx, spec); err != nil {
			return fmt.Errorf("port forwarder: host port %d/%s: %w", p.HostPort, p.Proto, err)
		}
	}
	ready()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		if err == nil {
			return nil
		}
		return fmt.Errorf("port forwarder: %w", err)
	}
}
