package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// server answers every connection on port 80 with word.
func server(word string) []string {
	return []string{"sh", "-c", "while :; do echo " + word + " | nc -l -p 80; done"}
}

// dialIn returns what a container on network net reads from HOST:80
// (retried: the server restarts nc between connections).
func dialIn(t *testing.T, e *Env, net, host string) string {
	t.Helper()
	return e.MustPod(t, "run", "--rm", "--network", net, "alpine", "sh", "-c",
		"for i in $(seq 50); do nc -w 2 "+host+" 80 </dev/null && exit 0; sleep 0.2; done; exit 1").Out()
}

// expectNoUserNet checks that nothing of the user networks is left: no
// process in the environment's namespaces but the pause process, no
// rootless namespace file.
func expectNoUserNet(t *testing.T, e *Env, when string) {
	t.Helper()
	var left []int
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if left = e.nsProcesses(); len(left) == 0 {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("%s: processes left: %s", when, describeProcs(left))
	}
	if _, err := os.Lstat(filepath.Join(e.RunDir, "pod", "rootless-netns")); err == nil {
		t.Errorf("%s: the rootless network namespace file is left", when)
	}
}

// Containers on a user network reach each other by name and alias through
// aardvark-dns, with a fixed address; the network in use cannot be removed;
// connect and disconnect change a running container's interfaces; -p
// forwards into the network; nothing is left once the containers stop.
func TestUserNetworkContainers(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.MustPod(t, "network", "create", "--subnet", "10.131.5.0/24", "un1")
	e.MustPod(t, "network", "create", "un2")

	e.MustPod(t, append([]string{"run", "-d", "--name", "srv", "--network", "un1", "--network-alias", "web", "--ip", "10.131.5.7", "alpine"}, server("hello")...)...)
	if got := e.MustPod(t, "inspect", "--format", "{{.HostConfig.NetworkMode}} {{.NetworkSettings.Networks.un1.IPAddress}} {{.NetworkSettings.Networks.un1.Gateway}} {{.NetworkSettings.Networks.un1.IPPrefixLen}} {{index .NetworkSettings.Networks.un1.Aliases 0}}", "srv").Out(); got != "bridge 10.131.5.7 10.131.5.1 24 web" {
		t.Errorf("inspect: %q", got)
	}
	for _, host := range []string{"srv", "web", "10.131.5.7"} {
		if got := dialIn(t, e, "un1", host); got != "hello" {
			t.Errorf("nc %s 80 from un1: %q", host, got)
		}
	}
	if got := e.MustPod(t, "run", "--rm", "--network", "un1", "alpine", "grep", "^nameserver", "/etc/resolv.conf").Out(); !strings.HasPrefix(got, "nameserver 10.131.5.1") {
		t.Errorf("resolv.conf: %q", got)
	}

	r := e.Pod(t, "run", "--rm", "--network", "un1", "--ip", "10.131.5.7", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "requested ip address 10.131.5.7 is already allocated")
	r = e.Pod(t, "run", "--rm", "--network", "nosuch", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "unable to find network with name or ID nosuch")
	r = e.Pod(t, "run", "--rm", "--ip", "10.131.5.9", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "Bridge mode networking")

	r = e.Pod(t, "network", "rm", "un1")
	expectExit(t, r, 2)
	expectErrorLine(t, r, `"un1" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used`)
	expectExit(t, e.Pod(t, "network", "exists", "un1"), 0)

	// connect and disconnect a running container.
	e.MustPod(t, "network", "connect", "--alias", "second", "un2", "srv")
	if got := dialIn(t, e, "un2", "second"); got != "hello" {
		t.Errorf("nc second 80 from un2: %q", got)
	}
	if got := e.MustPod(t, "exec", "srv", "ip", "-o", "-4", "addr").Out(); !strings.Contains(got, "eth1") {
		t.Errorf("after connect, no eth1: %s", got)
	}
	e.MustPod(t, "network", "disconnect", "un2", "srv")
	if got := e.MustPod(t, "exec", "srv", "ip", "-o", "-4", "addr").Out(); strings.Contains(got, "eth1") || !strings.Contains(got, "10.131.5.7") {
		t.Errorf("after disconnect: %s", got)
	}
	r = e.Pod(t, "network", "disconnect", "un2", "srv")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "container srv is not connected to network un2")

	// reload keeps the address and the names.
	if got := e.MustPod(t, "network", "reload", "srv").Out(); len(got) != 64 {
		t.Errorf("reload printed %q", got)
	}
	if got := dialIn(t, e, "un1", "srv"); got != "hello" {
		t.Errorf("after reload: %q", got)
	}

	// A published port reaches a container on a user network.
	port := freePort(t, "tcp", 1)
	e.MustPod(t, append([]string{"run", "-d", "--name", "pub", "--network", "un1", "-p", strconv.Itoa(port) + ":80", "alpine"}, server("pub")...)...)
	if got := strings.TrimSpace(dialRead(t, "127.0.0.1:"+strconv.Itoa(port))); got != "pub" {
		t.Errorf("published port: %q", got)
	}

	e.MustPod(t, "stop", "-t", "0", "srv", "pub")
	expectNoUserNet(t, e, "after the last container stopped")

	// A start after stop sets the network up again; rm -a -f leaves nothing.
	e.MustPod(t, "start", "srv")
	if got := dialIn(t, e, "un1", "web"); got != "hello" {
		t.Errorf("after restart: %q", got)
	}
	e.MustPod(t, "rm", "-a", "-f", "-t", "0")
	expectNoUserNet(t, e, "after rm -a -f")

	// rm -f of a network removes its containers.
	e.MustPod(t, "create", "--name", "c1", "--network", "un2", "alpine", "true")
	expectStdout(t, e.MustPod(t, "network", "rm", "-f", "un2"), "un2\n")
	expectExit(t, e.Pod(t, "container", "exists", "c1"), 1)
}
