package libpod

import (
	"maps"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
)

// InspectHostModes are HostConfig's namespace, cgroup and runtime fields.
type InspectHostModes struct {
	// CgroupManager is "cgroupfs"; CgroupMode "private" with an own
	// cgroup (the limits need one), else "host".
	CgroupManager string `json:"CgroupManager"`
	CgroupMode    string `json:"CgroupMode"`
	// ContainerIDFile is --cidfile ("" without).
	ContainerIDFile string   `json:"ContainerIDFile"`
	VolumeDriver    string   `json:"VolumeDriver"`
	IpcMode         string   `json:"IpcMode"`
	Cgroup          string   `json:"Cgroup"`
	Cgroups         string   `json:"Cgroups"`
	Links           []string `json:"Links"`
	PidMode         string   `json:"PidMode"`
	UTSMode         string   `json:"UTSMode"`
	// Runtime is "oci"; the runtime's name is the top-level OCIRuntime.
	Runtime     string  `json:"Runtime"`
	ConsoleSize [2]uint `json:"ConsoleSize"`
	Isolation   string  `json:"Isolation"`
	// CgroupConf is --cgroup-conf (null without).
	CgroupConf map[string]string `json:"CgroupConf"`
}

// InspectGraphDriver is the storage driver of a container's root
// filesystem.
type InspectGraphDriver struct {
	Name string            `json:"Name"`
	Data map[string]string `json:"Data"`
}

// InspectExtra are the top-level fields of inspect beyond the state and
// configuration: paths of the container's files, its capabilities, and
// fields pod keeps empty (pods, exec sessions, SELinux and AppArmor labels).
type InspectExtra struct {
	ImageDigest     string             `json:"ImageDigest"`
	Pod             string             `json:"Pod"`
	StaticDir       string             `json:"StaticDir"`
	OCIConfigPath   string             `json:"OCIConfigPath"`
	ConmonPidFile   string             `json:"ConmonPidFile"`
	PidFile         string             `json:"PidFile"`
	MountLabel      string             `json:"MountLabel"`
	ProcessLabel    string             `json:"ProcessLabel"`
	AppArmorProfile string             `json:"AppArmorProfile"`
	EffectiveCaps   []string           `json:"EffectiveCaps"`
	BoundingCaps    []string           `json:"BoundingCaps"`
	ExecIDs         []string           `json:"ExecIDs"`
	GraphDriver     InspectGraphDriver `json:"GraphDriver"`
	// SizeRw and SizeRootFs are set by inspect --size (ContainerSize).
	SizeRw       *int64   `json:"SizeRw,omitempty"`
	SizeRootFs   int64    `json:"SizeRootFs,omitempty"`
	Dependencies []string `json:"Dependencies"`
	Namespace    string   `json:"Namespace"`
	IsService    bool     `json:"IsService"`
}

// inspectShape fills the fields of podman's document that the other
// parts leave: paths, capabilities, modes, annotations and the empty
// defaults.
func (c *Container) inspectShape(out *InspectContainer) {
	cfg := c.Config
	caps := spec.CapabilitySet(cfg.Security, capLastCap())
	out.InspectExtra = InspectExtra{
		ImageDigest:   cfg.ImageDigest,
		StaticDir:     c.staticDir(),
		OCIConfigPath: filepath.Join(c.runDir(), "bundle", "config.json"),
		ConmonPidFile: c.monitorPidFile(),
		PidFile:       c.pidFile(),
		EffectiveCaps: nonNil(caps),
		BoundingCaps:  nonNil(caps),
		ExecIDs:       []string{},
		GraphDriver:   InspectGraphDriver{Name: out.Driver},
		Dependencies:  []string{},
	}
	if cfg.NetworkMode == protocol.NetworkContainer && len(cfg.NetworkOptions) > 0 {
		out.Dependencies = append(out.Dependencies, cfg.NetworkOptions[0])
	}
	out.Dependencies = append(out.Dependencies, c.dependencies()...)
	if x := cfg.Extras; x.PidFile != "" {
		out.PidFile = x.PidFile
	}
	if x := cfg.Extras; x.ConmonPidFile != "" {
		out.ConmonPidFile = x.ConmonPidFile
	}
	h := &out.HostConfig.InspectHostModes
	h.CgroupManager, h.CgroupMode, h.Cgroups = "cgroupfs", "host", "default"
	if p, _ := c.limitCgroup(); p != "" {
		h.CgroupMode = "private"
		out.State.CgroupPath = p
	}
	h.IpcMode, h.PidMode, h.UTSMode = "shareable", "private", "private"
	if cfg.NetworkMode == protocol.NetworkHost && cfg.Hostname == "" {
		h.UTSMode = "host"
	}
	c.inspectExtraModes(h)
	c.inspectCgroupModes(h)
	h.Runtime = "oci"

	ac := &out.Config
	ac.Hostname = c.hostname()
	ac.Passwd = !cfg.Passwd.Disabled
	ac.ChrootDirs = cfg.ChrootDirs
	ac.SdNotifyMode = "container"
	ac.CreateCommand = nonNil(cfg.CreateCommand)
	if ac.HealthcheckOnFailureAction == "" {
		ac.HealthcheckOnFailureAction = "none"
	}
	ac.Env = cfg.Extras.Env.Adjust(spec.MergeEnv(spec.DefaultEnv(ac.Hostname, c.homeGuess(ac.User)), cfg.ImageConfig.Env, cfg.Env, nil), cfg.Env)
	ac.Annotations = map[string]string{
		"io.container.manager":                "pod",
		"io.kubernetes.cri-o.Created":         cfg.Created.Format("2006-01-02T15:04:05.999999999Z07:00"),
		"io.kubernetes.cri-o.TTY":             strconv.FormatBool(cfg.Terminal),
		"io.podman.annotations.autoremove":    boolUpper(cfg.AutoRemove),
		"io.podman.annotations.init":          boolUpper(cfg.InitPath != ""),
		"io.podman.annotations.privileged":    boolUpper(cfg.Security.Privileged),
		"io.podman.annotations.publish-all":   boolUpper(cfg.PublishAll),
		"org.opencontainers.image.stopSignal": strconv.Itoa(int(c.stopSignal())),
	}
	maps.Copy(ac.Annotations, cfg.Extras.Annotations)
	ac.Timeout = cfg.Extras.Timeout
}

// hostname is the container's hostname: --hostname, the host's with the
// host's network, else the short id.
func (c *Container) hostname() string {
	if c.Config.Hostname != "" {
		return c.Config.Hostname
	}
	if c.Config.NetworkMode == protocol.NetworkHost {
		return ""
	}
	return c.Config.ID[:min(12, len(c.Config.ID))]
}

// homeGuess is HOME as the container's process gets it, for inspect
// (which does not read the container's /etc/passwd): /root for root, else
// none.
func (c *Container) homeGuess(user string) string {
	u, _, _ := strings.Cut(user, ":")
	if u == "" || u == "0" || u == "root" {
		return "/root"
	}
	return ""
}

// boolUpper is podman's annotation form of a bool.
func boolUpper(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}
