package libpod

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
)

// InspectState is the State block of `inspect`.
type InspectState struct {
	OciVersion string    `json:"OciVersion"`
	Status     string    `json:"Status"`
	Running    bool      `json:"Running"`
	Paused     bool      `json:"Paused"`
	Restarting bool      `json:"Restarting"`
	OOMKilled  bool      `json:"OOMKilled"`
	Dead       bool      `json:"Dead"`
	Pid        int       `json:"Pid"`
	ConmonPid  int       `json:"ConmonPid,omitempty"`
	ExitCode   int       `json:"ExitCode"`
	Error      string    `json:"Error"`
	StartedAt  time.Time `json:"StartedAt"`
	FinishedAt time.Time `json:"FinishedAt"`
	// PauseMethod says how a paused container was paused ("sigstop").
	PauseMethod string `json:"PauseMethod,omitempty"`
	// Health is the health check's state; an empty status without one.
	Health protocol.HealthState `json:"Health"`
	// CgroupPath is the container's own cgroup ("" without one).
	CgroupPath string `json:"CgroupPath"`
	// CheckpointedAt and RestoredAt stay zero: pod has no checkpoints.
	CheckpointedAt time.Time `json:"CheckpointedAt"`
	RestoredAt     time.Time `json:"RestoredAt"`
}

// InspectHealthcheck is Config.Healthcheck: the image format's fields.
type InspectHealthcheck struct {
	Test        []string      `json:"Test,omitempty"`
	StartPeriod time.Duration `json:"StartPeriod,omitempty"`
	Interval    time.Duration `json:"Interval,omitempty"`
	Timeout     time.Duration `json:"Timeout,omitempty"`
	Retries     int           `json:"Retries,omitempty"`
}

// InspectRestartPolicy is HostConfig.RestartPolicy.
type InspectRestartPolicy struct {
	Name              string `json:"Name"`
	MaximumRetryCount uint   `json:"MaximumRetryCount"`
}

// InspectConfig is the Config block of `inspect`.
type InspectConfig struct {
	// Hostname is the container's hostname: --hostname, else the short id.
	Hostname     string `json:"Hostname"`
	Domainname   string `json:"Domainname"`
	User         string `json:"User"`
	AttachStdin  bool   `json:"AttachStdin"`
	AttachStdout bool   `json:"AttachStdout"`
	AttachStderr bool   `json:"AttachStderr"`
	Tty          bool   `json:"Tty"`
	OpenStdin    bool   `json:"OpenStdin"`
	StdinOnce    bool   `json:"StdinOnce"`
	// Env is the process's environment as the container starts with it.
	Env        []string            `json:"Env"`
	Cmd        []string            `json:"Cmd"`
	Image      string              `json:"Image"`
	Volumes    map[string]struct{} `json:"Volumes"`
	WorkingDir string              `json:"WorkingDir"`
	// Entrypoint is the entrypoint's words joined by spaces ("" = none).
	Entrypoint  string              `json:"Entrypoint"`
	OnBuild     *string             `json:"OnBuild"`
	Labels      map[string]string   `json:"Labels"`
	Annotations map[string]string   `json:"Annotations"`
	StopSignal  uint                `json:"StopSignal"`
	Healthcheck *InspectHealthcheck `json:"Healthcheck,omitempty"`
	// HealthcheckOnFailureAction: none, kill, restart or stop.
	HealthcheckOnFailureAction string `json:"HealthcheckOnFailureAction"`
	// CreateCommand is the command line that created the container.
	CreateCommand []string `json:"CreateCommand"`
	// Timeout is --timeout (0: none); StopTimeout the seconds stop waits.
	Timeout     uint `json:"Timeout"`
	StopTimeout uint `json:"StopTimeout"`
	// Passwd says whether /etc/passwd gets an entry for the user.
	Passwd bool `json:"Passwd"`
	// ChrootDirs are --chrootdirs.
	ChrootDirs   []string `json:"ChrootDirs,omitempty"`
	SdNotifyMode string   `json:"sdNotifyMode"`
	// Umask is the process's umask, four octal digits ("0022").
	Umask string `json:"Umask"`
	// Timezone is --tz ("local" or a zone name).
	Timezone string `json:"Timezone"`
}

// InspectHostConfig is the HostConfig block of `inspect`.
type InspectHostConfig struct {
	NetworkMode   string               `json:"NetworkMode"`
	AutoRemove    bool                 `json:"AutoRemove"`
	Privileged    bool                 `json:"Privileged"`
	CapAdd        []string             `json:"CapAdd"`
	CapDrop       []string             `json:"CapDrop"`
	SecurityOpt   []string             `json:"SecurityOpt"`
	RestartPolicy InspectRestartPolicy `json:"RestartPolicy"`
	LogConfig     InspectLogConfig     `json:"LogConfig"`
	// Sysctls, GroupAdd, Init and Devices are --sysctl, --group-add,
	// --init and --device.
	Sysctls  map[string]string `json:"Sysctls"`
	GroupAdd []string          `json:"GroupAdd"`
	Init     bool              `json:"Init"`
	Devices  []InspectDevice   `json:"Devices"`
	// PortBindings, PublishAllPorts, Dns, DnsSearch, DnsOptions and
	// ExtraHosts are -p/--expose, -P, --dns*, --add-host (inspectnet.go).
	PortBindings    map[string][]InspectHostPort `json:"PortBindings"`
	PublishAllPorts bool                         `json:"PublishAllPorts"`
	DNS             []string                     `json:"Dns"`
	DNSOptions      []string                     `json:"DnsOptions"`
	DNSSearch       []string                     `json:"DnsSearch"`
	ExtraHosts      []string                     `json:"ExtraHosts"`
	// The user namespace and resource fields (inspectres.go).
	InspectHostResources
	// Binds, Tmpfs, ReadonlyRootfs and VolumesFrom are -v/--mount,
	// --tmpfs, --read-only and --volumes-from (volumemount.go).
	Binds          []string          `json:"Binds"`
	Tmpfs          map[string]string `json:"Tmpfs"`
	ReadonlyRootfs bool              `json:"ReadonlyRootfs"`
	VolumesFrom    []string          `json:"VolumesFrom"`
	// The namespace and cgroup modes (inspectshape.go).
	InspectHostModes
}

// InspectContainer is the JSON `inspect` prints for a container.
type InspectContainer struct {
	ID             string            `json:"Id"`
	Created        time.Time         `json:"Created"`
	Path           string            `json:"Path"`
	Args           []string          `json:"Args"`
	State          InspectState      `json:"State"`
	Image          string            `json:"Image"`
	ImageName      string            `json:"ImageName"`
	Rootfs         string            `json:"Rootfs"`
	ResolvConfPath string            `json:"ResolvConfPath"`
	HostnamePath   string            `json:"HostnamePath"`
	HostsPath      string            `json:"HostsPath"`
	Name           string            `json:"Name"`
	RestartCount   int               `json:"RestartCount"`
	Driver         string            `json:"Driver"`
	OCIRuntime     string            `json:"OCIRuntime"`
	LogPath        string            `json:"LogPath"`
	Mounts         []any             `json:"Mounts"`
	Config         InspectConfig     `json:"Config"`
	HostConfig     InspectHostConfig `json:"HostConfig"`
	// NetworkSettings: the published ports (inspectnet.go).
	NetworkSettings *InspectNetworkSettings `json:"NetworkSettings"`
	IsInfra         bool                    `json:"IsInfra"`
	// The paths, capabilities and other fields of podman's document
	// (inspectshape.go).
	InspectExtra
}

// ProcessArgs returns the command line the container runs (entrypoint + cmd).
func (c *Container) ProcessArgs() []string {
	return processArgs(c.Config)
}

// inspect returns the container's inspect data; the state should be fresh.
func (c *Container) inspect() *InspectContainer {
	cfg, st := c.Config, c.State
	args := c.ProcessArgs()
	path := ""
	if len(args) > 0 {
		path, args = args[0], args[1:]
	}
	ep := cfg.ImageConfig.Entrypoint
	if cfg.Entrypoint != nil {
		ep = spec.ParseEntrypoint(*cfg.Entrypoint)
	}
	runtimeName := c.r.cfg.Runtime
	if c.r.oci != nil {
		runtimeName = c.r.oci.Name()
	}
	rd := c.runDir()
	user := cfg.User
	if user == "" {
		user = cfg.ImageConfig.User
	}
	out := &InspectContainer{
		ID:      cfg.ID,
		Created: cfg.Created,
		Path:    path,
		Args:    args,
		State: InspectState{
			OciVersion:  "1.1.0",
			Status:      string(st.Status),
			Running:     st.Status == define.StatusRunning,
			Paused:      st.Status == define.StatusPaused,
			PauseMethod: st.PauseMethod,
			OOMKilled:   st.OOMKilled,
			Pid:         st.Pid,
			ConmonPid:   st.MonitorPid,
			ExitCode:    st.ExitCode,
			Error:       st.Error,
			StartedAt:   st.StartedAt,
			FinishedAt:  st.FinishedAt,
		},
		RestartCount:   c.restartCount(),
		Image:          cfg.ImageID,
		ImageName:      cfg.ImageName,
		Rootfs:         cfg.Rootfs,
		ResolvConfPath: rd + "/resolv.conf",
		HostnamePath:   rd + "/hostname",
		HostsPath:      rd + "/hosts",
		Name:           cfg.Name,
		Driver:         c.r.cfg.Storage.DriverName(),
		OCIRuntime:     runtimeName,
		LogPath:        c.logPath(),
		Mounts:         []any{},
		Config: InspectConfig{
			User:        user,
			Cmd:         cmdOf(cfg),
			Image:       cfg.ImageName,
			WorkingDir:  firstNonEmpty(cfg.WorkDir, cfg.ImageConfig.WorkingDir, "/"),
			Entrypoint:  strings.Join(ep, " "),
			Labels:      cfg.Labels,
			Tty:         cfg.Terminal,
			OpenStdin:   cfg.Stdin,
			StopSignal:  uint(c.stopSignal()),
			StopTimeout: cfg.StopTimeout,
		},
		HostConfig: InspectHostConfig{NetworkMode: string(cfg.NetworkMode), AutoRemove: cfg.AutoRemove,
			Privileged: cfg.Security.Privileged, CapAdd: nonNil(cfg.Security.CapAdd), CapDrop: nonNil(cfg.Security.CapDrop),
			SecurityOpt: securityOpts(cfg.Security), RestartPolicy: InspectRestartPolicy{Name: cfg.RestartPolicy, MaximumRetryCount: cfg.RestartRetries}},
	}
	if h := c.health(); h != nil {
		out.State.Health = *h
	}
	if hc := cfg.Healthcheck; hc != nil {
		out.Config.Healthcheck = &InspectHealthcheck{Test: hc.Test, StartPeriod: hc.StartPeriod, Interval: hc.Interval, Timeout: hc.Timeout, Retries: hc.Retries}
		out.Config.HealthcheckOnFailureAction = hc.OnFailure
	}
	c.inspectRunFlags(out)
	c.inspectMounts(out)
	c.inspectNetwork(out)
	c.inspectResources(out)
	out.HostConfig.LogConfig = c.inspectLogConfig()
	c.inspectShape(out)
	return out
}

// restartCount is how often the monitor restarted the current run.
func (c *Container) restartCount() int {
	data, err := os.ReadFile(c.restartFile())
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return n
}

func cmdOf(cfg *ContainerConfig) []string {
	if len(cfg.Command) > 0 {
		return cfg.Command
	}
	if cfg.Entrypoint != nil {
		return nil
	}
	return cfg.ImageConfig.Cmd
}

func processArgs(cfg *ContainerConfig) []string {
	args, err := spec.ProcessArgs(cfg.ImageConfig, cfg.Entrypoint, cfg.Command)
	if err != nil {
		return nil
	}
	return args
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// securityOpts renders the security settings as --security-opt values.
func securityOpts(sec spec.Security) []string {
	out := []string{}
	if sec.NoNewPrivileges {
		out = append(out, "no-new-privileges")
	}
	switch sec.Seccomp {
	case "":
	case "unconfined":
		out = append(out, "seccomp=unconfined")
	default:
		out = append(out, "seccomp=<profile>")
	}
	if len(sec.Mask) > 0 {
		out = append(out, "mask="+strings.Join(sec.Mask, ":"))
	}
	if len(sec.Unmask) > 0 {
		out = append(out, "unmask="+strings.Join(sec.Unmask, ":"))
	}
	return out
}
