package protocol

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Environment variables of the monitor process. The file descriptors they
// name are inherited from the CLI (exec.Cmd.ExtraFiles).
const (
	// EnvSyncFD names the write end of the sync pipe (monitor → CLI).
	EnvSyncFD = "POD_MONITOR_SYNC_FD"
	// EnvCtlFD names the read end of the ctl pipe (CLI → monitor).
	EnvCtlFD = "POD_MONITOR_CTL_FD"
	// EnvAttachFDs is "in,out,err": the attached client's stdio, each a
	// descriptor number or "-" when absent. Unset: the container is detached.
	EnvAttachFDs = "POD_MONITOR_ATTACH_FDS"
	// EnvPreserveFDs is "first,count": descriptors first to
	// first+count-1 are passed on to the container as its 3 on
	// (--preserve-fds). Unset: none.
	EnvPreserveFDs = "POD_MONITOR_PRESERVE_FDS"
	// EnvHostUser is the real user on the host, named in error messages
	// that ask root for an ACL.
	EnvHostUser = "POD_HOST_USER"
)

// Options configures one monitor. The CLI builds the monitor's command line
// with Args and its environment with Env; the monitor reads both back with
// Parse.
type Options struct {
	ID          string   // --id: runtime container id
	Runtime     string   // --runtime: path of crun or runc ("" = find one)
	RuntimeRoot string   // --runtime-root: runtime state dir (global --root)
	RuntimeArgs []string // --runtime-arg (repeatable): extra global runtime args
	Bundle      string   // --bundle: directory holding config.json
	PidFile     string   // --pid-file (default BUNDLE/pidfile)
	ExitFile    string   // --exit-file: written when the container exits
	LogPath     string   // --log-path: k8s-file log ("" = no log)
	TTY         bool     // --tty: the container has a terminal
	Stdin       bool     // --stdin: the container keeps stdin open
	SocketDir   string   // --socket-dir: parent of the console socket's temp dir (default $TMPDIR or /tmp)
	// AttachSocket: where the monitor listens for attach clients (see
	// FrameStdin); "" = none.
	AttachSocket string // --attach-socket
	// DetachKeys: the sequence that detaches the client whose stdio was
	// handed over (with a tty), as ParseDetachKeys reads it; "" = none.
	DetachKeys string // --detach-keys
	// RestartPolicy and RestartRetries: see ParseRestartPolicy.
	RestartPolicy  string // --restart-policy
	RestartRetries uint   // --restart-retries
	// RestartFile: the monitor writes the number of restarts here.
	RestartFile string // --restart-file
	// StopMarker: while this file exists (the user stopped the container)
	// the monitor does not restart it.
	StopMarker string // --stop-marker
	// Healthcheck: the check the monitor runs (nil: none), its state in
	// HealthFile.
	Healthcheck *Healthcheck // --healthcheck (JSON)
	HealthFile  string       // --health-file
	// Timeout: the container is killed (SIGKILL) this many seconds after
	// it first started; 0 = no limit.
	Timeout     uint        // --timeout
	Network     NetworkMode // --network: none, host, pasta or slirp4netns
	NetworkCmd  string      // --network-cmd: path of pasta or slirp4netns ("" = $PATH)
	NetnsPath   string      // --netns-path: create the network namespace here (the spec names it) and attach pasta while the runtime creates the container
	NetworkOpts []string    // --network-opt (repeatable): extra helper arguments
	DebugLog    string      // --debug-log: optional debug log file
	// MonitorPidFile: the monitor writes its own pid record here before
	// anything else, so that it can be found even when the CLI that
	// started it died before recording it.
	MonitorPidFile string // --monitor-pid-file
	// HelperPidFile: the pid record of the network helper, written once it
	// runs, so that it can be stopped when the monitor is gone.
	HelperPidFile string // --helper-pid-file
	// Forwarder: the command line of the port forwarder the monitor runs
	// once the namespace at NetnsPath is served (slirp4netns with published
	// ports); it gets a ready pipe as fd 3 (one byte, then close) and an
	// exit pipe as fd 4 (EOF: the monitor is gone). Empty: none.
	// ForwarderPidFile: its pid record.
	Forwarder        []string // --forwarder-arg (repeatable)
	ForwarderPidFile string   // --forwarder-pid-file
	// Reattach: the command line the monitor runs before each restart of
	// a container on user networks, to plug it back into its networks
	// when what served them is gone (it exits 0 when nothing was to do).
	// Empty: none.
	Reattach []string // --reattach-arg (repeatable)
	Cleanup  []string // arguments after "--": the cleanup command

	// LogSizeMax: the log is rotated before a write would take it past
	// this many bytes (0 = no limit); LogMaxFiles: how many files are
	// kept, the current one included (LogPath, LogPath.1, ...; 0 or 1:
	// the full log is replaced by an empty one).
	LogSizeMax  int64 // --log-size-max
	LogMaxFiles uint  // --log-max-files
	// Passthrough: the container's stdout and stderr are the attached
	// client's own descriptors (no copy, no log); not with TTY.
	Passthrough bool // --log-passthrough

	// Inherited descriptors; absent: -1 after parsing (Env also treats
	// 0, 1 and 2 as absent, so a zero Options names none).
	SyncFD    int    // from EnvSyncFD
	CtlFD     int    // from EnvCtlFD
	AttachIn  int    // from EnvAttachFDs
	AttachOut int    // from EnvAttachFDs
	AttachErr int    // from EnvAttachFDs
	HostUser  string // from EnvHostUser
	// PreserveFD is the first of PreserveCount descriptors passed on to
	// the container (EnvPreserveFDs; count 0: none).
	PreserveFD, PreserveCount int
}

// Attached reports whether a client's stdio was handed over.
func (o *Options) Attached() bool {
	return o.AttachIn > 2 || o.AttachOut > 2 || o.AttachErr > 2
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (o *Options) flagSet(out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("pod-monitor", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.ID, "id", "", "runtime container id")
	fs.StringVar(&o.Runtime, "runtime", "", "OCI runtime path (crun or runc)")
	fs.StringVar(&o.RuntimeRoot, "runtime-root", "", "OCI runtime state directory")
	fs.Var((*stringList)(&o.RuntimeArgs), "runtime-arg", "extra global OCI runtime argument (repeatable)")
	fs.StringVar(&o.Bundle, "bundle", "", "bundle directory holding config.json")
	fs.StringVar(&o.PidFile, "pid-file", "", "container pid file (default BUNDLE/pidfile)")
	fs.StringVar(&o.ExitFile, "exit-file", "", "exit file written when the container exits")
	fs.StringVar(&o.LogPath, "log-path", "", "k8s-file container log")
	fs.Int64Var(&o.LogSizeMax, "log-size-max", 0, "rotate the log before it passes this many bytes (0 = no limit)")
	fs.UintVar(&o.LogMaxFiles, "log-max-files", 0, "log files kept, the current one included")
	fs.BoolVar(&o.Passthrough, "log-passthrough", false, "give the container the attached client's stdout and stderr")
	fs.BoolVar(&o.TTY, "tty", false, "allocate a terminal")
	fs.BoolVar(&o.Stdin, "stdin", false, "keep the container's stdin open")
	fs.StringVar(&o.SocketDir, "socket-dir", "", "short directory for the console socket")
	fs.StringVar(&o.AttachSocket, "attach-socket", "", "attach socket path")
	fs.StringVar(&o.DetachKeys, "detach-keys", "", "detach sequence of the attached client (ctrl-p,ctrl-q)")
	fs.StringVar(&o.RestartPolicy, "restart-policy", "", "no, on-failure, always or unless-stopped")
	fs.UintVar(&o.RestartRetries, "restart-retries", 0, "most restarts with on-failure (0 = no limit)")
	fs.StringVar(&o.RestartFile, "restart-file", "", "file holding the restart count")
	fs.StringVar(&o.StopMarker, "stop-marker", "", "file whose presence prevents restarts")
	fs.Func("healthcheck", "health check (JSON)", func(v string) error {
		o.Healthcheck = &Healthcheck{}
		return json.Unmarshal([]byte(v), o.Healthcheck)
	})
	fs.StringVar(&o.HealthFile, "health-file", "", "health state file")
	fs.UintVar(&o.Timeout, "timeout", 0, "kill the container after this many seconds (0 = no limit)")
	fs.StringVar((*string)(&o.Network), "network", string(NetworkNone), "network mode: none, host, pasta, slirp4netns")
	fs.StringVar(&o.NetworkCmd, "network-cmd", "", "path of pasta or slirp4netns")
	fs.StringVar(&o.NetnsPath, "netns-path", "", "create the container's network namespace at this path before the runtime runs")
	fs.Var((*stringList)(&o.NetworkOpts), "network-opt", "extra network helper argument (repeatable)")
	fs.StringVar(&o.DebugLog, "debug-log", "", "debug log file")
	fs.StringVar(&o.MonitorPidFile, "monitor-pid-file", "", "the monitor's own pid record")
	fs.StringVar(&o.HelperPidFile, "helper-pid-file", "", "the network helper's pid record")
	fs.Var((*stringList)(&o.Forwarder), "forwarder-arg", "port forwarder command line (repeatable)")
	fs.StringVar(&o.ForwarderPidFile, "forwarder-pid-file", "", "the port forwarder's pid record")
	fs.Var((*stringList)(&o.Reattach), "reattach-arg", "command line run before each restart to plug the container back into its networks (repeatable)")
	return fs
}

// Parse reads the options from the monitor's arguments (without the
// program name) and environment. The descriptors are known even when the
// flags are bad, so that the error can still be reported on the sync pipe.
func Parse(args []string, getenv func(string) string) (*Options, error) {
	o := &Options{SyncFD: -1, CtlFD: -1, AttachIn: -1, AttachOut: -1, AttachErr: -1}
	var err error
	if o.SyncFD, err = envFD(getenv, EnvSyncFD); err != nil {
		return o, err
	}
	if o.CtlFD, err = envFD(getenv, EnvCtlFD); err != nil {
		return o, err
	}
	if v := getenv(EnvAttachFDs); v != "" {
		parts := strings.Split(v, ",")
		if len(parts) != 3 {
			return o, fmt.Errorf("%s=%q: want in,out,err", EnvAttachFDs, v)
		}
		fds := [3]*int{&o.AttachIn, &o.AttachOut, &o.AttachErr}
		for i, p := range parts {
			if *fds[i], err = parseFD(p); err != nil {
				return o, fmt.Errorf("%s=%q: %w", EnvAttachFDs, v, err)
			}
		}
	}
	if v := getenv(EnvPreserveFDs); v != "" {
		first, count, ok := strings.Cut(v, ",")
		n, cerr := strconv.Atoi(count)
		if o.PreserveFD, err = parseFD(first); err != nil || !ok || cerr != nil || n < 1 || o.PreserveFD < 0 {
			return o, fmt.Errorf("%s=%q: want first,count", EnvPreserveFDs, v)
		}
		o.PreserveCount = n
	}
	o.HostUser = getenv(EnvHostUser)

	fs := o.flagSet(io.Discard)
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("parse arguments: %w", err)
	}
	rest := fs.Args()
	if len(rest) > 0 {
		dash := len(args) > len(rest) && args[len(args)-len(rest)-1] == "--"
		if !dash {
			return o, fmt.Errorf("unexpected argument %q (the cleanup command goes after --)", rest[0])
		}
		o.Cleanup = rest
	}

	switch {
	case o.ID == "":
		return o, errors.New("--id is required")
	case o.Bundle == "":
		return o, errors.New("--bundle is required")
	}
	if o.Network == NetworkDefault {
		o.Network = NetworkNone
	}
	if !o.Network.Resolved() {
		return o, fmt.Errorf("--network %q: want none, host, pasta, slirp4netns, container or ns", o.Network)
	}
	if o.PidFile == "" {
		o.PidFile = o.Bundle + "/pidfile"
	}
	if o.LogSizeMax < 0 {
		return o, fmt.Errorf("--log-size-max %d: want a size in bytes, 0 for no limit", o.LogSizeMax)
	}
	if o.Passthrough && o.TTY {
		return o, errors.New("--log-passthrough and --tty exclude each other")
	}
	if _, err := ParseDetachKeys(o.DetachKeys); err != nil {
		return o, fmt.Errorf("--detach-keys: %w", err)
	}
	if _, _, err := ParseRestartPolicy(o.RestartPolicy); err != nil {
		return o, fmt.Errorf("--restart-policy: %w", err)
	}
	return o, nil
}

func envFD(getenv func(string) string, name string) (int, error) {
	v := getenv(name)
	if v == "" {
		return -1, nil
	}
	fd, err := parseFD(v)
	if err != nil {
		return -1, fmt.Errorf("%s: %w", name, err)
	}
	return fd, nil
}

func parseFD(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "-" || s == "" {
		return -1, nil
	}
	fd, err := strconv.Atoi(s)
	if err != nil || fd < 3 {
		// 0, 1 and 2 are the monitor's own /dev/null stdio.
		return -1, fmt.Errorf("bad file descriptor %q", s)
	}
	return fd, nil
}

// Args returns the command line (without the program name) that makes the
// monitor parse these options. File descriptors and the host user travel in
// the environment: see Env.
func (o *Options) Args() []string {
	var a []string
	add := func(name, v string) {
		if v != "" {
			a = append(a, "--"+name, v)
		}
	}
	add("id", o.ID)
	add("runtime", o.Runtime)
	add("runtime-root", o.RuntimeRoot)
	for _, v := range o.RuntimeArgs {
		a = append(a, "--runtime-arg="+v)
	}
	add("bundle", o.Bundle)
	add("pid-file", o.PidFile)
	add("exit-file", o.ExitFile)
	add("log-path", o.LogPath)
	if o.LogSizeMax > 0 {
		add("log-size-max", strconv.FormatInt(o.LogSizeMax, 10))
	}
	if o.LogMaxFiles > 0 {
		add("log-max-files", strconv.FormatUint(uint64(o.LogMaxFiles), 10))
	}
	if o.Passthrough {
		a = append(a, "--log-passthrough")
	}
	if o.TTY {
		a = append(a, "--tty")
	}
	if o.Stdin {
		a = append(a, "--stdin")
	}
	add("socket-dir", o.SocketDir)
	add("attach-socket", o.AttachSocket)
	add("detach-keys", o.DetachKeys)
	if o.RestartPolicy != "" && o.RestartPolicy != RestartNo {
		add("restart-policy", o.RestartPolicy)
		if o.RestartRetries > 0 {
			add("restart-retries", strconv.FormatUint(uint64(o.RestartRetries), 10))
		}
	}
	add("restart-file", o.RestartFile)
	add("stop-marker", o.StopMarker)
	if o.Healthcheck != nil {
		if b, err := json.Marshal(o.Healthcheck); err == nil {
			add("healthcheck", string(b))
		}
	}
	add("health-file", o.HealthFile)
	if o.Timeout > 0 {
		add("timeout", strconv.FormatUint(uint64(o.Timeout), 10))
	}
	add("network", string(o.Network))
	add("network-cmd", o.NetworkCmd)
	add("netns-path", o.NetnsPath)
	for _, v := range o.NetworkOpts {
		a = append(a, "--network-opt="+v)
	}
	add("debug-log", o.DebugLog)
	add("monitor-pid-file", o.MonitorPidFile)
	add("helper-pid-file", o.HelperPidFile)
	for _, v := range o.Forwarder {
		a = append(a, "--forwarder-arg="+v)
	}
	add("forwarder-pid-file", o.ForwarderPidFile)
	for _, v := range o.Reattach {
		a = append(a, "--reattach-arg="+v)
	}
	if len(o.Cleanup) > 0 {
		a = append(a, "--")
		a = append(a, o.Cleanup...)
	}
	return a
}

// Env returns the environment entries naming the descriptors (numbers as
// seen by the monitor, ExtraFiles[i] is 3+i) and the host user. Numbers
// below 3 (0 or -1) mean absent.
func (o *Options) Env() []string {
	var env []string
	if o.SyncFD > 2 {
		env = append(env, EnvSyncFD+"="+strconv.Itoa(o.SyncFD))
	}
	if o.CtlFD > 2 {
		env = append(env, EnvCtlFD+"="+strconv.Itoa(o.CtlFD))
	}
	if o.Attached() {
		fd := func(n int) string {
			if n < 3 {
				return "-"
			}
			return strconv.Itoa(n)
		}
		env = append(env, EnvAttachFDs+"="+fd(o.AttachIn)+","+fd(o.AttachOut)+","+fd(o.AttachErr))
	}
	if o.PreserveFD > 2 && o.PreserveCount > 0 {
		env = append(env, EnvPreserveFDs+"="+strconv.Itoa(o.PreserveFD)+","+strconv.Itoa(o.PreserveCount))
	}
	if o.HostUser != "" {
		env = append(env, EnvHostUser+"="+o.HostUser)
	}
	return env
}

// DescriptorEnv lists the variables naming inherited descriptors: the
// monitor removes them from its environment so that the runtime, the
// container and the cleanup command never see them.
func DescriptorEnv() []string { return []string{EnvSyncFD, EnvCtlFD, EnvAttachFDs, EnvPreserveFDs} }
