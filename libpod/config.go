package libpod

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/userns"
)

// The port_forwarder values of pod.conf.
const (
	PortForwarderPod   = "pod"
	PortForwarderPasta = "pasta"
)

// Config is pod's configuration: ~/.config/pod/pod.conf and
// ~/.config/pod/storage.conf, environment overrides, and derived paths.
type Config struct {
	// Runtime is "crun", "runc" or a path; "" picks crun, then runc.
	Runtime string `toml:"runtime"`
	// Network is the backend of the default network: "pasta",
	// "slirp4netns" or "" (pasta when installed, else slirp4netns).
	Network protocol.NetworkMode `toml:"network"`
	// PullPolicy is the default --pull policy of run and create.
	PullPolicy string `toml:"pull_policy"`
	// PastaOptions and Slirp4netnsOptions come before a container's own
	// --network options for that helper, in the same syntax
	// (["--map-gw"], ["allow_host_loopback=true"] open the host's
	// loopback to every container).
	PastaOptions       []string `toml:"pasta_options"`
	Slirp4netnsOptions []string `toml:"slirp4netns_options"`
	// PortForwarder forwards the published ports of pasta containers:
	// "pod" (the default: pod's own forwarder, as for slirp4netns) or
	// "pasta" (pasta's -t/-u, which keeps a remote client's address).
	PortForwarder string `toml:"port_forwarder"`

	// EventsBackend is "file" (the default) or "none" (no events written).
	EventsBackend string `toml:"events_backend"`
	// CgroupManager is "cgroupfs" (the default and only one pod has).
	CgroupManager string `toml:"cgroup_manager"`
	// RuntimeFlags are global options of the OCI runtime, placed before
	// its command ("--debug"); from --runtime-flag.
	RuntimeFlags []string `toml:"runtime_flags"`
	// NetworkCmdPath is the slirp4netns binary ("" looks it up in PATH).
	NetworkCmdPath string `toml:"network_cmd_path"`
	// VolumePath holds the named volumes ("" is StaticDir/volumes).
	VolumePath string `toml:"volume_path"`

	Storage StorageConfig `toml:"-"`
	// Overrides are the global options Apply put over the files; the
	// commands pod runs itself (the monitor's cleanup) get them again.
	Overrides Overrides `toml:"-"`

	// StaticDir holds container configs, names and logs (persistent).
	StaticDir string `toml:"-"`
	// RunDir holds per-boot state: exit files, bundles, locks.
	RunDir string `toml:"-"`
	// ConfigDir is ~/.config/pod.
	ConfigDir string `toml:"-"`
}

// StorageConfig is the subset of storage.conf pod reads.
type StorageConfig struct {
	Driver       string   `toml:"driver"`
	GraphRoot    string   `toml:"graphroot"`
	RunRoot      string   `toml:"runroot"`
	MountProgram string   `toml:"-"`
	MountOpt     string   `toml:"-"`
	Options      []string `toml:"-"`
}

type storageFile struct {
	Storage struct {
		Driver    string `toml:"driver"`
		GraphRoot string `toml:"graphroot"`
		RunRoot   string `toml:"runroot"`
		Options   struct {
			MountProgram string `toml:"mount_program"`
			MountOpt     string `toml:"mountopt"`
			Overlay      struct {
				MountProgram string `toml:"mount_program"`
				MountOpt     string `toml:"mountopt"`
			} `toml:"overlay"`
		} `toml:"options"`
	} `toml:"storage"`
}

func xdg(env, fallback string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	home := os.Getenv("HOME")
	return filepath.Join(home, fallback)
}

// LoadConfig reads pod's own configuration files (never another tool's, so
// that two engines never share a graph root). runtimeDir is the per-user
// runtime directory (XDG_RUNTIME_DIR or its fallback).
func LoadConfig(runtimeDir string) (*Config, error) {
	if os.Getenv("HOME") == "" {
		return nil, fmt.Errorf("HOME is not set: set it to your home directory: %w", define.ErrInvalidArg)
	}
	c := &Config{
		ConfigDir: filepath.Join(xdg("XDG_CONFIG_HOME", ".config"), "pod"),
		StaticDir: userns.DataDir(),
		RunDir:    filepath.Join(runtimeDir, "pod"),
	}
	podConf := filepath.Join(c.ConfigDir, "pod.conf")
	if _, err := toml.DecodeFile(podConf, c); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %s: fix or remove the file: %w", podConf, oneLine(err), define.ErrInvalidArg)
	}
	storageConf := os.Getenv("CONTAINERS_STORAGE_CONF")
	if storageConf == "" {
		storageConf = filepath.Join(c.ConfigDir, "storage.conf")
	}
	var sf storageFile
	if _, err := toml.DecodeFile(storageConf, &sf); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %s: fix or remove the file: %w", storageConf, oneLine(err), define.ErrInvalidArg)
	}
	s := &c.Storage
	s.Driver = sf.Storage.Driver
	s.GraphRoot = expandHome(sf.Storage.GraphRoot)
	s.RunRoot = expandHome(sf.Storage.RunRoot)
	s.MountProgram = firstNonEmpty(sf.Storage.Options.Overlay.MountProgram, sf.Storage.Options.MountProgram)
	s.MountOpt = firstNonEmpty(sf.Storage.Options.Overlay.MountOpt, sf.Storage.Options.MountOpt)
	if v := os.Getenv("STORAGE_DRIVER"); v != "" {
		s.Driver = v
	}
	if s.GraphRoot == "" {
		s.GraphRoot = filepath.Join(c.StaticDir, "storage")
	}
	if s.RunRoot == "" {
		s.RunRoot = filepath.Join(c.RunDir, "storage")
	}
	from := storageConf
	if os.Getenv("STORAGE_DRIVER") != "" {
		from = "$STORAGE_DRIVER"
	}
	if err := s.checkDriver(from); err != nil {
		return nil, err
	}
	for _, m := range []protocol.NetworkMode{protocol.NetworkPasta, protocol.NetworkSlirp4netns} {
		if _, _, err := helperArgs(m, c.helperOptions(m)); err != nil {
			return nil, fmt.Errorf("%s options in %s: %w", m, podConf, err)
		}
	}
	switch c.Network {
	case protocol.NetworkDefault, protocol.NetworkPasta, protocol.NetworkSlirp4netns:
	default:
		return nil, fmt.Errorf("network %q in %s is not supported: use pasta or slirp4netns: %w", c.Network, podConf, define.ErrInvalidArg)
	}
	switch c.PortForwarder {
	case "", PortForwarderPod, PortForwarderPasta:
	default:
		return nil, fmt.Errorf("port_forwarder %q in %s is not supported: use %q or %q: %w",
			c.PortForwarder, podConf, PortForwarderPod, PortForwarderPasta, define.ErrInvalidArg)
	}
	if err := checkEngineOptions(c.EventsBackend, c.CgroupManager); err != nil {
		return nil, fmt.Errorf("%s: %w", podConf, err)
	}
	return c, nil
}

// checkDriver checks the storage driver (named in from) and finds
// fuse-overlayfs's mount program when that is the driver.
func (s *StorageConfig) checkDriver(from string) error {
	if s.Driver == "overlay2" {
		s.Driver = "overlay"
	}
	switch s.Driver {
	case "", "overlay", "vfs":
	case "fuse-overlayfs":
		if s.MountProgram == "" {
			p, err := exec.LookPath("fuse-overlayfs")
			if err != nil {
				return fmt.Errorf("storage driver fuse-overlayfs: fuse-overlayfs not found: install it (sudo apt-get install fuse-overlayfs): %w", define.ErrMissingTool)
			}
			s.MountProgram = p
		}
	default:
		return fmt.Errorf("storage driver %q in %s is not supported: use overlay, fuse-overlayfs or vfs: %w", s.Driver, from, define.ErrInvalidArg)
	}
	return nil
}

// checkEngineOptions checks an events backend and a cgroup manager ("" is
// the default of each).
func checkEngineOptions(eventsBackend, cgroupManager string) error {
	switch eventsBackend {
	case "", "file", "none":
	case "journald":
		return fmt.Errorf("events backend journald is not supported: pod writes its events to a file; use --events-backend file or none: %w", define.ErrInvalidArg)
	default:
		return fmt.Errorf("%q is not a valid events backend: use file or none: %w", eventsBackend, define.ErrInvalidArg)
	}
	switch cgroupManager {
	case "", "cgroupfs":
	case "systemd":
		return fmt.Errorf("cgroup manager systemd is not supported: pod runs without systemd; use --cgroup-manager cgroupfs: %w", define.ErrInvalidArg)
	default:
		return fmt.Errorf("cgroup manager must be one of cgroupfs and systemd, not %q: %w", cgroupManager, define.ErrInvalidArg)
	}
	return nil
}

// Overrides are the engine settings given on the command line (the global
// options); "" and nil keep the configured value.
type Overrides struct {
	Root, RunRoot, StorageDriver string
	// StorageOpts replace the configured driver options when given; an
	// empty string clears them.
	StorageOpts    []string
	Runtime        string
	RuntimeFlags   []string
	TmpDir         string
	VolumePath     string
	NetworkCmdPath string
	EventsBackend  string
	CgroupManager  string
}

// Check validates the overrides that need nothing but themselves.
func (o *Overrides) Check() error {
	return checkEngineOptions(o.EventsBackend, o.CgroupManager)
}

// Apply puts the overrides into c. A different graph root takes the
// containers and volumes along (they live in ROOT/pod), so that --root
// names a whole separate store; --tmpdir is the per-boot state directory.
func (c *Config) Apply(o Overrides) error {
	if err := o.Check(); err != nil {
		return err
	}
	c.Overrides = o
	s := &c.Storage
	if o.TmpDir != "" {
		c.RunDir = absPath(o.TmpDir)
	}
	if o.Root != "" {
		s.GraphRoot = absPath(o.Root)
		c.StaticDir = filepath.Join(s.GraphRoot, "pod")
		// The run root counts the mounts of one graph root: another
		// graph root never shares it.
		sum := sha256.Sum256([]byte(s.GraphRoot))
		s.RunRoot = filepath.Join(c.RunDir, "storage-"+hex.EncodeToString(sum[:6]))
	}
	if o.RunRoot != "" {
		s.RunRoot = absPath(o.RunRoot)
	}
	if o.StorageDriver != "" {
		s.Driver = o.StorageDriver
		if err := s.checkDriver("--storage-driver"); err != nil {
			return err
		}
	}
	if o.StorageOpts != nil {
		s.Options = nil
		for _, opt := range o.StorageOpts {
			if opt != "" {
				s.Options = append(s.Options, opt)
			}
		}
	}
	if o.Runtime != "" {
		c.Runtime = o.Runtime
	}
	for _, f := range o.RuntimeFlags {
		if !strings.HasPrefix(f, "-") {
			f = "--" + f
		}
		c.RuntimeFlags = append(c.RuntimeFlags, f)
	}
	if o.VolumePath != "" {
		c.VolumePath = absPath(o.VolumePath)
	}
	if o.NetworkCmdPath != "" {
		c.NetworkCmdPath = o.NetworkCmdPath
	}
	if o.EventsBackend != "" {
		c.EventsBackend = o.EventsBackend
	}
	if o.CgroupManager != "" {
		c.CgroupManager = o.CgroupManager
	}
	return nil
}

// Args are the global options that give o again, as --flag=value.
func (o Overrides) Args() []string {
	var args []string
	for _, f := range []struct{ name, v string }{
		{"root", o.Root}, {"runroot", o.RunRoot}, {"storage-driver", o.StorageDriver}, {"runtime", o.Runtime},
		{"tmpdir", o.TmpDir}, {"volumepath", o.VolumePath}, {"network-cmd-path", o.NetworkCmdPath},
		{"events-backend", o.EventsBackend}, {"cgroup-manager", o.CgroupManager},
	} {
		if f.v != "" {
			args = append(args, "--"+f.name+"="+f.v)
		}
	}
	if o.StorageOpts != nil && len(o.StorageOpts) == 0 {
		args = append(args, "--storage-opt=")
	}
	for _, v := range o.StorageOpts {
		args = append(args, "--storage-opt="+v)
	}
	for _, v := range o.RuntimeFlags {
		args = append(args, "--runtime-flag="+v)
	}
	return args
}

// VolumeDir is the directory of the named volumes.
func (c *Config) VolumeDir() string {
	if c.VolumePath != "" {
		return c.VolumePath
	}
	return filepath.Join(c.StaticDir, "volumes")
}

func absPath(p string) string {
	if a, err := filepath.Abs(expandHome(p)); err == nil {
		return a
	}
	return p
}

// helperOptions are the configured options of a network helper.
func (c *Config) helperOptions(m protocol.NetworkMode) []string {
	switch m {
	case protocol.NetworkPasta:
		return c.PastaOptions
	case protocol.NetworkSlirp4netns:
		return c.Slirp4netnsOptions
	}
	return nil
}

// DriverName is the storage library's driver name for the configured driver.
func (s *StorageConfig) DriverName() string {
	if s.Driver == "fuse-overlayfs" || s.Driver == "" {
		return "overlay"
	}
	return s.Driver
}

// DriverOptions are the storage library's driver options.
func (s *StorageConfig) DriverOptions() []string {
	var o []string
	if s.DriverName() == "overlay" {
		if s.MountProgram != "" {
			o = append(o, "overlay.mount_program="+s.MountProgram)
		}
		if s.MountOpt != "" {
			o = append(o, "overlay.mountopt="+s.MountOpt)
		}
	}
	return append(o, s.Options...)
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "$HOME/") {
		return filepath.Join(os.Getenv("HOME"), p[strings.Index(p, "/")+1:])
	}
	return p
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
