package libpod

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/procfs"
	"github.com/pod-engine/pod/pkg/spec"
)

// AttachStreams are the CLI's own stdio handed to the monitor for a
// foreground container. A nil *AttachStreams starts the container detached.
type AttachStreams struct {
	Stdin, Stdout, Stderr *os.File
	// Rows and Cols are the terminal size to give a -t container before
	// its process starts (0 = unknown).
	Rows, Cols uint16
	// DetachKeys is the detach sequence (protocol.ParseDetachKeys; ""
	// disables detaching).
	DetachKeys string
}

const startTimeout = 2 * time.Minute

// start starts a created or exited container through a new pod-monitor.
// With attach, the returned Session delivers the exit code; without, the
// session is already detached. Starting a running container detached does
// nothing (nil, nil).
func (c *Container) start(ctx context.Context, attach *AttachStreams) (_ *Session, retErr error) {
	if attach != nil {
		if err := checkDetachKeys(attach.DetachKeys); err != nil {
			return nil, err
		}
	}
	if err := c.startRequired(ctx); err != nil {
		return nil, err
	}
	unlock, err := c.lockAndSync()
	if err != nil {
		return nil, err
	}
	if unlock, err = c.awaitLastMonitor(unlock); err != nil {
		return nil, err
	}
	defer unlock()
	if c.State.Status.IsActive() {
		if attach == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("container %s is already running: %w", c.Name(), define.ErrCtrStateInvalid)
	}
	if err := c.checkPassthroughStart(attach != nil); err != nil {
		return nil, err
	}
	if err := define.CheckTransition(c.State.Status, define.StatusRunning); err != nil {
		return nil, fmt.Errorf("start container %s: %w", c.Name(), err)
	}
	netw, err := c.network()
	if err != nil {
		return nil, err
	}
	store, err := c.r.getStore()
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
	// The last run's records go, and the start is recorded before it
	// creates anything: a monitor found later (its CLI killed) is then this
	// run's, and a listing knows there may be something to clean up.
	for _, f := range []string{c.exitFile(), c.monitorPidFile(), c.stopMarker(), c.restartFile(), c.healthFile()} {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("start container %s: %w", c.Name(), err)
		}
	}
	c.State.Starting = true
	if err := c.writeState(false); err != nil {
		return nil, err
	}
	monitorStarted := false
	defer func() {
		// A start that failed before its monitor existed has nothing left
		// once the deferred releases below have run.
		if retErr != nil && !monitorStarted {
			c.State.Starting = false
			_ = c.writeState(false)
		}
	}()
	rundir := c.runDir()
	c.removeNetns()
	os.RemoveAll(rundir)
	if err := os.MkdirAll(filepath.Join(rundir, "bundle"), 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", rundir, err)
	}
	if netw.userNets {
		if err := c.attachNetworks(c.Config.Networks); err != nil {
			return nil, err
		}
		defer func() {
			if retErr != nil {
				c.removeNetns()
			}
		}()
	}
	c.deleteRuntimeState(ctx)
	logrus.Debugf("mounting %s", c.ID())
	mountpoint, err := store.Mount(c.ID(), "")
	if err != nil {
		return nil, fmt.Errorf("mount container %s: %w", c.Name(), err)
	}
	if c.Config.Rootfs != "" {
		if mountpoint, err = c.mountRootfs(); err != nil {
			_, _ = store.Unmount(c.ID(), true)
			return nil, err
		}
	}
	c.State.Mountpoint = mountpoint
	defer func() {
		if retErr != nil {
			_, _ = store.Unmount(c.ID(), true)
			c.unmountImages()
			c.State.Mountpoint = ""
			c.State.Error = retErr.Error()
			_ = c.saveState()
		}
	}()
	// The mount is recorded before the monitor exists: cleanup knows what
	// to unmount. Until the next save only: not synced to disk.
	if err := c.writeState(false); err != nil {
		return nil, err
	}
	s, err := c.generateSpec(mountpoint, netw)
	if err != nil {
		return nil, err
	}
	// The bundle is in the per-boot directory: it need not reach the disk.
	if err := fsutil.ReplaceJSON(filepath.Join(rundir, "bundle", "config.json"), s, 0o600); err != nil {
		return nil, err
	}
	logrus.Debugf("starting pod-monitor")
	var stdio [3]*os.File
	if attach != nil {
		stdio = [3]*os.File{attach.Stdin, attach.Stdout, attach.Stderr}
		if !c.Config.Stdin {
			stdio[0] = nil
		}
	}
	mo := c.monitorOptions(oci, netw)
	if attach != nil && c.Config.Terminal {
		mo.DetachKeys = attach.DetachKeys
	}
	sess, err := startMonitor(c.r.MonitorPath, c.Name(), mo, stdio, preservedFiles(ctx)...)
	if err != nil {
		return nil, err
	}
	monitorStarted = true
	sess.cleanup = c.cleanup
	if attach != nil && c.Config.Terminal && attach.Rows > 0 {
		sess.Resize(attach.Rows, attach.Cols)
	}
	if reported, err := sess.waitStarted(startTimeout); err != nil {
		if !reported {
			_ = oci.Delete(ctx, c.ID(), true)
		}
		return nil, err
	}
	logrus.Debugf("container started")
	if err := c.setStatus(define.StatusRunning); err != nil {
		return nil, err
	}
	st := c.State
	st.Pid = sess.Pid()
	st.PidStart = procfs.StartTime(st.Pid)
	st.MonitorPid = sess.cmd.Process.Pid
	st.MonitorStart = procfs.StartTime(st.MonitorPid)
	st.BootID = procfs.BootID()
	st.StartedAt = time.Now()
	st.FinishedAt = time.Time{}
	st.ExitCode = 0
	st.Error = ""
	st.OOMKilled = false
	st.Starting = false
	if err := c.saveState(); err != nil {
		return nil, err
	}
	if err := c.writeUserPidFiles(); err != nil {
		return nil, err
	}
	if attach == nil {
		sess.Detach()
	}
	return sess, nil
}

// monitorOptions are the options of c's monitor (see package protocol);
// the descriptors are filled in by startMonitor.
func (c *Container) monitorOptions(oci *ociruntime.Runtime, netw *netSetup) protocol.Options {
	rundir := c.runDir()
	o := protocol.Options{
		ID:             c.ID(),
		Runtime:        oci.Path,
		RuntimeRoot:    oci.Root,
		RuntimeArgs:    c.runtimeArgs(oci),
		Bundle:         filepath.Join(rundir, "bundle"),
		PidFile:        c.pidFile(),
		ExitFile:       c.exitFile(),
		LogPath:        c.logPath(),
		TTY:            c.Config.Terminal,
		Stdin:          c.Config.Stdin,
		SocketDir:      rundir,
		AttachSocket:   c.attachSocket(),
		RestartPolicy:  c.Config.RestartPolicy,
		RestartRetries: c.Config.RestartRetries,
		RestartFile:    c.restartFile(),
		StopMarker:     c.stopMarker(),
		Healthcheck:    c.Config.Healthcheck,
		HealthFile:     c.healthFile(),
		Timeout:        c.Config.Extras.Timeout,
		Network:        netw.mode,
		NetworkCmd:     netw.tool,
		NetworkOpts:    netw.args,
		HostUser:       hostUser(),
		MonitorPidFile: c.monitorPidFile(),
		HelperPidFile:  c.helperPidFile(),
		Cleanup:        append(append([]string{c.r.PodPath}, c.r.cfg.Overrides.Args()...), "container", "cleanup", c.ID()),
	}
	if netw.bindsNetns() {
		o.NetnsPath = c.netnsPath()
	}
	if len(netw.forwarder) > 0 {
		o.Forwarder, o.ForwarderPidFile = netw.forwarder, c.forwarderPidFile()
	}
	if netw.userNets {
		o.Reattach = append(append([]string{c.r.PodPath}, c.r.cfg.Overrides.Args()...), "network", "reattach", c.ID())
	}
	c.logOptions(&o)
	if logrus.IsLevelEnabled(logrus.DebugLevel) {
		o.DebugLog = filepath.Join(rundir, "monitor.log")
	}
	return o
}

func (c *Container) generateSpec(rootfs string, netw *netSetup) (interface{}, error) {
	cfg, mode := c.Config, netw.mode
	userSpec := cfg.User
	if userSpec == "" {
		userSpec = cfg.ImageConfig.User
	}
	passwd, group, err := c.passwdFiles(rootfs, userSpec)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	u, err := spec.ResolveUserWith(rootfs, userSpec, passwd, group)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	hostname := cfg.Hostname
	if hostname == "" {
		if mode == protocol.NetworkHost {
			hostname, _ = os.Hostname()
		} else {
			hostname = cfg.ID[:12]
		}
	}
	rundir := c.runDir()
	files, err := c.etcFiles(hostname, netw)
	if err != nil {
		return nil, err
	}
	files[".containerenv"] = spec.ContainerEnv(cfg.Security.Privileged, spec.ContainerEnvInfo{
		Engine: "pod-" + c.r.Version, Name: cfg.Name, ID: cfg.ID, Image: cfg.ImageName, ImageID: cfg.ImageID, Rootless: true})
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
		NetworkMode:    mode,
		HostsPath:      filepath.Join(rundir, "hosts"),
		ResolvConfPath: filepath.Join(rundir, "resolv.conf"),
		HostnamePath:   filepath.Join(rundir, "hostname"),
		// Written above for every container, as podman does.
		ContainerEnvPath: filepath.Join(rundir, ".containerenv"),
		RlimitNofile:     spec.Rlimit{Soft: rl.Cur, Hard: rl.Max},
		CapLastCap:       capLastCap(),
		Security:         cfg.Security,
	}
	if cfg.NoHosts {
		o.HostsPath = ""
	}
	if err := c.addRunFlags(o, rootfs); err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	if err := c.addMounts(o, rootfs); err != nil {
		return nil, err
	}
	o.CgroupsPath = c.cgroupsPath()
	s, err := spec.Generate(o)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	nsPath := netw.nsPath // container:NAME, ns:PATH
	if netw.bindsNetns() {
		// The monitor creates this namespace and attaches the helper to
		// it while the runtime creates the container.
		nsPath = c.netnsPath()
	}
	if nsPath != "" {
		for i := range s.Linux.Namespaces {
			if s.Linux.Namespaces[i].Type == specs.NetworkNamespace {
				s.Linux.Namespaces[i].Path = nsPath
			}
		}
	}
	c.applyResources(s)
	if err := c.applyExtras(s); err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	if err := c.applyUserns(s); err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	if err := c.mountPasswdFiles(s, passwd, group); err != nil {
		return nil, err
	}
	c.addChrootMounts(s)
	return s, nil
}

func capLastCap() int {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// lastMonitorWait bounds how long a start waits for the monitor of the
// container's last run to finish.
const lastMonitorWait = 10 * time.Second

// lastMonitorPoll is how often it looks: the monitor usually ends within
// milliseconds of the exit.
const lastMonitorPoll = 2 * time.Millisecond

// awaitLastMonitor, called with the container locked (unlock releases it),
// waits until the monitor of the last run is gone when the container has
// exited but that monitor still runs: it is finishing (runtime delete, its
// cleanup command, which takes the lock, then the network namespace and
// the helpers' records, at the paths the new run uses). It returns the
// unlock function of the lock it holds again.
func (c *Container) awaitLastMonitor(unlock func()) (func(), error) {
	if c.State.Status.IsActive() || !c.monitorAlive() {
		return unlock, nil
	}
	pid := c.State.MonitorPid
	unlock()
	for deadline := time.Now().Add(lastMonitorWait); c.monitorAlive() && time.Now().Before(deadline); {
		time.Sleep(lastMonitorPoll)
	}
	unlock, err := c.lockAndSync()
	if err != nil {
		return nil, err
	}
	if !c.State.Status.IsActive() && c.monitorAlive() {
		unlock()
		return nil, fmt.Errorf("start container %s: the monitor of its last run (pid %d) has not finished after %v: try again: %w",
			c.Name(), pid, lastMonitorWait, define.ErrCtrStateInvalid)
	}
	return unlock, nil
}
