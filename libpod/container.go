package libpod

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
	"golang.org/x/sys/unix"
)

// ContainerConfig is written at create; only rename changes it (the name).
type ContainerConfig struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Created     time.Time `json:"created"`
	Image       string    `json:"image"`     // the name the user gave, normalised
	ImageID     string    `json:"imageId"`   // storage image id
	ImageName   string    `json:"imageName"` // full name of the image used
	ImageDigest string    `json:"imageDigest,omitempty"`
	// CreateCommand is the command line that created the container.
	CreateCommand []string             `json:"createCommand,omitempty"`
	Command       []string             `json:"command,omitempty"`
	Entrypoint    *string              `json:"entrypoint,omitempty"`
	Env           []string             `json:"env,omitempty"` // user values, host lookups already done
	WorkDir       string               `json:"workDir,omitempty"`
	User          string               `json:"user,omitempty"`
	Hostname      string               `json:"hostname,omitempty"`
	Terminal      bool                 `json:"terminal,omitempty"`
	Stdin         bool                 `json:"stdin,omitempty"`
	Labels        map[string]string    `json:"labels,omitempty"`
	NetworkMode   protocol.NetworkMode `json:"networkMode"` // "" (the default network), none, host, pasta, slirp4netns, container, ns
	// NetworkOptions are the helper's options from --network MODE:OPTIONS;
	// for container (the other container's id) and ns (the path) the one
	// value.
	NetworkOptions []string `json:"networkOptions,omitempty"`
	// Networks are the user networks of a bridge container (--network
	// NAME, network connect), by name.
	Networks map[string]NetworkAttach `json:"networks,omitempty"`
	// DNS is --dns, --dns-search and --dns-option.
	DNS DNSConfig `json:"dns,omitempty"`
	// ExtraHosts are --add-host's HOST:IP; NoHosts keeps the image's
	// /etc/hosts (--no-hosts).
	ExtraHosts []string `json:"extraHosts,omitempty"`
	NoHosts    bool     `json:"noHosts,omitempty"`
	// Expose are --expose's ports ("80/tcp"); PublishAll is -P.
	Expose      []string         `json:"expose,omitempty"`
	PublishAll  bool             `json:"publishAll,omitempty"`
	AutoRemove  bool             `json:"autoRemove,omitempty"`
	StopSignal  string           `json:"stopSignal,omitempty"`
	StopTimeout uint             `json:"stopTimeout"`
	ImageConfig spec.ImageConfig `json:"imageConfig"`
	Security    spec.Security    `json:"security,omitempty"`
	// RestartPolicy (protocol.RestartNo when empty) and its retry limit.
	RestartPolicy  string `json:"restartPolicy,omitempty"`
	RestartRetries uint   `json:"restartRetries,omitempty"`
	// Healthcheck is the check the monitor runs (nil: none).
	Healthcheck *protocol.Healthcheck `json:"healthcheck,omitempty"`
	// PortMappings are the published ports.
	PortMappings []PortMapping `json:"portMappings,omitempty"`
	// Sysctl are the --sysctl values, checked against the network mode.
	Sysctl map[string]string `json:"sysctl,omitempty"`
	// GroupAdd are the --group-add gids and group names; names are
	// resolved in the container's /etc/group at each start.
	GroupAdd []string `json:"groupAdd,omitempty"`
	// Umask is --umask in four octal digits; "" is spec.DefaultUmask.
	Umask string `json:"umask,omitempty"`
	// Timezone is --tz: "local" or a zone below /usr/share/zoneinfo,
	// mounted at /etc/localtime; "" keeps the image's.
	Timezone string `json:"timezone,omitempty"`
	// InitPath is the host's init binary --init runs as pid 1; "" = none.
	InitPath string `json:"initPath,omitempty"`
	// Devices are the --device nodes, bind-mounted from the host.
	Devices []spec.Device `json:"devices,omitempty"`
	// Log is --log-driver and --log-opt.
	Log LogConfig `json:"log,omitempty"`
	// Mounts are the -v, --mount, --tmpfs and --volumes-from mounts and
	// the image's VOLUMEs, volume names filled in at create (volumemount.go).
	Mounts []spec.Mount `json:"mounts,omitempty"`
	// ReadOnly is --read-only; ReadOnlyTmpfs mounts a tmpfs on /tmp,
	// /var/tmp and /run then. VolumesFrom are the --volumes-from values.
	ReadOnly      bool     `json:"readOnly,omitempty"`
	ReadOnlyTmpfs bool     `json:"readOnlyTmpfs,omitempty"`
	VolumesFrom   []string `json:"volumesFrom,omitempty"`
	// Userns is the container's own user namespace (nil: pod's own).
	Userns *UsernsConfig `json:"userns,omitempty"`
	// Resources are the resource flags (nil: none given).
	Resources *spec.Resources `json:"resources,omitempty"`
	// Extras are the run flags of runextras.go.
	Extras RunExtras `json:"extras,omitzero"`
	// Passwd is --passwd, --passwd-entry and --hostuser (passwd.go).
	Passwd PasswdConfig `json:"passwd,omitzero"`
	// ChrootDirs are --chrootdirs: directories that get the container's
	// /etc/hosts and /etc/resolv.conf below them too.
	ChrootDirs []string `json:"chrootDirs,omitempty"`
	// Rootfs is the host directory a --rootfs container runs on (no
	// image); RootfsOverlay (":O") runs it on an overlay of it (rootfs.go).
	Rootfs        string `json:"rootfs,omitempty"`
	RootfsOverlay bool   `json:"rootfsOverlay,omitempty"`
}

// ContainerState changes over the container's life; state.json.
type ContainerState struct {
	Status       define.ContainerStatus `json:"status"`
	Pid          int                    `json:"pid,omitempty"`
	PidStart     uint64                 `json:"pidStart,omitempty"` // start time of Pid: a reused pid is not the container
	MonitorPid   int                    `json:"monitorPid,omitempty"`
	MonitorStart uint64                 `json:"monitorStart,omitempty"`
	BootID       string                 `json:"bootId,omitempty"`      // the boot the container last started in
	PauseMethod  string                 `json:"pauseMethod,omitempty"` // how a paused container was paused
	StartedAt    time.Time              `json:"startedAt,omitempty"`
	FinishedAt   time.Time              `json:"finishedAt,omitempty"`
	ExitCode     int                    `json:"exitCode"`
	OOMKilled    bool                   `json:"oomKilled,omitempty"`
	Mountpoint   string                 `json:"mountpoint,omitempty"`
	// Starting is set by start before it creates anything of a run (run
	// directory, network namespace, mount, monitor) and cleared once the
	// run is recorded or released: a state that does not run and has
	// neither Starting nor Mountpoint holds nothing to clean up and has no
	// unrecorded monitor, so listings skip looking for them.
	Starting bool   `json:"starting,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Container is one container: its config (fixed at create but for the name) and its last known state.
type Container struct {
	r      *Runtime
	Config *ContainerConfig
	State  *ContainerState
	events *pendingEvents // transition events of State, written when it is saved
	// neverStarted: the last read found no state file, so no start has
	// begun (start saves the state before it spawns the monitor) and there
	// is no monitor record to look for.
	neverStarted bool
}

// ID returns the container id.
func (c *Container) ID() string { return c.Config.ID }

// Name returns the container name.
func (c *Container) Name() string { return c.Config.Name }

func (c *Container) staticDir() string {
	return filepath.Join(c.r.cfg.StaticDir, "containers", c.Config.ID)
}

// runDir is the per-boot directory of the container.
func (c *Container) runDir() string { return filepath.Join(c.r.cfg.RunDir, "containers", c.Config.ID) }

// logPath is the container's k8s-file log, "" when its log driver writes none.
func (c *Container) logPath() string { return c.logFilePath() }

// exitFile is written by the monitor when the container exits, in the
// data directory: it outlives a lost runtime directory.
func (c *Container) exitFile() string { return filepath.Join(c.staticDir(), "exit") }

// monitorPidFile is the pid record the monitor writes when it starts.
func (c *Container) monitorPidFile() string { return filepath.Join(c.staticDir(), "monitor.pid") }

// helperPidFile is the pid record of the network helper.
func (c *Container) helperPidFile() string { return filepath.Join(c.runDir(), "helper.pid") }

// pidFile is where the OCI runtime writes the container's init pid.
func (c *Container) pidFile() string { return filepath.Join(c.runDir(), "pidfile") }

// restartFile holds the number of restarts of the current run.
func (c *Container) restartFile() string { return filepath.Join(c.staticDir(), "restarts") }

// stopMarker exists while the user has stopped the container: the
// monitor does not restart it.
func (c *Container) stopMarker() string { return filepath.Join(c.staticDir(), "stopped") }

// healthFile is the monitor's health check state.
func (c *Container) healthFile() string { return filepath.Join(c.staticDir(), "health.json") }

func (c *Container) statePath() string { return filepath.Join(c.staticDir(), "state.json") }

func (r *Runtime) containerIDs() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(r.cfg.StaticDir, "containers"))
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	ids := make([]string, 0, len(ents))
	for _, e := range ents {
		if e.IsDir() && len(e.Name()) == 64 {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}

// loadContainer reads config.json and state.json of id.
func (r *Runtime) loadContainer(id string) (*Container, error) {
	var buf []byte
	return r.loadContainerAt(unix.AT_FDCWD, id, &buf)
}

// loadContainerAt is loadContainer with the files opened relative to
// dirfd, the open containers directory (AT_FDCWD: by their full paths).
// Listings open the directory once: each file is then a short lookup. The
// files are read into *buf, which keeps the grown buffer for the next call.
func (r *Runtime) loadContainerAt(dirfd int, id string, buf *[]byte) (*Container, error) {
	dir := filepath.Join(r.cfg.StaticDir, "containers", id)
	cfgPath := filepath.Join(dir, "config.json")
	rel := func(full, name string) string {
		if dirfd == unix.AT_FDCWD {
			return full
		}
		return id + "/" + name
	}
	data, err := readSmallFileAt(dirfd, rel(cfgPath, "config.json"), cfgPath, *buf)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", id, define.ErrNoSuchCtr)
		}
		return nil, fmt.Errorf("read container %s: %w", id, err)
	}
	*buf = data
	cfg := new(ContainerConfig)
	if err := decodeJSON(data, cfg); err != nil || cfg.ID != id {
		return nil, fmt.Errorf("container %s: %s is corrupt: remove the container with `pod rm -f %s`: %w",
			id, cfgPath, id[:12], define.ErrCorruptState)
	}
	c := &Container{r: r, Config: cfg}
	statePath := c.statePath()
	data, err = readSmallFileAt(dirfd, rel(statePath, "state.json"), statePath, *buf)
	if err == nil {
		*buf = data
	}
	st, err := c.decodeState(data, err)
	if err != nil {
		return nil, err
	}
	c.State = st
	return c, nil
}

func (c *Container) readState() (*ContainerState, error) {
	return c.decodeState(readSmallFile(c.statePath()))
}

// decodeState decodes state.json's content data (err: reading it failed).
func (c *Container) decodeState(data []byte, err error) (*ContainerState, error) {
	c.neverStarted = errors.Is(err, os.ErrNotExist)
	if err != nil {
		if c.neverStarted {
			return &ContainerState{Status: define.StatusCreated}, nil
		}
		return nil, fmt.Errorf("read state of container %s: %w", c.Config.ID, err)
	}
	st := new(ContainerState)
	if err := decodeJSON(data, st); err != nil || !st.Status.Valid() {
		return nil, fmt.Errorf("container %s: state file %s is corrupt: remove the container with `pod rm -f %s`: %w",
			c.Name(), c.statePath(), c.Config.ID[:12], define.ErrCorruptState)
	}
	return st, nil
}

// saveState writes state.json so that it survives a crash, but for a --rm
// container: it is removed as its run ends, and after a crash its state
// holds nothing a user would keep (the boot id tells that it ended).
func (c *Container) saveState() error { return c.writeState(!c.Config.AutoRemove) }

// writeState writes state.json atomically; durable waits for the disk.
func (c *Container) writeState(durable bool) error {
	if durable {
		return c.flushEvents(fsutil.WriteJSONAtomic(c.statePath(), c.State, 0o600))
	}
	data, err := json.Marshal(c.State)
	if err != nil {
		return fmt.Errorf("encode state of %s: %w", c.Name(), err)
	}
	return c.flushEvents(fsutil.ReplaceFile(c.statePath(), data, 0o600))
}

// Lock takes the container's lock and re-reads its state (lock → sync). The
// caller must call the returned unlock function.
func (c *Container) lockAndSync() (func(), error) {
	release := c.r.signals.hold()
	l, err := c.r.locks.Acquire(c.Config.ID)
	if err != nil {
		release()
		return nil, err
	}
	unlock := func() { l.Close(); release() }
	if _, err := os.Stat(filepath.Join(c.staticDir(), "config.json")); err != nil {
		unlock()
		return nil, fmt.Errorf("%s: %w", c.Name(), define.ErrNoSuchCtr)
	}
	st, err := c.readState()
	if err != nil {
		unlock()
		return nil, err
	}
	c.State = st
	if c.syncState() {
		if err := c.saveState(); err != nil {
			unlock()
			return nil, err
		}
	}
	return unlock, nil
}

// refresh re-reads the state without taking the lock (for read-only views).
func (c *Container) refresh() error {
	st, err := c.readState()
	if err != nil {
		return err
	}
	c.State = st
	c.syncState()
	return nil
}
