package libpod

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/userns"
)

// IDMap is one line of a uid or gid map.
type IDMap struct {
	ContainerID int `json:"container_id"`
	HostID      int `json:"host_id"`
	Size        int `json:"size"`
}

// Info is what `pod info` reports: podman's document.
type Info struct {
	Host       HostInfo       `json:"host"`
	Store      StoreInfo      `json:"store"`
	Registries map[string]any `json:"registries"`
	Plugins    PluginsInfo    `json:"plugins"`
	Version    VersionInfo    `json:"version"`
}

// ToolInfo describes a helper program: the monitor (podman's conmon key),
// the OCI runtime, pasta and slirp4netns.
type ToolInfo struct {
	Package string `json:"package"`
	Path    string `json:"path"`
	Version string `json:"version"`
}

// NetHelperInfo is a network helper as podman names its fields.
type NetHelperInfo struct {
	Executable string `json:"executable"`
	Package    string `json:"package"`
	Version    string `json:"version"`
}

// HostInfo describes the machine and the tools pod uses.
type HostInfo struct {
	Arch              string   `json:"arch"`
	BuildahVersion    string   `json:"buildahVersion"`
	CgroupManager     string   `json:"cgroupManager"`
	CgroupVersion     string   `json:"cgroupVersion"`
	CgroupControllers []string `json:"cgroupControllers"`
	// Conmon is pod-monitor, under the key tools read for podman's.
	Conmon         ToolInfo `json:"conmon"`
	CPUs           int      `json:"cpus"`
	CPUUtilization struct {
		UserPercent   float64 `json:"userPercent"`
		SystemPercent float64 `json:"systemPercent"`
		IdlePercent   float64 `json:"idlePercent"`
	} `json:"cpuUtilization"`
	Distribution struct {
		Distribution string `json:"distribution"`
		Version      string `json:"version"`
		Codename     string `json:"codename"`
	} `json:"distribution"`
	EventLogger    string `json:"eventLogger"`
	Hostname       string `json:"hostname"`
	Kernel         string `json:"kernel"`
	OS             string `json:"os"`
	NetworkBackend string `json:"networkBackend"`
	IDMappings     struct {
		UIDMap []IDMap `json:"uidmap"`
		GIDMap []IDMap `json:"gidmap"`
	} `json:"idMappings"`
	LogDriver  string `json:"logDriver"`
	MemFree    int64  `json:"memFree"`
	MemTotal   int64  `json:"memTotal"`
	OCIRuntime struct {
		Name    string `json:"name"`
		Package string `json:"package"`
		Path    string `json:"path"`
		Version string `json:"version"`
	} `json:"ociRuntime"`
	// RemoteSocket is empty: pod has no API service.
	RemoteSocket struct {
		Path string `json:"path"`
	} `json:"remoteSocket"`
	ServiceIsRemote bool `json:"serviceIsRemote"`
	Security        struct {
		AppArmorEnabled     bool   `json:"apparmorEnabled"`
		DefaultCapabilities string `json:"capabilities"`
		Rootless            bool   `json:"rootless"`
		SECCOMPEnabled      bool   `json:"seccompEnabled"`
		SECCOMPProfilePath  string `json:"seccompProfilePath"`
		SELinuxEnabled      bool   `json:"selinuxEnabled"`
	} `json:"security"`
	Slirp4NetNS NetHelperInfo `json:"slirp4netns"`
	Pasta       NetHelperInfo `json:"pasta"`
	SwapFree    int64         `json:"swapFree"`
	SwapTotal   int64         `json:"swapTotal"`
	Uptime      string        `json:"uptime"`
	Linkmode    string        `json:"linkmode"`
	Rootless    bool          `json:"rootless"`
}

// StoreInfo describes the storage.
type StoreInfo struct {
	ConfigFile     string `json:"configFile"`
	ContainerStore struct {
		Number  int `json:"number"`
		Paused  int `json:"paused"`
		Running int `json:"running"`
		Stopped int `json:"stopped"`
	} `json:"containerStore"`
	GraphDriverName    string            `json:"graphDriverName"`
	GraphOptions       map[string]string `json:"graphOptions"`
	GraphRoot          string            `json:"graphRoot"`
	GraphRootAllocated uint64            `json:"graphRootAllocated"`
	GraphRootUsed      uint64            `json:"graphRootUsed"`
	GraphStatus        map[string]string `json:"graphStatus"`
	ImageCopyTmpDir    string            `json:"imageCopyTmpDir"`
	ImageStore         struct {
		Number int `json:"number"`
	} `json:"imageStore"`
	RunRoot    string `json:"runRoot"`
	VolumePath string `json:"volumePath"`
}

// PluginsInfo lists the volume, network and log drivers pod has.
type PluginsInfo struct {
	Volume        []string `json:"volume"`
	Network       []string `json:"network"`
	Log           []string `json:"log"`
	Authorization []string `json:"authorization"`
}

// VersionInfo is pod's version, as `pod version` (Client) and the version
// block of `pod info` show it. Built is the build time in Unix seconds
// and BuiltTime the same in time.ANSIC; GitCommit is "" when unknown.
type VersionInfo struct {
	APIVersion string
	Version    string
	GoVersion  string
	GitCommit  string
	BuiltTime  string
	Built      int64
	OsArch     string
	Os         string
}

func readIDMap(path string) []IDMap {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []IDMap
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m IDMap
		if n, _ := fmt.Sscanf(sc.Text(), "%d %d %d", &m.ContainerID, &m.HostID, &m.Size); n == 3 {
			out = append(out, m)
		}
	}
	return out
}

// GetInfo gathers host, runtime and store information.
func (r *Runtime) Info(ctx context.Context) (*Info, error) {
	info := &Info{}
	h := &info.Host
	h.Arch, h.OS = runtime.GOARCH, runtime.GOOS
	h.CgroupManager = "cgroupfs"
	var st unix.Statfs_t
	h.CgroupVersion = "v1"
	if unix.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		h.CgroupVersion = "v2"
	}
	h.Hostname, _ = os.Hostname()
	var uts unix.Utsname
	if unix.Uname(&uts) == nil {
		h.Kernel = unix.ByteSliceToString(uts.Release[:])
	}
	h.NetworkBackend = string(r.defaultNetwork())
	h.IDMappings.UIDMap = readIDMap("/proc/self/uid_map")
	h.IDMappings.GIDMap = readIDMap("/proc/self/gid_map")
	h.Rootless = userns.InNamespace() || os.Geteuid() != 0
	h.Security.Rootless = h.Rootless
	h.Security.SECCOMPEnabled = true
	if oci, err := r.OCIRuntime(); err == nil {
		h.OCIRuntime.Name, h.OCIRuntime.Path = oci.Name(), oci.Path
		h.OCIRuntime.Version, _ = oci.Version(ctx)
	}
	r.hostFacts(ctx, h)
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	s := &info.Store
	s.ConfigFile = filepath.Join(r.cfg.ConfigDir, "storage.conf")
	s.GraphDriverName = store.GraphDriverName()
	if r.cfg.Storage.Driver == "fuse-overlayfs" {
		s.GraphDriverName = "overlay"
	}
	s.GraphRoot, s.RunRoot = store.GraphRoot(), store.RunRoot()
	r.storeFacts(s, store.Status)
	info.Registries = searchRegistries()
	info.Plugins = PluginsInfo{Volume: []string{"local"}, Network: []string{"bridge", "pasta", "slirp4netns"},
		Log: []string{"k8s-file", "none", "passthrough"}}
	ctrs, _, err := r.ListContainers()
	if err == nil {
		s.ContainerStore.Number = len(ctrs)
		for _, c := range ctrs {
			switch c.State.Status {
			case define.StatusRunning:
				s.ContainerStore.Running++
			case define.StatusPaused:
				s.ContainerStore.Paused++
			default:
				s.ContainerStore.Stopped++
			}
		}
	}
	if imgs, err := store.Images(); err == nil {
		s.ImageStore.Number = len(imgs)
	}
	return info, nil
}
