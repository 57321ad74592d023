package monitor

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

func TestTunErrorMessage(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a check as another user")
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skip("no /dev/net/tun")
	}
	// Copy the test binary where nobody can run it.
	dir, err := os.MkdirTemp("", "pmtun")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "monitor.test")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(dst, src)
	src.Close()
	dst.Close()

	for user, want := range map[string]string{
		"alice": "cannot open /dev/net/tun: ask root to run `setfacl -m u:alice:rw /dev/net/tun`",
		"":      "cannot open /dev/net/tun: ask root to run `setfacl -m u:$USER:rw /dev/net/tun`",
	} {
		cmd := exec.Command(bin)
		cmd.Env = []string{envTestMain + "=tun", protocol.EnvHostUser + "=" + user}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if len(out) == 0 {
			t.Skip("/dev/net/tun is usable by nobody")
		}
		if string(out) != want {
			t.Fatalf("got %q, want %q", out, want)
		}
	}
}

func TestHasAny(t *testing.T) {
	opts := []string{"-t", "8080:80", "--udp-ports=53"}
	if !hasAny(opts, "-t", "--tcp-ports") || !hasAny(opts, "-u", "--udp-ports") || hasAny(opts, "-T", "--tcp-ns") {
		t.Fatal("hasAny")
	}
}
