package libpod

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/spec"
)

// AttachStreams are the CLI's own stdio handed to the monitor for a
// foreground container. A nil *AttachStreams starts the container detached.
type AttachStreams struct {
	Stdin, Stdout, Stderr *os.File
	// Rows and Cols are the terminal size to give a -t container before
	// its process starts (0 = unknown).
	Rows, Cols uint16
}

const startTimeout = 2 * time.Minute

// Start starts a created or exited container through a new pod-monitor.
// With attach, the returned Session delivers the exit code; without, the
// session is already detached.
func (c *Container) Start(ctx context.Context, attach *AttachStreams) (_ *Session, retErr error) {
	unlock, err := c.lockAndSync()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if c.State.Status.IsActive() {
		if attach == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("container %s is already running: %w", c.Name(), define.ErrCtrStateInvalid)
	}
	store, err := c.r.Store()
	if err != nil {
		return nil, err
	}
	oci, err := c.r.OCIRuntime()
	if err != nil {
		return nil, err
	}
	rundir := c.RunDir()
	c.removeNetns()
	os.RemoveAll(rundir)
	if err := os.MkdirAll(filepath.Join(rundir, "bundle"), 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", rundir, err)
	}
	c.deleteRuntimeState(ctx)
	logrus.Debugf("mounting %s", c.ID())
	mountpoint, err := store.Mount(c.ID(), "")
	if err != nil {
		return nil, fmt.Errorf("mount container %s: %w", c.Name(), err)
	}
	c.State.Mountpoint = mountpoint
	defer func() {
		if retErr != nil {
			_, _ = store.Unmount(c.ID(), true)
			c.State.Mountpoint = ""
			c.State.Error = retErr.Error()
			_ = c.saveState()
		}
	}()
	s, err := c.generateSpec(mountpoint)
	if err != nil {
		return nil, err
	}
	if err := fsutil.WriteJSONAtomic(filepath.Join(rundir, "bundle", "config.json"), s, 0o600); err != nil {
		return nil, err
	}
	logrus.Debugf("starting pod-monitor")
	sess, err := c.spawnMonitor(attach)
	if err != nil {
		return nil, err
	}
	if attach != nil && c.Config.Terminal && attach.Rows > 0 {
		sess.Resize(attach.Rows, attach.Cols)
	}
	rec, err := sess.read(startTimeout)
	if err != nil {
		sess.cmd.Process.Kill()
		sess.cmd.Wait()
		_ = oci.Delete(ctx, c.ID(), true)
		return nil, err
	}
	if rec.Type != "started" {
		sess.ctl.Close()
		sess.cmd.Wait()
		return nil, startError(c, rec)
	}
	logrus.Debugf("container started")
	c.State.Status = define.StatusRunning
	c.State.Pid = rec.Pid
	c.State.MonitorPid = sess.cmd.Process.Pid
	c.State.MonitorStart = processStart(sess.cmd.Process.Pid)
	c.State.StartedAt = time.Now()
	c.State.FinishedAt = time.Time{}
	c.State.ExitCode = 0
	c.State.Error = ""
	c.State.OOMKilled = false
	if err := c.saveState(); err != nil {
		return nil, err
	}
	if attach == nil {
		sess.Detach()
	}
	return sess, nil
}

func startError(c *Container, rec *syncRecord) error {
	msg := rec.Message
	if msg == "" {
		msg = "the OCI runtime failed"
	}
	switch rec.ExitCode {
	case define.ExecErrorCodeNotFound:
		return fmt.Errorf("%s: %w", msg, define.ErrCmdNotFound)
	case define.ExecErrorCodeCannotInvoke:
		return fmt.Errorf("%s: %w", msg, define.ErrCmdPermission)
	}
	return fmt.Errorf("start container %s: %s: %w", c.Name(), msg, define.ErrRuntime)
}

// networkBackend resolves the container's network mode into the spec's mode
// and the monitor's helper program.
func (c *Container) networkBackend() (specMode, monitorMode, tool string, err error) {
	switch c.Config.NetworkMode {
	case "none":
		return "none", "none", "", nil
	case "host":
		return "host", "host", "", nil
	}
	mode := c.Config.NetworkMode
	if mode == "" || mode == "default" {
		mode = c.r.defaultNetwork()
	}
	p, lerr := exec.LookPath(mode)
	if lerr != nil {
		return "", "", "", fmt.Errorf("network %s: %s not found: install it (sudo apt-get install %s) or use --network none: %w",
			mode, mode, map[string]string{"pasta": "passt", "slirp4netns": "slirp4netns"}[mode], define.ErrMissingTool)
	}
	return "private", mode, p, nil
}

func (r *Runtime) defaultNetwork() string {
	if r.cfg.Network != "" {
		return r.cfg.Network
	}
	if _, err := exec.LookPath("pasta"); err == nil {
		return "pasta"
	}
	return "slirp4netns"
}

// hostGateway is the address at which a container reaches the host's
// loopback for the given network helper.
func hostGateway(mode string) string {
	switch mode {
	case "slirp4netns":
		return "10.0.2.2"
	case "pasta":
		return defaultGatewayIPv4()
	}
	return ""
}

func defaultGatewayIPv4() string {
	data, err := os.ReadFile("/proc/net/route")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 2 && f[1] == "00000000" {
			v, err := strconv.ParseUint(f[2], 16, 32)
			if err == nil && v != 0 {
				return net.IPv4(byte(v), byte(v>>8), byte(v>>16), byte(v>>24)).String()
			}
		}
	}
	return ""
}

func (c *Container) generateSpec(rootfs string) (interface{}, error) {
	cfg := c.Config
	specMode, monMode, _, err := c.networkBackend()
	if err != nil {
		return nil, err
	}
	userSpec := cfg.User
	if userSpec == "" {
		userSpec = cfg.ImageConfig.User
	}
	u, err := spec.ResolveUser(rootfs, userSpec)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	hostname := cfg.Hostname
	if hostname == "" {
		if specMode == "host" {
			hostname, _ = os.Hostname()
		} else {
			hostname = cfg.ID[:12]
		}
	}
	rundir := c.RunDir()
	files := map[string][]byte{
		"hostname": []byte(hostname + "\n"),
		"hosts":    spec.HostsFile(hostname, cfg.Name, spec.HostsParams{HostGatewayIP: hostGateway(monMode)}),
	}
	hostResolv, _ := os.ReadFile("/etc/resolv.conf")
	dns := ""
	if monMode == "slirp4netns" {
		dns = "10.0.2.3"
	}
	files["resolv.conf"] = spec.ResolvConf(hostResolv, specMode, dns)
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(rundir, name), data, 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
	}
	var rl unix.Rlimit
	_ = unix.Getrlimit(unix.RLIMIT_NOFILE, &rl)
	o := &spec.Options{
		ID:             cfg.ID,
		Name:           cfg.Name,
		Rootfs:         rootfs,
		Image:          cfg.ImageConfig,
		Command:        cfg.Command,
		Entrypoint:     cfg.Entrypoint,
		Env:            cfg.Env,
		WorkDir:        cfg.WorkDir,
		User:           u,
		Terminal:       cfg.Terminal,
		Stdin:          cfg.Stdin,
		Hostname:       hostname,
		NetworkMode:    specMode,
		HostsPath:      filepath.Join(rundir, "hosts"),
		ResolvConfPath: filepath.Join(rundir, "resolv.conf"),
		HostnamePath:   filepath.Join(rundir, "hostname"),
		RlimitNofile:   spec.Rlimit{Soft: rl.Cur, Hard: rl.Max},
		CapLastCap:     capLastCap(),
	}
	s, err := spec.Generate(o)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	if monMode == "pasta" {
		// The monitor creates this namespace and attaches pasta to it
		// while the runtime creates the container.
		for i := range s.Linux.Namespaces {
			if s.Linux.Namespaces[i].Type == specs.NetworkNamespace {
				s.Linux.Namespaces[i].Path = c.netnsPath()
			}
		}
	}
	return s, nil
}

// spawnMonitor starts pod-monitor for the container, detached in its own
// session, with the sync and control pipes and the attach fds.
func (c *Container) spawnMonitor(attach *AttachStreams) (*Session, error) {
	_, monMode, tool, err := c.networkBackend()
	if err != nil {
		return nil, err
	}
	oci, err := c.r.OCIRuntime()
	if err != nil {
		return nil, err
	}
	if c.r.MonitorPath == "" {
		return nil, fmt.Errorf("pod-monitor path not set: %w", define.ErrMissingTool)
	}
	syncR, syncW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	ctlR, ctlW, err := os.Pipe()
	if err != nil {
		syncR.Close()
		syncW.Close()
		return nil, err
	}
	rundir := c.RunDir()
	args := []string{
		"--id", c.ID(),
		"--runtime", oci.Path,
		"--runtime-root", oci.Root,
		"--bundle", filepath.Join(rundir, "bundle"),
		"--pid-file", filepath.Join(rundir, "pidfile"),
		"--exit-file", c.exitFile(),
		"--log-path", c.LogPath(),
		"--socket-dir", rundir,
		"--network", monMode,
	}
	if tool != "" {
		args = append(args, "--network-cmd", tool)
	}
	if monMode == "pasta" {
		args = append(args, "--netns-path", c.netnsPath())
	}
	if logrus.IsLevelEnabled(logrus.DebugLevel) {
		args = append(args, "--debug-log", filepath.Join(rundir, "monitor.log"))
	}
	if c.Config.Terminal {
		args = append(args, "--tty")
	}
	if c.Config.Stdin {
		args = append(args, "--stdin")
	}
	args = append(args, "--", c.r.PodPath, "container", "cleanup", c.ID())
	cmd := exec.Command(c.r.MonitorPath, args...)
	cmd.Dir = "/"
	cmd.ExtraFiles = []*os.File{syncW, ctlR}
	env := append(os.Environ(), "GOMAXPROCS=1", "POD_MONITOR_SYNC_FD=3", "POD_MONITOR_CTL_FD=4", "POD_HOST_USER="+hostUser())
	if attach != nil {
		fds := make([]string, 3)
		for i, f := range []*os.File{attach.Stdin, attach.Stdout, attach.Stderr} {
			if f == nil || (i == 0 && !c.Config.Stdin) {
				fds[i] = "-"
				continue
			}
			cmd.ExtraFiles = append(cmd.ExtraFiles, f)
			fds[i] = strconv.Itoa(2 + len(cmd.ExtraFiles))
		}
		env = append(env, "POD_MONITOR_ATTACH_FDS="+strings.Join(fds, ","))
	}
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	syncW.Close()
	ctlR.Close()
	if err != nil {
		syncR.Close()
		ctlW.Close()
		return nil, fmt.Errorf("start pod-monitor for %s: %w", c.Name(), err)
	}
	return &Session{c: c, cmd: cmd, sync: bufio.NewReader(syncR), syncF: syncR, ctl: ctlW}, nil
}

// netnsPath is where the monitor binds the container's network namespace.
func (c *Container) netnsPath() string { return filepath.Join(c.RunDir(), "netns") }

// removeNetns unmounts a namespace file a dead monitor left behind.
func (c *Container) removeNetns() {
	p := c.netnsPath()
	if _, err := os.Lstat(p); err == nil {
		_ = unix.Unmount(p, unix.MNT_DETACH)
		os.Remove(p)
	}
}

func hostUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u := os.Getenv("LOGNAME"); u != "" {
		return u
	}
	return "$USER"
}

func capLastCap() int {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}
