package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/procfs"
)

// Timeouts of the steps the monitor drives.
const (
	createTimeout  = 2 * time.Minute
	startTimeout   = time.Minute
	deleteTimeout  = 30 * time.Second
	consoleTimeout = 10 * time.Second
	drainTimeout   = time.Second
	cleanupTimeout = 5 * time.Minute
)

// memoryLimit is the Go runtime's soft memory limit: garbage is collected
// only when the monitor's memory nears it.
const memoryLimit = 16 << 20

// monitor is the state of one monitor process.
type monitor struct {
	opts *protocol.Options
	dbg  *debugLog
	sync *syncWriter
	ctl  *ctlReader
	rt   *ociruntime.Runtime
	log  *logFile
	term terminal

	sigchld    chan os.Signal
	tmpDir     string
	created    bool        // runtime create succeeded: delete on failure
	net        *netHelper  // running network helper, or nil
	fwd        *netHelper  // running port forwarder, or nil
	netns      string      // network namespace file made by the monitor, or ""
	attach     [3]*os.File // client's stdin, stdout, stderr (nil: absent)
	preserve   []*os.File  // passed on to the container at its first create (--preserve-fds)
	clients    *attachServer
	detachKeys []byte
	health     *healthChecker
	reaper     reaper
	restarts   int        // restarts so far
	fastFails  int        // consecutive exits soon after a (re)start: the backoff's exponent
	outputs    []*os.File // read ends copied to the log
	stdinKeep  *os.File   // write end holding the container's stdin open
	copiers    sync.WaitGroup
	clientGone atomic.Bool // the CLI closed ctl: stop using attach fds
	stopInput  atomic.Bool // stop copying the client's stdin to the terminal

	// pid is the container init's pid, 0 before it is created and once it
	// is reaped; read it with containerPid.
	pid atomic.Int64
}

// Run runs the monitor with args (the command line without the program
// name) and returns the process exit status: 0 once the container has run
// and exited, 1 when it could not be started (an error record was sent) or
// on bad usage.
func Run(args []string) int {
	// The Go runtime sizes itself (threads, per-P caches, GC workers) at
	// start-up from GOMAXPROCS: start again with one P unless the CLI
	// already passed GOMAXPROCS=1. One P is plenty for copying a few
	// streams.
	if os.Getenv("GOMAXPROCS") != "1" {
		env := append(os.Environ(), "GOMAXPROCS=1")
		argv := append([]string{os.Args[0]}, args...)
		_ = unix.Exec("/proc/self/exe", argv, env) // on failure go on as is
		runtime.GOMAXPROCS(1)
	}
	os.Unsetenv("GOMAXPROCS")
	// The steady state (copying output with reused buffers, reaping) does
	// not allocate, so the collector stays off until the memory limit is
	// near: a collection would touch more memory (mark bits, work buffers)
	// than the few hundred KiB of start-up garbage it frees.
	unix.Umask(0o022) // whatever umask the CLI was started with
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(memoryLimit)
	markCloexec()

	opts, perr := protocol.Parse(args, os.Getenv)
	dbg := openDebugLog(opts.DebugLog)
	m := &monitor{opts: opts, dbg: dbg, sync: newSyncWriter(opts.SyncFD, dbg)}
	m.term.dbg = dbg
	if perr != nil {
		fmt.Fprintln(os.Stderr, "pod-monitor:", perr)
		m.sync.send(protocol.Failed("pod-monitor: "+perr.Error(), protocol.ExitCodePodFailed))
		return 1
	}
	for _, k := range protocol.DescriptorEnv() {
		os.Unsetenv(k)
	}
	return m.run()
}

// markCloexec keeps every inherited descriptor (sync, ctl, attach) away
// from the runtime, the container and the helpers.
func markCloexec() {
	if unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			unix.CloseOnExec(fd)
		}
	}
}

func (m *monitor) run() int {
	m.dbg.printf("monitor for %s: %s", m.opts.ID, strings.Join(m.opts.Args(), " "))
	// First of all: whoever looks for this container can now find its
	// monitor, even if the CLI that started it dies right away.
	m.writePidRecord(m.opts.MonitorPidFile, os.Getpid())
	// Handled (not ignored) so that children start with default handlers.
	ignored := make(chan os.Signal, 1)
	signal.Notify(ignored, unix.SIGPIPE, unix.SIGINT, unix.SIGHUP)
	m.sigchld = make(chan os.Signal, 1)
	signal.Notify(m.sigchld, unix.SIGCHLD)
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		m.dbg.printf("set child subreaper: %v", err)
	}
	m.detachKeys, _ = protocol.ParseDetachKeys(m.opts.DetachKeys) // checked by Parse
	m.clients = listenAttach(m.opts.AttachSocket, m.dbg, m.term.resize)
	m.ctl = startCtl(m.opts.CtlFD, m.dbg, m.term.resize, func() {
		if m.opts.Attached() {
			m.clientGone.Store(true)
			m.stopInput.Store(true)
		}
	})

	if err := m.start(); err != nil {
		m.fail(err)
		return 1
	}
	m.sync.send(protocol.Started(m.containerPid()))
	m.health = startHealth(m)
	var timeout *time.Timer
	if m.opts.Timeout > 0 {
		timeout = time.AfterFunc(time.Duration(m.opts.Timeout)*time.Second, m.timedOut)
	}

	var status unix.WaitStatus
	var exitedAt time.Time
	for {
		started := time.Now()
		status, exitedAt = m.waitContainer()
		if !m.restartAfter(exitCode(status), time.Since(started)) {
			break
		}
	}
	if timeout != nil {
		// The container is reaped: its pid may be reused from here on.
		timeout.Stop()
	}
	m.health.stop()
	m.stopInput.Store(true)
	m.net.kill()
	m.drain()
	exit := protocol.NewExitFile(exitCode(status), exitedAt, false)
	m.dbg.printf("container exited: code %d at %s", exit.ExitCode, exit.ExitedAt)
	if m.opts.ExitFile != "" {
		// Not synced to disk: after a crash the boot id tells instead.
		data, _ := json.Marshal(exit)
		if err := fsutil.ReplaceFile(m.opts.ExitFile, data, 0o600); err != nil {
			m.dbg.printf("write exit file: %v", err)
		}
	}
	m.clients.exited(exit.ExitCode)
	// The CLI may clean up while the runtime forgets the container.
	m.sync.send(protocol.Exited(exit))
	m.deleteContainer()
	m.cleanup()
	m.stopNet()
	m.release()
	return 0
}

// start runs runtime create, the network helper and runtime start.
func (m *monitor) start() error {
	o := m.opts
	var err error
	if m.rt, err = ociruntime.Find(o.Runtime); err != nil {
		return err
	}
	m.rt.Root = o.RuntimeRoot
	m.rt.ExtraArgs = o.RuntimeArgs
	if m.log, err = openLog(o.LogPath, rotation{max: o.LogSizeMax, files: o.LogMaxFiles}, m.dbg); err != nil {
		return err
	}
	for i, fd := range [3]int{o.AttachIn, o.AttachOut, o.AttachErr} {
		if fd >= 0 {
			m.attach[i] = os.NewFile(uintptr(fd), "attach-"+strconv.Itoa(i))
		}
	}
	for i := range o.PreserveCount {
		m.preserve = append(m.preserve, os.NewFile(uintptr(o.PreserveFD+i), "preserved-"+strconv.Itoa(3+i)))
	}
	if o.TTY || o.Network.NeedsHelper() || o.Healthcheck != nil {
		if m.tmpDir, err = ociruntime.NewTmpDir(o.SocketDir); err != nil {
			return err
		}
	}
	return m.launch()
}

// launch creates and starts the container (again, after an exit its
// restart policy restarts): stdio, network, runtime create and start.
func (m *monitor) launch() error {
	o := m.opts
	devNull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", os.DevNull, err)
	}
	defer devNull.Close()
	stdio := [3]*os.File{devNull, devNull, devNull}
	var childEnds []*os.File // our copies of the container's ends
	defer func() {
		for _, f := range childEnds {
			f.Close()
		}
	}()
	var console *ociruntime.ConsoleSocket
	var outR, errR *os.File
	if o.TTY {
		if console, err = ociruntime.ListenConsole(m.tmpDir); err != nil {
			return err
		}
		defer console.Close()
	} else {
		if o.Passthrough {
			// The client's own stdout and stderr, kept for restarts: no
			// copy, no log.
			stdio[1], stdio[2] = passthroughOutput(m.attach, devNull)
		} else {
			var outW, errW *os.File
			if outR, outW, err = os.Pipe(); err != nil {
				return fmt.Errorf("stdout pipe: %w", err)
			}
			if errR, errW, err = os.Pipe(); err != nil {
				outR.Close()
				outW.Close()
				return fmt.Errorf("stderr pipe: %w", err)
			}
			m.outputs = append(m.outputs, outR, errR)
			stdio[1], stdio[2] = outW, errW
			childEnds = append(childEnds, outW, errW)
		}
		switch {
		case o.Stdin && m.attach[0] != nil:
			// The client's stdin goes straight to the container.
			stdio[0] = m.attach[0]
			childEnds = append(childEnds, m.attach[0])
			m.attach[0] = nil
		case o.Stdin:
			// Detached with stdin open: hold a pipe open for the
			// container's life.
			r, w, err := os.Pipe()
			if err != nil {
				return fmt.Errorf("stdin pipe: %w", err)
			}
			stdio[0] = r
			childEnds = append(childEnds, r)
			m.stdinKeep = w
			var once sync.Once
			m.clients.setInput(w, func() { once.Do(func() { w.Close() }) })
		}
	}

	os.Remove(o.PidFile) // a stale pid file must not be taken for the new one
	// With a namespace path, pasta is attached while the runtime creates
	// the container; the runtime joins the namespace the spec names.
	type netResult struct {
		h, fwd *netHelper
		err    error
	}
	var netDone chan netResult
	if o.NetnsPath != "" && o.Network.NeedsHelper() && m.netns == "" {
		if err := tunError(o.HostUser); err != nil {
			return err
		}
		if err := createNetns(o.NetnsPath); err != nil {
			return err
		}
		m.netns = o.NetnsPath
		netDone = make(chan netResult, 1)
		go func() {
			start := startPastaNS
			if o.Network == protocol.NetworkSlirp4netns {
				start = startSlirp4netnsNS
			}
			// The forwarder needs only the namespace file (it dials into
			// the namespace when a client connects): it starts alongside
			// the helper.
			r, fwdDone := netResult{}, make(chan netResult, 1)
			if len(o.Forwarder) > 0 {
				go func() {
					var f netResult
					f.fwd, f.err = startForwarder(o.Forwarder, m.tmpDir, m.dbg)
					fwdDone <- f
				}()
			} else {
				fwdDone <- netResult{}
			}
			r.h, r.err = start(o.NetworkCmd, o.NetnsPath, o.NetworkOpts, m.tmpDir, m.dbg)
			f := <-fwdDone
			r.fwd = f.fwd
			if r.err == nil {
				r.err = f.err
			}
			netDone <- r
		}()
	} else if o.Network == protocol.NetworkNS && len(o.Forwarder) > 0 && m.fwd == nil {
		// A namespace the CLI made (user networks): only the forwarder
		// is the monitor's; it outlives restarts as the namespace does.
		netDone = make(chan netResult, 1)
		go func() {
			r := netResult{}
			r.fwd, r.err = startForwarder(o.Forwarder, m.tmpDir, m.dbg)
			netDone <- r
		}()
	}
	waitNet := func() error {
		if netDone == nil {
			return nil
		}
		r := <-netDone
		netDone = nil
		m.net, m.fwd = r.h, r.fwd
		if r.h != nil {
			m.writePidRecord(o.HelperPidFile, r.h.pid)
		}
		if r.fwd != nil {
			m.writePidRecord(o.ForwarderPidFile, r.fwd.pid)
		}
		return r.err
	}
	defer waitNet() // on early returns: the helper is known, so fail stops it
	socketPath := ""
	if console != nil {
		socketPath = console.Path
	}
	// Nothing to do between create and start (no network helper to attach,
	// no terminal size to set first): one runtime process does both.
	oneStep := !o.TTY && !o.Network.NeedsHelper()
	ctx, cancel := context.WithTimeout(context.Background(), createTimeout)
	if oneStep {
		err = m.rt.RunDetached(ctx, o.ID, o.Bundle, o.PidFile, socketPath, stdio, m.preserve...)
	} else {
		err = m.rt.Create(ctx, o.ID, o.Bundle, o.PidFile, socketPath, stdio, m.preserve...)
	}
	// The container holds them now: a pipe's reader sees its end when the
	// container closes it. A restart gets none.
	for _, f := range m.preserve {
		f.Close()
	}
	m.preserve = nil
	cancel()
	for _, f := range childEnds {
		f.Close()
	}
	childEnds = nil
	if err != nil {
		return err
	}
	m.created = true

	if console != nil {
		master, err := console.Receive(consoleTimeout)
		if err != nil {
			return err
		}
		m.outputs = append(m.outputs, master)
		m.term.setMaster(master)
		m.clients.setInput(master, nil)
	}
	pid, err := readPidFile(o.PidFile)
	if err != nil {
		return err
	}
	m.pid.Store(int64(pid))
	m.dbg.printf("container created: pid %d", pid)

	switch {
	case netDone != nil:
		if err := waitNet(); err != nil {
			return err
		}
	case m.netns != "":
		// A restart: the helper (and forwarder) still serve the namespace.
	case o.Network.NeedsHelper():
		if err := tunError(o.HostUser); err != nil {
			return err
		}
		start := startPasta
		if o.Network == protocol.NetworkSlirp4netns {
			start = startSlirp4netns
		}
		if m.net, err = start(o.NetworkCmd, pid, o.NetworkOpts, m.tmpDir, m.dbg); err != nil {
			return err
		}
		m.writePidRecord(o.HelperPidFile, m.net.pid)
	}

	// Output is copied from here on: what the runtime printed while
	// failing to create the container is not the container's output.
	if o.TTY {
		m.startCopier(m.outputs[0], streamStdout, protocol.FrameStdout, m.attach[1])
	} else if !o.Passthrough {
		m.startCopier(outR, streamStdout, protocol.FrameStdout, m.attach[1])
		m.startCopier(errR, streamStderr, protocol.FrameStderr, m.attach[2])
	}

	if oneStep {
		return nil
	}
	ctx, cancel = context.WithTimeout(context.Background(), startTimeout)
	err = m.rt.Start(ctx, o.ID)
	cancel()
	if err != nil {
		return err
	}
	if o.TTY && o.Stdin && m.attach[0] != nil {
		m.stopInput.Store(false)
		go copyInput(int(m.attach[0].Fd()), m.outputs[0], m.detachKeys, &m.stopInput, m.detach, m.dbg)
	}
	return nil
}

// stopNet stops the network helper and removes what recorded it and the
// namespace file.
func (m *monitor) stopNet() {
	m.fwd.stop(m.dbg)
	m.net.stop(m.dbg)
	for _, f := range []string{m.opts.HelperPidFile, m.opts.ForwarderPidFile} {
		if f != "" {
			os.Remove(f)
		}
	}
	removeNetns(m.netns)
}

// writePidRecord records pid (with its start time) at path, when both are
// known.
func (m *monitor) writePidRecord(path string, pid int) {
	if path == "" || pid <= 0 {
		return
	}
	rec := protocol.PidRecord{Pid: pid, Start: procfs.StartTime(pid)}
	if err := fsutil.ReplaceFile(path, rec.Bytes(), 0o600); err != nil {
		m.dbg.printf("write %s: %v", path, err)
	}
}

func (m *monitor) startCopier(src *os.File, stream string, kind byte, dst *os.File) {
	m.copiers.Add(1)
	go func() {
		defer m.copiers.Done()
		copyOutput(src, stream, kind, m.log, dst, m.clients, &m.clientGone, m.dbg)
	}()
}

// detach lets the client whose stdio was handed over go: it typed the
// detach keys. The container goes on; the client's CLI exits.
func (m *monitor) detach() {
	m.dbg.printf("client detached")
	m.clientGone.Store(true)
	m.stopInput.Store(true)
	m.sync.send(protocol.Detached())
}

func readPidFile(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read container pid file: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("container pid file %s: bad pid %q", path, data)
	}
	return pid, nil
}

// fail undoes a failed start and reports it on the sync pipe. The runtime
// state is deleted and the network helper stopped before the record is
// sent, so the CLI may clean up as soon as it reads it.
func (m *monitor) fail(err error) {
	code := protocol.ExitCodePodFailed
	switch {
	case errors.Is(err, ociruntime.ErrNotFound):
		code = protocol.ExitCodeNotFound
	case errors.Is(err, ociruntime.ErrPermission):
		code = protocol.ExitCodeCannotInvoke
	}
	msg := err.Error()
	var rerr *ociruntime.Error
	if errors.As(err, &rerr) {
		msg = rerr.UserMessage()
	}
	msg = strings.Join(strings.Fields(msg), " ")
	m.dbg.printf("start failed (%d): %v", code, err)
	if m.created {
		m.deleteContainer()
	}
	m.stopNet()
	m.sync.send(protocol.Failed(msg, code))
	m.release()
}

func (m *monitor) deleteContainer() {
	ctx, cancel := context.WithTimeout(context.Background(), deleteTimeout)
	defer cancel()
	if err := m.rt.Delete(ctx, m.opts.ID, true); err != nil {
		m.dbg.printf("delete: %v", err)
	}
}

// waitContainer reaps children until the container init exits and returns
// its wait status and the time it was reaped. Other children (orphans
// re-parented to the monitor, a dead network helper) are reaped too.
func (m *monitor) waitContainer() (unix.WaitStatus, time.Time) {
	for {
		for {
			var ws unix.WaitStatus
			wpid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
			if err == unix.EINTR {
				continue
			}
			if err == unix.ECHILD {
				// The container is not our child (no subreaper).
				return m.pollExit(), time.Now()
			}
			if err != nil || wpid <= 0 {
				break
			}
			for _, h := range []*netHelper{m.net, m.fwd} {
				if h != nil && wpid == h.pid {
					h.reaped = true
					m.dbg.printf("network: %s exited early (%v)", h.name, ws)
				}
			}
			if wpid == m.containerPid() {
				m.pid.Store(0) // reaped: the number may be reused
				return ws, time.Now()
			}
			m.reaper.reaped(wpid, ws)
		}
		<-m.sigchld
	}
}

// pollExit waits for a process that is not our child; its status is
// unknown and reported as 255.
func (m *monitor) pollExit() unix.WaitStatus {
	pid := m.containerPid()
	defer m.pid.Store(0)
	m.dbg.printf("container pid %d is not a child of the monitor: polling", pid)
	if fd, err := unix.PidfdOpen(pid, 0); err == nil {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			if _, err := unix.Poll(fds, -1); err != unix.EINTR {
				break
			}
		}
		unix.Close(fd)
	} else {
		for unix.Kill(pid, 0) == nil {
			time.Sleep(200 * time.Millisecond)
		}
	}
	return unix.WaitStatus(255 << 8)
}

func exitCode(ws unix.WaitStatus) int {
	switch {
	case ws.Exited():
		return ws.ExitStatus()
	case ws.Signaled():
		return protocol.ExitCodeSignalBase + int(ws.Signal())
	default:
		return 255
	}
}

// drain waits for the output copiers to reach EOF. Processes that outlive
// the container may hold the pipes open: after drainTimeout the read ends
// are closed to stop the copiers.
func (m *monitor) drain() {
	done := make(chan struct{})
	go func() {
		m.copiers.Wait()
		close(done)
	}()
	t := time.NewTimer(drainTimeout)
	defer t.Stop()
	select {
	case <-done:
		return
	case <-t.C:
	}
	m.dbg.printf("output still open %v after exit: closing", drainTimeout)
	for _, f := range m.outputs {
		f.Close()
	}
	t.Reset(drainTimeout)
	select {
	case <-done:
	case <-t.C:
		m.dbg.printf("output copiers still blocked: giving up")
	}
}

// cleanup runs the cleanup command unless the CLI said "cleaned": at once
// when the ctl pipe is closed, else after "cleaned", EOF or CleanedTimeout.
func (m *monitor) cleanup() {
	if len(m.opts.Cleanup) == 0 {
		return
	}
	select {
	case <-m.ctl.done:
	default:
		t := time.NewTimer(protocol.CleanedTimeout)
		select {
		case <-m.ctl.done:
		case <-t.C:
			m.dbg.printf("no word from the CLI after %v", protocol.CleanedTimeout)
		}
		t.Stop()
	}
	if m.ctl.cleaned.Load() {
		m.dbg.printf("cleanup done by the CLI")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, m.opts.Cleanup[0], m.opts.Cleanup[1:]...)
	if f := m.dbg.file(); f != nil {
		cmd.Stdout, cmd.Stderr = f, f
	}
	m.dbg.printf("cleanup: %s", strings.Join(m.opts.Cleanup, " "))
	if err := cmd.Run(); err != nil {
		m.dbg.printf("cleanup: %v", err)
	}
}

// release closes what the monitor holds and removes its temporary
// directory.
func (m *monitor) release() {
	m.clients.close()
	for _, f := range m.outputs {
		f.Close()
	}
	if m.stdinKeep != nil {
		m.stdinKeep.Close()
	}
	if m.log != nil {
		m.log.close()
	}
	if m.tmpDir != "" {
		os.RemoveAll(m.tmpDir)
	}
}
