package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sendAndHash connects to addr (until the server in the container
// listens), sends data, shuts its write side and returns everything the
// server sent back after that.
func sendAndHash(t testing.TB, addr string, data []byte) string {
	t.Helper()
	var last error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			last = err
			continue
		}
		_ = c.SetDeadline(time.Now().Add(60 * time.Second))
		if _, err := c.Write(data); err != nil {
			c.Close()
			last = err
			continue
		}
		if err := c.(*net.TCPConn).CloseWrite(); err != nil {
			c.Close()
			last = err
			continue
		}
		reply, err := io.ReadAll(c)
		c.Close()
		if err == nil && len(reply) > 0 {
			return string(reply)
		}
		last = fmt.Errorf("reply %q: %v", reply, err)
	}
	t.Fatalf("no reply from %s: %v", addr, last)
	return ""
}

// randomBytes returns n random bytes.
func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// sha256Line is sha256sum's line for data read from stdin.
func sha256Line(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) + "  -\n"
}

// 24 MiB through a published port arrive whole and in order, the client's
// half-close reaches the server (sha256sum ends on it) and the server's
// answer comes back after it; over IPv6's loopback too when the host
// address is left out.
func TestPortsForwardBulkAndHalfClose(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "bulk")
	hp := freePort(t, "tcp", 1)
	id := e.MustPod(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("%d:80", hp), "alpine", "nc", "-lk", "-p", "80", "-e", "sha256sum").Out()
	if !cfg.podman {
		if fw := forwarderProcesses(id); len(fw) != 1 {
			t.Errorf("want one port forwarder for %s, got %v", id, fw)
		}
	}
	data := randomBytes(t, 24<<20)
	if got, want := sendAndHash(t, fmt.Sprintf("127.0.0.1:%d", hp), data), sha256Line(data); got != want {
		t.Errorf("sha256sum in the container answered %q, want %q", got, want)
	}
	small := []byte("a few bytes\n")
	if got, want := sendAndHash(t, fmt.Sprintf("[::1]:%d", hp), small), sha256Line(small); got != want {
		t.Errorf("over ::1 the container answered %q, want %q", got, want)
	}
	e.MustPod(t, "rm", "-f", "-t", "0", name)
	if !waitFor(5*time.Second, func() bool { return len(forwarderProcesses(id)) == 0 }) {
		t.Errorf("a port forwarder outlived its container: %v", forwarderProcesses(id))
	}
}

// Ports published on a host address of either family answer there (the
// container's port is dialed at the namespace's loopback of that family).
func TestPortsHostAddressFamilies(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "fam")
	hp := freePort(t, "tcp", 2)
	e.MustPod(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("[::1]:%d:80", hp), "-p", fmt.Sprintf("127.0.0.1:%d:80", hp+1),
		"alpine", "nc", "-lk", "-p", "80", "-e", "echo", "fam")
	if got := dialRead(t, fmt.Sprintf("[::1]:%d", hp)); got != "fam\n" {
		t.Errorf("[::1]:%d answered %q", hp, got)
	}
	if got := dialRead(t, fmt.Sprintf("127.0.0.1:%d", hp+1)); got != "fam\n" {
		t.Errorf("127.0.0.1:%d answered %q", hp+1, got)
	}
}

// A UDP port published under another host port is translated.
func TestPortsUDPTranslated(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "udpx")
	hp := freePort(t, "udp", 1)
	e.MustPod(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:53/udp", hp), "alpine",
		"sh", "-c", "while true; do nc -lu -p 53 -e echo fifty-three; done")
	if got := udpAsk(t, fmt.Sprintf("127.0.0.1:%d", hp)); got != "fifty-three\n" {
		t.Errorf("udp server answered %q", got)
	}
}

// pod.conf's port_forwarder = "pasta" hands a pasta container's ports to
// pasta's own -t/-u (no forwarder process); a value pod does not know is
// refused naming the key.
func TestPortsForwarderPasta(t *testing.T) {
	skipUnderPodman(t, "pod.conf's port_forwarder")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.WriteFile(t, ".config/pod/pod.conf", "port_forwarder = \"pasta\"\n")
	hp := freePort(t, "tcp", 1)
	id := e.MustPod(t, "run", "-d", "--name", "pp", "-p", fmt.Sprintf("%d:80", hp), "alpine", "nc", "-lk", "-p", "80", "-e", "sha256sum").Out()
	pasta := processesMatching(func(args []string) bool {
		return strings.HasPrefix(filepath.Base(args[0]), "pasta") && strings.Contains(strings.Join(args, " "), fmt.Sprintf("-t %d:80", hp))
	})
	if len(pasta) != 1 {
		t.Errorf("want pasta forwarding %d:80 itself, got %v", hp, pasta)
	}
	if fw := forwarderProcesses(id); len(fw) != 0 {
		t.Errorf("a port forwarder runs beside pasta's own forwarding: %v", fw)
	}
	data := randomBytes(t, 4<<20)
	if got, want := sendAndHash(t, fmt.Sprintf("127.0.0.1:%d", hp), data), sha256Line(data); got != want {
		t.Errorf("through pasta the container answered %q, want %q", got, want)
	}
	e.MustPod(t, "rm", "-f", "-t", "0", "pp")

	e.WriteFile(t, ".config/pod/pod.conf", "port_forwarder = \"rootlessport\"\n")
	r := e.Pod(t, "run", "--rm", "-p", fmt.Sprintf("%d:80", hp), "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "port_forwarder", "rootlessport", "pod.conf")
	if !strings.Contains(r.Stderr, `"pod" or "pasta"`) {
		t.Errorf("the error does not name the values: %s", r.Stderr)
	}
	e.WriteFile(t, ".config/pod/pod.conf", "") // the environment's teardown reads it
}
