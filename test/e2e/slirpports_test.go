package e2e

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// forwarderProcesses lists the port forwarder processes whose command line
// holds s.
func forwarderProcesses(s string) []string {
	return processesMatching(func(args []string) bool {
		return len(args) > 1 && filepath.Base(args[0]) == "pod-portfwd" && strings.Contains(args[1], s)
	})
}

// A slirp4netns container's published port answers a real client on the
// host (TCP, and a host IP), and nothing of its forwarder stays after rm.
func TestSlirpPortsForward(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "slirpp")
	hp := freePort(t, "tcp", 2)
	id := e.MustPod(t, "run", "-d", "--name", name, "--network", "slirp4netns",
		"-p", fmt.Sprintf("%d:80", hp), "-p", fmt.Sprintf("127.0.0.1:%d:81", hp+1), "alpine",
		"sh", "-c", "nc -lk -p 81 -e echo eighty-one & while true; do nc -l -p 80 -e echo slirp; done").Out()
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "slirp\n" {
		t.Fatalf("port %d answered %q, want %q", hp, got, "slirp\n")
	}
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp+1)); got != "eighty-one\n" {
		t.Fatalf("port %d answered %q", hp+1, got)
	}
	out := e.MustPod(t, "port", name).Out()
	if !strings.Contains(out, fmt.Sprintf("80/tcp -> 0.0.0.0:%d", hp)) || !strings.Contains(out, fmt.Sprintf("81/tcp -> 127.0.0.1:%d", hp+1)) {
		t.Errorf("port: %q", out)
	}
	if cfg.podman {
		return
	}
	if len(forwarderProcesses(id)) != 1 {
		t.Errorf("want one forwarder for %s, got %q", id, forwarderProcesses(id))
	}
	e.MustPod(t, "rm", "-f", "-t", "0", name)
	if !waitFor(5*time.Second, func() bool { return len(forwarderProcesses(id)) == 0 && len(helperProcesses(id)) == 0 }) {
		t.Errorf("left after rm: %q %q", forwarderProcesses(id), helperProcesses(id))
	}
}

// The monitor restarts a slirp4netns container in its bound namespace:
// slirp4netns and the forwarder keep serving it, so the port answers again.
func TestSlirpPortsKeptAcrossRestarts(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "slirprs")
	hp := freePort(t, "tcp", 1)
	e.MustPod(t, "run", "-d", "--name", name, "--network", "slirp4netns", "--restart", "always",
		"-p", fmt.Sprintf("%d:80", hp), "alpine", "nc", "-l", "-p", "80", "-e", "echo", "once")
	expectOneShotRestarts(t, e, name, hp)
}

// A host port in use is refused before anything starts, naming the port.
func TestSlirpPortsInUse(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "slirpuse")
	hp := freePort(t, "tcp", 1)
	e.MustPod(t, "run", "-d", "--name", name, "--network", "slirp4netns", "-p", fmt.Sprintf("%d:80", hp), "alpine", "sleep", "300")
	r := e.Pod(t, "run", "--rm", "--network", "slirp4netns", "-p", fmt.Sprintf("%d:80", hp), "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, strconv.Itoa(hp))
}
