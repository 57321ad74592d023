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

// Info is what `pod info` reports.
type Info struct {
	Host    HostInfo    `json:"host"`
	Store   StoreInfo   `json:"store"`
	Version VersionInfo `json:"version"`
}

// HostInfo describes the machine and the tools pod uses.
type HostInfo struct {
	Arch           string `json:"arch"`
	CgroupManager  string `json:"cgroupManager"`
	CgroupVersion  string `json:"cgroupVersion"`
	Hostname       string `json:"hostname"`
	Kernel         string `json:"kernel"`
	OS             string `json:"os"`
	NetworkBackend string `json:"networkBackend"`
	IDMappings     struct {
		UIDMap []IDMap `json:"uidmap"`
		GIDMap []IDMap `json:"gidmap"`
	} `json:"idMappings"`
	OCIRuntime struct {
		Name    string `json:"name"`
		Path    string `json:"path"`
		Version string `json:"version"`
	} `json:"ociRuntime"`
	Security struct {
		Rootless       bool `json:"rootless"`
		SeccompEnabled bool `json:"seccompEnabled"`
	} `json:"security"`
	Rootless bool `json:"rootless"`
}

// StoreInfo describes the storage.
type StoreInfo struct {
	ConfigFile      string `json:"configFile"`
	GraphDriverName string `json:"graphDriverName"`
	GraphRoot       string `json:"graphRoot"`
	RunRoot         string `json:"runRoot"`
	ContainerStore  struct {
		Number  int `json:"number"`
		Paused  int `json:"paused"`
		Running int `json:"running"`
		Stopped int `json:"stopped"`
	} `json:"containerStore"`
	ImageStore struct {
		Number int `json:"number"`
	} `json:"imageStore"`
}

// VersionInfo is the version block of `pod info`.
type VersionInfo struct {
	APIVersion string
	Version    string
	GoVersion  string
	OsArch     string
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
	h.Security.SeccompEnabled = true
	if oci, err := r.OCIRuntime(); err == nil {
		h.OCIRuntime.Name, h.OCIRuntime.Path = oci.Name(), oci.Path
		h.OCIRuntime.Version, _ = oci.Version(ctx)
	}
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
