package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/netns"
)

// netReadyTimeout bounds the network helper's setup.
const netReadyTimeout = 30 * time.Second

// netHelper is a running pasta or slirp4netns process that the monitor
// stops when the container exits.
type netHelper struct {
	name   string
	pid    int      // helper pid, 0 when unknown
	exitW  *os.File // slirp4netns --exit-fd write end: closing it stops the helper
	reaped bool
}

// tunError explains an unusable /dev/net/tun, or returns nil.
func tunError(hostUser string) error {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err == nil {
		unix.Close(fd)
		return nil
	}
	if errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) {
		if hostUser == "" {
			hostUser = "$USER"
		}
		return fmt.Errorf("cannot open /dev/net/tun: ask root to run `setfacl -m u:%s:rw /dev/net/tun`", hostUser)
	}
	if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENODEV) || errors.Is(err, unix.ENXIO) {
		return fmt.Errorf("cannot open /dev/net/tun: %w (ask root to load the tun module: modprobe tun)", err)
	}
	return fmt.Errorf("cannot open /dev/net/tun: %w", err)
}

// helperPath returns the helper binary: cmdPath, else name looked up in
// $PATH and the usual directories.
func helperPath(name, cmdPath string) (string, error) {
	if cmdPath != "" {
		return cmdPath, nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range [...]string{"/usr/bin", "/usr/local/bin", "/usr/sbin", "/usr/libexec/podman"} {
		p := d + "/" + name
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	pkg := name
	if name == "pasta" {
		pkg = "passt"
	}
	return "", fmt.Errorf("%s not found: install it (apt-get install %s) or choose another network mode", name, pkg)
}

// scratchFile returns an unlinked temporary file to catch a helper's
// output without a pipe that could fill up.
func scratchFile(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, ".pod-net-*")
	if err != nil {
		return nil, fmt.Errorf("create helper output file: %w", err)
	}
	os.Remove(f.Name())
	return f, nil
}

// helperOutput returns the helper's output as one line without logging
// noise.
func helperOutput(f *os.File) string {
	data, _ := io.ReadAll(io.NewSectionReader(f, 0, 64<<10))
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, "to syslog") {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	return strings.Join(lines, "; ")
}

// hasAny reports whether opts holds one of the given options, alone or as
// --opt=value.
func hasAny(opts []string, names ...string) bool {
	for _, o := range opts {
		for _, n := range names {
			if o == n || strings.HasPrefix(o, n+"=") {
				return true
			}
		}
	}
	return false
}

// startPasta connects the container's network namespace with pasta. pasta
// opens the namespace as /proc/self/fd/3, a descriptor the monitor opened:
// pasta drops its capabilities first and may no longer open
// /proc/PID/ns/net itself. It configures the interface (--config-net),
// maps the gateway address to the host's loopback (its default), forwards
// no ports unless opts say so, and daemonizes once ready; the daemon is
// re-parented to the monitor (a subreaper), which stops it later.
func startPasta(cmdPath string, pid int, opts []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	return startPastaNS(cmdPath, "/proc/"+strconv.Itoa(pid)+"/ns/net", opts, tmpDir, dbg)
}

// startPastaNS is startPasta for the network namespace at nsPath.
func startPastaNS(cmdPath, nsPath string, opts []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	path, err := helperPath("pasta", cmdPath)
	if err != nil {
		return nil, err
	}
	ns, err := os.Open(nsPath)
	if err != nil {
		return nil, fmt.Errorf("pasta: open network namespace of the container: %w", err)
	}
	defer ns.Close()
	out, err := scratchFile(tmpDir)
	if err != nil {
		return nil, fmt.Errorf("pasta: %w", err)
	}
	defer out.Close()
	pidFile := tmpDir + "/pasta.pid"
	args := []string{"--config-net", "--quiet"}
	for _, p := range [...][3]string{{"-t", "--tcp-ports", "none"}, {"-u", "--udp-ports", "none"}, {"-T", "--tcp-ns", "none"}, {"-U", "--udp-ns", "none"}} {
		if !hasAny(opts, p[0], p[1]) {
			args = append(args, p[0], p[2])
		}
	}
	if initialRoot() && !hasAny(opts, "--runas") {
		// As real root pasta would switch to nobody, which may not
		// enter the namespace.
		args = append(args, "--runas", "0:0")
	}
	args = append(args, opts...)
	args = append(args, "--pid", pidFile, "--netns", "/proc/self/fd/3")

	ctx, cancel := context.WithTimeout(context.Background(), netReadyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.ExtraFiles = []*os.File{ns}
	cmd.WaitDelay = time.Second
	dbg.printf("network: %s %s", path, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		if msg := helperOutput(out); msg != "" {
			return nil, fmt.Errorf("pasta failed: %s", msg)
		}
		return nil, fmt.Errorf("pasta failed: %w", err)
	}
	h := &netHelper{name: "pasta"}
	if data, err := os.ReadFile(pidFile); err == nil {
		h.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	}
	os.Remove(pidFile)
	dbg.printf("network: pasta running as pid %d", h.pid)
	return h, nil
}

// startSlirp4netns connects the container's network namespace with
// slirp4netns (10.0.2.100/24, gateway and host 10.0.2.2, DNS 10.0.2.3,
// host loopback reachable), waits until it reports readiness on --ready-fd
// and returns it running. Closing --exit-fd (or the monitor dying) stops it.
func startSlirp4netns(cmdPath string, pid int, opts []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	return slirp4netns(cmdPath, []string{strconv.Itoa(pid)}, opts, tmpDir, dbg)
}

// startSlirp4netnsNS is startSlirp4netns for the network namespace bound
// at nsPath, which outlives the container's restarts.
func startSlirp4netnsNS(cmdPath, nsPath string, opts []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	return slirp4netns(cmdPath, []string{"--netns-type=path", nsPath}, opts, tmpDir, dbg)
}

func slirp4netns(cmdPath string, target, opts []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	path, err := helperPath("slirp4netns", cmdPath)
	if err != nil {
		return nil, err
	}
	args := protocol.Slirp4netnsArgs(append([]string{"--exit-fd=4"}, opts...), target)
	return startReady("slirp4netns", path, args, tmpDir, dbg)
}

// startForwarder runs the port forwarder's command line argv (see
// protocol.Options.Forwarder) and returns it once its ports are bound.
func startForwarder(argv []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	return startReady("port forwarder", argv[0], argv[1:], tmpDir, dbg)
}

// startReady starts a helper that reports readiness with one byte on fd 3
// and ends when fd 4 reaches EOF, and returns it once ready.
func startReady(name, path string, args []string, tmpDir string, dbg *debugLog) (*netHelper, error) {
	out, err := scratchFile(tmpDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer out.Close()
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer readyR.Close()
	exitR, exitW, err := os.Pipe()
	if err != nil {
		readyW.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.ExtraFiles = []*os.File{readyW, exitR}
	dbg.printf("network: %s %s", path, strings.Join(args, " "))
	err = cmd.Start()
	readyW.Close()
	exitR.Close()
	if err != nil {
		exitW.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	h := &netHelper{name: name, pid: cmd.Process.Pid, exitW: exitW}
	_ = readyR.SetReadDeadline(time.Now().Add(netReadyTimeout))
	var b [1]byte
	n, rerr := readyR.Read(b[:])
	if n == 1 {
		dbg.printf("network: %s ready, pid %d", name, h.pid)
		return h, nil
	}
	h.stop(dbg)
	if msg := helperOutput(out); msg != "" {
		return nil, fmt.Errorf("%s failed: %s", name, msg)
	}
	if errors.Is(rerr, os.ErrDeadlineExceeded) {
		return nil, fmt.Errorf("%s failed: not ready after %v", name, netReadyTimeout)
	}
	return nil, fmt.Errorf("%s failed: exited before the network was ready", name)
}

// kill ends the helper without waiting for it: its exit (tearing down a
// large address space) is reaped later by stop, off the critical path.
func (h *netHelper) kill() {
	if h != nil && h.pid > 0 && !h.reaped {
		_ = unix.Kill(h.pid, unix.SIGKILL)
	}
}

// stop terminates the helper and reaps it. The container is gone, so the
// helper has nothing left to flush: SIGKILL, which ends it at once (a
// SIGTERM'd pasta takes tens of milliseconds to exit).
func (h *netHelper) stop(dbg *debugLog) {
	if h == nil {
		return
	}
	if h.exitW != nil {
		h.exitW.Close()
		h.exitW = nil
	}
	if h.pid <= 0 || h.reaped {
		return
	}
	_ = unix.Kill(h.pid, unix.SIGKILL)
	for {
		var ws unix.WaitStatus
		_, err := unix.Wait4(h.pid, &ws, 0, nil)
		if err != unix.EINTR {
			// Reaped, or ECHILD: not our child (or already reaped).
			break
		}
	}
	h.reaped = true
	dbg.printf("network: %s stopped", h.name)
}

// initialRoot reports whether the monitor runs as root in the initial user
// namespace (not as the mapped root of a rootless user namespace).
func initialRoot() bool {
	if os.Geteuid() != 0 {
		return false
	}
	data, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	return strings.Join(strings.Fields(string(data)), " ") == "0 0 4294967295"
}

// createNetns makes a new network namespace and bind-mounts it at path, so
// that the runtime can join it (the spec names the path) while pasta is
// attached to it at the same time.
func createNetns(path string) error { return netns.Create(path, false) }

// removeNetns unmounts and removes a namespace file made by createNetns.
func removeNetns(path string) { netns.Remove(path) }
