package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// freePort returns a host port nothing listens on now (tcp or udp), and
// n-1 free ports after it.
func freePort(t testing.TB, proto string, n int) int {
	t.Helper()
	for try := 0; try < 50; try++ {
		var port int
		if proto == "udp" {
			c, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port = c.LocalAddr().(*net.UDPAddr).Port
			c.Close()
		} else {
			l, err := net.Listen("tcp", ":0")
			if err != nil {
				t.Fatal(err)
			}
			port = l.Addr().(*net.TCPAddr).Port
			l.Close()
		}
		ok := port+n-1 <= 65535
		for p := port + 1; ok && p < port+n; p++ {
			l, err := net.Listen("tcp", ":"+strconv.Itoa(p))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return port
		}
	}
	t.Fatalf("no %d free consecutive ports", n)
	return 0
}

// dialRead connects to addr until something accepts and sends data
// (the server in the container may not listen yet) and returns what it
// sent.
func dialRead(t testing.TB, addr string) string {
	t.Helper()
	var last error
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
			buf := make([]byte, 256)
			n, rerr := c.Read(buf)
			c.Close()
			if n > 0 {
				return string(buf[:n])
			}
			err = rerr
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("nothing answered on %s: %v", addr, last)
	return ""
}

// udpAsk sends a datagram to addr until a reply comes, and returns it.
func udpAsk(t testing.TB, addr string) string {
	t.Helper()
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var last error
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := c.Write([]byte("ping\n")); err != nil {
			last = err
			time.Sleep(200 * time.Millisecond)
			continue
		}
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		buf := make([]byte, 256)
		n, err := c.Read(buf)
		if n > 0 {
			return string(buf[:n])
		}
		last = err
	}
	t.Fatalf("no udp reply from %s: %v", addr, last)
	return ""
}

// -p HOST:CTR with a real server in the container and a client on the
// host; `port`, ps's PORTS column and inspect show the mapping as podman
// does.
func TestPortsPublishTCP(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "pub")
	hp := freePort(t, "tcp", 1)
	e.MustPod(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("%d:80", hp), "alpine", "nc", "-lk", "-p", "80", "-e", "echo", "hi")
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "hi\n" {
		t.Errorf("the server in the container sent %q, want \"hi\\n\"", got)
	}
	expectStdout(t, e.MustPod(t, "port", name), fmt.Sprintf("80/tcp -> 0.0.0.0:%d\n", hp))
	expectStdout(t, e.MustPod(t, "port", name, "80"), fmt.Sprintf("0.0.0.0:%d\n", hp))
	expectStdout(t, e.MustPod(t, "ps", "--filter", "name="+name, "--format", "{{.Ports}}"), fmt.Sprintf("0.0.0.0:%d->80/tcp\n", hp))
	want := fmt.Sprintf(`{"80/tcp":[{"HostIp":"","HostPort":"%d"}]}`, hp)
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{json .NetworkSettings.Ports}}", name), want+"\n")
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{json .HostConfig.PortBindings}}", name), want+"\n")
	js := e.MustPod(t, "ps", "--filter", "name="+name, "--format", "json").Stdout
	if !strings.Contains(strings.Join(strings.Fields(js), ""), fmt.Sprintf(`"Ports":[{"host_ip":"","container_port":80,"host_port":%d,"range":1,"protocol":"tcp"}]`, hp)) {
		t.Errorf("ps --format json has not the port: %s", js)
	}
	// The mapping is kept for the next start.
	e.MustPod(t, "stop", "-t", "0", name)
	e.MustPod(t, "start", name)
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "hi\n" {
		t.Errorf("after a restart the server sent %q", got)
	}
}

// Runs of `run --rm -p` with one host port follow each other: the port of
// a container that just ended is taken again at once (the last run's
// forwarder may still be ending when its CLI returns).
func TestPortsReusedBackToBack(t *testing.T) {
	e := sharedEnv(t)
	hp := freePort(t, "tcp", 1)
	for i := 0; i < 5; i++ {
		e.MustPod(t, "run", "--rm", "-p", fmt.Sprintf("%d:80", hp), "alpine", "true")
	}
}

// Ranges map one to one; the PORTS column folds them as podman does.
func TestPortsRange(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "range")
	hp := freePort(t, "tcp", 2)
	e.MustPod(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d-%d:80-81", hp, hp+1), "alpine",
		"sh", "-c", "nc -lk -p 80 -e echo a & nc -lk -p 81 -e echo b; wait")
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "a\n" {
		t.Errorf("port %d answered %q, want a", hp, got)
	}
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp+1)); got != "b\n" {
		t.Errorf("port %d answered %q, want b", hp+1, got)
	}
	expectStdout(t, e.MustPod(t, "port", name), fmt.Sprintf("80/tcp -> 127.0.0.1:%d\n81/tcp -> 127.0.0.1:%d\n", hp, hp+1))
	expectStdout(t, e.MustPod(t, "ps", "--filter", "name="+name, "--format", "{{.Ports}}"),
		fmt.Sprintf("127.0.0.1:%d-%d->80-81/tcp\n", hp, hp+1))

	r := e.Pod(t, "create", "-p", "8000-8002:80-81", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "different lengths: 3 vs 2")
	r = e.Pod(t, "create", "-p", "70000:80", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "65535")
}

// Without a host port, and with -P for --expose'd ports, free host ports
// are chosen at create; they answer.
func TestPortsRandomAndPublishAll(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "rand")
	e.MustPod(t, "create", "--name", name, "-p", "127.0.0.1::80", "-P", "--expose", "7000", "--expose", "7001/udp", "alpine",
		"sh", "-c", "nc -lk -p 80 -e echo r & nc -lk -p 7000 -e echo x; wait")
	bindings := e.MustPod(t, "inspect", "--format", "{{json .HostConfig.PortBindings}} {{.HostConfig.PublishAllPorts}}", name).Out()
	for _, k := range []string{`"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"`, `"7000/tcp":[{"HostIp":"","HostPort":"`, `"7001/udp":[{"HostIp":"","HostPort":"`} {
		if !strings.Contains(bindings, k) {
			t.Errorf("port bindings after create lack %s: %s", k, bindings)
		}
	}
	if cfg.podman {
		if !strings.HasSuffix(bindings, " false") {
			t.Errorf("podman 4.3 shows PublishAllPorts false: %s", bindings)
		}
	} else if !strings.HasSuffix(bindings, " true") {
		t.Errorf("PublishAllPorts is not true: %s", bindings)
	}
	e.MustPod(t, "start", name)
	addr := e.MustPod(t, "port", name, "80/tcp").Out()
	if !strings.HasPrefix(addr, "127.0.0.1:") || addr == "127.0.0.1:0" {
		t.Fatalf("port 80/tcp: %q", addr)
	}
	if got := dialRead(t, addr); got != "r\n" {
		t.Errorf("random port %s answered %q", addr, got)
	}
	addr = e.MustPod(t, "port", name, "7000").Out()
	if !strings.HasPrefix(addr, "0.0.0.0:") {
		t.Fatalf("port 7000: %q", addr)
	}
	if got := dialRead(t, "127.0.0.1:"+strings.TrimPrefix(addr, "0.0.0.0:")); got != "x\n" {
		t.Errorf("-P port %s answered %q", addr, got)
	}
	if n := len(e.MustPod(t, "port", name).Lines()); n != 3 {
		t.Errorf("port lists %d ports, want 3", n)
	}
}

// UDP is forwarded (the same port on both sides here; portfwd_test.go
// translates one).
func TestPortsUDP(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "udp")
	hp := freePort(t, "udp", 1)
	e.MustPod(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:%d/udp", hp, hp), "alpine",
		"sh", "-c", fmt.Sprintf("while true; do nc -lu -p %d -e echo hi; done", hp))
	if got := udpAsk(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "hi\n" {
		t.Errorf("udp server answered %q", got)
	}
	expectStdout(t, e.MustPod(t, "port", name), fmt.Sprintf("%d/udp -> 127.0.0.1:%d\n", hp, hp))
}

// A host port another process holds: 125 naming the port, nothing left
// running, no pasta for it; a privileged port names the sysctl.
func TestPortsRefused(t *testing.T) {
	e := sharedEnv(t)
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	busy := l.Addr().(*net.TCPAddr).Port
	name := e.CtrName(t, "busy")
	r := e.Pod(t, "run", "--name", name, "-p", fmt.Sprintf("%d:80", busy), "alpine", "true")
	want := 125
	if cfg.podman {
		want = 126 // podman 4.3's rootlessport error
	}
	expectExit(t, r, want)
	expectErrorLine(t, r, strconv.Itoa(busy), "address already in use")
	if got := e.state(t, name); got != "created" {
		t.Errorf("after the refused start the container is %q, want created", got)
	}
	if pids := helperProcesses(fmt.Sprintf("%d:80", busy)); len(pids) > 0 {
		t.Errorf("a network helper for the refused port runs: %v", pids)
	}
	rmName := e.CtrName(t, "busyrm")
	r = e.Pod(t, "run", "--rm", "--name", rmName, "-p", fmt.Sprintf("%d:80", busy), "alpine", "true")
	expectExit(t, r, want)
	if e.Pod(t, "container", "exists", rmName).ExitCode == 0 {
		t.Errorf("run --rm left the container whose port was refused")
	}

	start, _ := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start")
	if n, _ := strconv.Atoi(strings.TrimSpace(string(start))); n > 80 {
		r = e.Pod(t, "run", "--rm", "-p", "80:80", "alpine", "true")
		if cfg.podman {
			expectExit(t, r, 126)
		} else {
			expectExit(t, r, 125)
		}
		expectErrorLine(t, r, "net.ipv4.ip_unprivileged_port_start")
	}
}

// processesMatching lists the processes whose argument list match
// accepts, as "/proc/PID/cmdline: ARGS".
func processesMatching(match func(args []string) bool) []string {
	var out []string
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		args := strings.Split(string(b), "\x00")
		if match(args) {
			out = append(out, d+": "+strings.Join(args, " "))
		}
	}
	return out
}

// helperProcesses lists processes of pasta, slirp4netns or pod's port
// forwarder whose command line holds s.
func helperProcesses(s string) []string {
	return processesMatching(func(args []string) bool {
		cmd := strings.Join(args, " ")
		return (strings.Contains(cmd, "pasta") || strings.Contains(cmd, "slirp4netns") || strings.Contains(cmd, "pod-portfwd")) &&
			strings.Contains(cmd, s)
	})
}

// expectOneShotRestarts connects three times to the host port hp of the
// container name, which runs a one-shot server answering "once" under
// --restart always: each connection must be answered by a restarted
// container.
func expectOneShotRestarts(t testing.TB, e *Env, name string, hp int) {
	t.Helper()
	for i := 0; i < 3; i++ {
		if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "once\n" {
			t.Fatalf("connection %d: %q", i, got)
		}
	}
	n, _ := strconv.Atoi(e.MustPod(t, "inspect", "--format", "{{.RestartCount}}", name).Out())
	if n < 2 {
		t.Errorf("RestartCount %d after three one-shot servers answered", n)
	}
}

// The monitor restarts the container (--restart always) in the namespace
// pasta still serves: the published port keeps answering.
func TestPortsKeptAcrossMonitorRestarts(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "rsport")
	hp := freePort(t, "tcp", 1)
	e.MustPod(t, "run", "-d", "--name", name, "--restart", "always", "-p", fmt.Sprintf("127.0.0.1:%d:80", hp), "alpine",
		"nc", "-l", "-p", "80", "-e", "echo", "once")
	expectOneShotRestarts(t, e, name, hp)
}
