package libpod

import (
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

	Storage StorageConfig `toml:"-"`

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
	if s.Driver == "overlay2" {
		s.Driver = "overlay"
	}
	if s.GraphRoot == "" {
		s.GraphRoot = filepath.Join(c.StaticDir, "storage")
	}
	if s.RunRoot == "" {
		s.RunRoot = filepath.Join(c.RunDir, "storage")
	}
	switch s.Driver {
	case "", "overlay", "vfs":
	case "fuse-overlayfs":
		if s.MountProgram == "" {
			p, err := exec.LookPath("fuse-overlayfs")
			if err != nil {
				return nil, fmt.Errorf("storage driver fuse-overlayfs: fuse-overlayfs not found: install it (sudo apt-get install fuse-overlayfs): %w", define.ErrMissingTool)
			}
			s.MountProgram = p
		}
	default:
		from := storageConf
		if os.Getenv("STORAGE_DRIVER") != "" {
			from = "$STORAGE_DRIVER"
		}
		return nil, fmt.Errorf("storage driver %q in %s is not supported: use overlay, fuse-overlayfs or vfs: %w", s.Driver, from, define.ErrInvalidArg)
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
	return c, nil
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
