package libpod

import (
	"fmt"
	"net"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// The namespace's addresses are read here rather than in pkg/netns, which
// the monitor links: the net package would bring the cgo resolver and a
// megabyte of resident memory to every monitor.

// netnsAddrs returns the interfaces of the namespace bound at path with their
// addresses (CIDR notation), read from a thread that joined it and ends
// with its goroutine.
func netnsAddrs(path string) (map[string][]string, error) {
	ns, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open network namespace %s: %w", path, err)
	}
	defer ns.Close()
	type result struct {
		addrs map[string][]string
		err   error
	}
	resc := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			resc <- result{err: fmt.Errorf("enter network namespace %s: %w", path, err)}
			return
		}
		ifs, err := net.Interfaces()
		if err != nil {
			resc <- result{err: fmt.Errorf("network namespace %s: %w", path, err)}
			return
		}
		out := map[string][]string{}
		for _, i := range ifs {
			out[i.Name] = []string{}
			addrs, err := i.Addrs()
			if err != nil {
				continue
			}
			for _, a := range addrs {
				out[i.Name] = append(out[i.Name], a.String())
			}
		}
		resc <- result{addrs: out}
	}()
	r := <-resc
	return r.addrs, r.err
}
