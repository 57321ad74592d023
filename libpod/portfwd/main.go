package portfwd

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// Main is the pod-portfwd program a container's monitor runs for its
// published ports: `pod-portfwd NETNS PROTO:[HOSTIP]:HOSTPORT:CTRPORT...`.
// It forwards the ports into the network namespace NETNS, reports
// readiness with one byte on fd 3 and runs until fd 4 reaches EOF (its
// monitor closed it or died) or it is signalled. It returns the exit code:
// 0, 1 when forwarding failed, 125 for a bad command line.
func Main(args []string, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "usage: pod-portfwd NETNS PROTO:[HOSTIP]:HOSTPORT:CTRPORT... (run by pod-monitor)")
		return 125
	}
	var ports []Port
	for _, a := range args[1:] {
		p, err := ParsePort(a)
		if err != nil {
			fmt.Fprintf(stderr, "pod-portfwd: %v\n", err)
			return 125
		}
		ports = append(ports, p)
	}
	_, err3 := unix.FcntlInt(3, unix.F_GETFD, 0)
	_, err4 := unix.FcntlInt(4, unix.F_GETFD, 0)
	if err3 != nil || err4 != nil {
		fmt.Fprintln(stderr, "pod-portfwd: run by pod-monitor only (needs descriptors 3 and 4)")
		return 125
	}
	ready, exit := os.NewFile(3, "ready"), os.NewFile(4, "exit")
	ctx, stop := signal.NotifyContext(context.Background(), unix.SIGTERM, unix.SIGINT)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, exit)
		cancel()
	}()
	// The driver's unix socket needs a short path.
	dir, err := os.MkdirTemp("", "pod-fwd-")
	if err != nil {
		fmt.Fprintf(stderr, "pod-portfwd: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	err = Run(ctx, args[0], dir, ports, stderr, func() {
		_, _ = ready.Write([]byte{1})
		ready.Close()
	})
	if err != nil {
		fmt.Fprintf(stderr, "pod-portfwd: %v\n", err)
		return 1
	}
	return 0
}
