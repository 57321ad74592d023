package monitor

import (
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// Tests with the real crun and runc. They run as root on the host (the
// rootless user namespace is set up by the CLI, not here) with a rootfs made
// of the host's /usr mounted read-only.

func realRuntimes(t *testing.T) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("real runtime tests need root")
	}
	var rts []string
	seen := map[string]bool{}
	for _, p := range []string{"/usr/bin/crun", "/usr/bin/runc", "/usr/sbin/runc"} {
		if real, err := filepath.EvalSymlinks(p); err == nil && !seen[real] {
			seen[real] = true
			rts = append(rts, p)
		}
	}
	if len(rts) == 0 {
		t.Skip("neither crun nor runc installed")
	}
	return rts
}

// realHarness prepares a bundle running args in a rootfs made of the
// host's /usr.
func realHarness(t *testing.T, rt string, args []string, terminal bool) *harness {
	t.Helper()
	h := newHarness(t, "")
	h.opts.Runtime = rt
	h.opts.ID = "pm-test-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e9, 10)
	rootfs := filepath.Join(h.bundle, "rootfs")
	for _, d := range []string{"usr", "proc", "dev", "sys", "tmp", "etc"} {
		if err := os.MkdirAll(filepath.Join(rootfs, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []string{"bin", "lib", "lib64", "sbin"} {
		os.Symlink("usr/"+l, filepath.Join(rootfs, l))
	}
	spec := exec.Command("/usr/bin/crun", "spec")
	if _, err := os.Stat("/usr/bin/crun"); err != nil {
		spec = exec.Command(rt, "spec")
	}
	spec.Dir = h.bundle
	if out, err := spec.CombinedOutput(); err != nil {
		t.Fatalf("spec: %v %s", err, out)
	}
	path := filepath.Join(h.bundle, "config.json")
	var cfg map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["ociVersion"] = "1.1.0"
	proc := cfg["process"].(map[string]any)
	proc["args"] = args
	proc["terminal"] = terminal
	proc["env"] = []string{"PATH=/usr/sbin:/usr/bin", "TERM=xterm"}
	cfg["root"] = map[string]any{"path": "rootfs", "readonly": true}
	cfg["mounts"] = append(cfg["mounts"].([]any), map[string]any{
		"destination": "/usr", "type": "bind", "source": "/usr", "options": []string{"rbind", "ro"},
	})
	data, _ = json.Marshal(cfg)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// crun refuses hybrid cgroups unless the cgroup2 mount is covered in
	// the monitor's mount namespace, as pod does.
	var st unix.Statfs_t
	if unix.Statfs("/sys/fs/cgroup/unified", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		h.wrap = []string{"unshare", "-m", "--propagation", "private", "sh", "-c",
			`mount -t tmpfs tmpfs /sys/fs/cgroup/unified && exec "$0" "$@"`}
	}
	return h
}

func TestRealExit(t *testing.T) {
	for _, rt := range realRuntimes(t) {
		t.Run(filepath.Base(rt), func(t *testing.T) {
			h := realHarness(t, rt, []string{"sh", "-c", "echo hi; echo err >&2; exit 3"}, false)
			h.start()
			if r := h.record(20 * time.Second); r.Type != protocol.RecordStarted || r.Pid <= 0 {
				t.Fatalf("record %+v", r)
			}
			h.ctlW.Close()
			if r := h.record(20 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 3 {
				t.Fatalf("record %+v", r)
			}
			if st := h.wait(20 * time.Second); st != 0 {
				t.Fatalf("monitor exit status %d", st)
			}
			recs := strings.Join(logRecords(t, h.opts.LogPath), "|")
			if recs != "stdout F hi|stderr F err" && recs != "stderr F err|stdout F hi" {
				t.Fatalf("log %q", recs)
			}
			if _, err := os.Stat(filepath.Join(h.dir, "cleanup-ran")); err != nil {
				t.Fatalf("cleanup did not run: %v", err)
			}
			if _, err := os.Stat(filepath.Join(h.opts.RuntimeRoot, h.opts.ID)); !os.IsNotExist(err) {
				t.Fatalf("runtime state not deleted: %v", err)
			}
		})
	}
}

func TestRealStartErrors(t *testing.T) {
	for _, rt := range realRuntimes(t) {
		for _, tc := range []struct {
			arg  string
			code int
		}{{"nosuchcmd", 127}, {"/usr/lib/os-release", 126}} {
			t.Run(filepath.Base(rt)+"-"+strconv.Itoa(tc.code), func(t *testing.T) {
				h := realHarness(t, rt, []string{tc.arg}, false)
				h.start()
				r := h.record(20 * time.Second)
				if r.Type != protocol.RecordError || r.ExitCode != tc.code || !strings.HasPrefix(r.Message, filepath.Base(rt)+": ") ||
					strings.ContainsAny(r.Message, "\n") {
					t.Fatalf("record %+v", r)
				}
				t.Logf("message: %s", r.Message)
				if st := h.wait(20 * time.Second); st != 1 {
					t.Fatalf("monitor exit status %d", st)
				}
			})
		}
	}
}

func TestRealTerminal(t *testing.T) {
	for _, rt := range realRuntimes(t) {
		t.Run(filepath.Base(rt), func(t *testing.T) {
			h := realHarness(t, rt, []string{"sh", "-c", "stty size; read line; echo got $line; exit 5"}, true)
			h.opts.TTY, h.opts.Stdin = true, true
			inR, inW, _ := os.Pipe()
			outR, outW, _ := os.Pipe()
			h.files = []*os.File{inR, outW}
			h.opts.AttachIn, h.opts.AttachOut = 5, 6
			h.start()
			inR.Close()
			outW.Close()
			h.sendCtl(protocol.CtlRecord{Type: protocol.RecordResize, Rows: 30, Cols: 100})
			if r := h.record(20 * time.Second); r.Type != protocol.RecordStarted {
				t.Fatalf("record %+v", r)
			}
			inW.Write([]byte("abc\n"))
			outc := make(chan string)
			go func() { b, _ := io.ReadAll(outR); outc <- string(b) }()
			if r := h.record(20 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 5 {
				t.Fatalf("record %+v", r)
			}
			h.ctlW.Close()
			h.wait(20 * time.Second)
			inW.Close()
			out := <-outc
			if !strings.Contains(out, "30 100\r\n") || !strings.Contains(out, "got abc\r\n") {
				t.Fatalf("terminal output %q", out)
			}
			recs := strings.Join(logLines(t, h.opts.LogPath), "|")
			if !strings.Contains(recs, "stdout F 30 100\r") || !strings.Contains(recs, "stdout F got abc\r") || strings.Contains(recs, "stderr") {
				t.Fatalf("log %q", recs)
			}
		})
	}
}

func TestRealNetwork(t *testing.T) {
	rts := realRuntimes(t)
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skip("no /dev/net/tun")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("hello-from-host\n"))
			c.Close()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	probe := `import socket,sys
s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=5)
print("got", s.recv(100).decode().strip())`
	for _, mode := range []string{string(protocol.NetworkPasta), string(protocol.NetworkSlirp4netns), string(protocol.NetworkPasta) + "-netns-path"} {
		name, withPath := strings.CutSuffix(mode, "-netns-path")
		helper := protocol.NetworkMode(name)
		if _, err := exec.LookPath(name); err != nil {
			t.Logf("%s not installed", helper)
			continue
		}
		t.Run(mode, func(t *testing.T) {
			host := "10.0.2.2"
			script := `ip -4 -o addr show | grep -v ' lo ' | wc -l; python3 -c "$0" "$1" "$2"`
			if helper == protocol.NetworkPasta {
				script = `ip -4 -o addr show | grep -v ' lo ' | wc -l; python3 -c "$0" "$(ip route show default | cut -d' ' -f3)" "$2"`
			}
			h := realHarness(t, rts[0], []string{"sh", "-c", script, probe, host, port}, false)
			h.opts.Network = helper
			if withPath {
				// The monitor makes the namespace the spec names.
				h.opts.NetnsPath = filepath.Join(h.bundle, "netns")
				setNetnsPath(t, h.bundle, h.opts.NetnsPath)
			}
			h.start()
			if r := h.record(30 * time.Second); r.Type != protocol.RecordStarted {
				t.Fatalf("record %+v", r)
			}
			if r := h.record(30 * time.Second); r.Type != protocol.RecordExit || r.ExitCode != 0 {
				data, _ := os.ReadFile(h.opts.LogPath)
				t.Fatalf("record %+v, log:\n%s", r, data)
			}
			h.ctlW.Close()
			h.wait(20 * time.Second)
			recs := strings.Join(logRecords(t, h.opts.LogPath), "|")
			if recs != "stdout F 1|stdout F got hello-from-host" {
				t.Fatalf("log %q", recs)
			}
			if withPath {
				if _, err := os.Stat(h.opts.NetnsPath); !os.IsNotExist(err) {
					t.Fatalf("namespace file left behind: %v", err)
				}
			}
			if dbg := h.readFile(h.opts.DebugLog); !strings.Contains(dbg, "network: "+name+" stopped") {
				t.Fatalf("helper not stopped:\n%s", dbg)
			}
		})
	}
}

// setNetnsPath makes the bundle's spec join the network namespace at path.
func setNetnsPath(t *testing.T, bundle, path string) {
	t.Helper()
	cfgPath := filepath.Join(bundle, "config.json")
	var cfg map[string]any
	data, _ := os.ReadFile(cfgPath)
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	linux := cfg["linux"].(map[string]any)
	for _, ns := range linux["namespaces"].([]any) {
		if n := ns.(map[string]any); n["type"] == "network" {
			n["path"] = path
		}
	}
	data, _ = json.Marshal(cfg)
	if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
