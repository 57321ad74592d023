package libpod

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"go.podman.io/image/v5/pkg/sysregistriesv2"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
)

// hostFacts fills the host block's machine facts and helper programs.
func (r *Runtime) hostFacts(ctx context.Context, h *HostInfo) {
	h.BuildahVersion = r.Version // the builder is pod's own
	h.CPUs = runtime.NumCPU()
	h.CgroupControllers = []string{}
	if h.CgroupVersion == "v2" {
		if data, err := os.ReadFile("/sys/fs/cgroup/cgroup.controllers"); err == nil {
			h.CgroupControllers = strings.Fields(string(data))
		}
	}
	h.CPUUtilization.UserPercent, h.CPUUtilization.SystemPercent, h.CPUUtilization.IdlePercent = cpuUtilization()
	h.Distribution.Distribution, h.Distribution.Version, h.Distribution.Codename = distribution()
	h.EventLogger = r.cfg.EventsBackend
	if h.EventLogger == "" {
		h.EventLogger = "file"
	}
	h.LogDriver = "k8s-file"
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) == nil {
		unit := int64(si.Unit)
		h.MemTotal, h.MemFree = int64(si.Totalram)*unit, int64(si.Freeram)*unit
		h.SwapTotal, h.SwapFree = int64(si.Totalswap)*unit, int64(si.Freeswap)*unit
		up := time.Duration(si.Uptime) * time.Second
		h.Uptime = fmt.Sprintf("%dh %dm %.2fs", int(up.Hours()), int(up.Minutes())%60, float64(int(up.Seconds())%60))
	}
	h.Security.DefaultCapabilities = strings.Join(spec.DefaultCapabilities(), ",")
	h.Linkmode = "dynamic"
	h.Conmon = ToolInfo{Path: r.MonitorPath, Version: "pod-monitor version " + r.Version}
	slirp := r.cfg.NetworkCmdPath
	if slirp == "" {
		slirp = string(protocol.NetworkSlirp4netns)
	}
	if p, err := exec.LookPath(slirp); err == nil {
		h.Slirp4NetNS = NetHelperInfo{Executable: p, Version: toolVersion(ctx, p, "--version")}
	}
	if p, err := exec.LookPath(string(protocol.NetworkPasta)); err == nil {
		h.Pasta = NetHelperInfo{Executable: p, Version: toolVersion(ctx, p, "--version")}
	}
}

// storeFacts fills the store block's options, usage and status.
func (r *Runtime) storeFacts(s *StoreInfo, status func() ([][2]string, error)) {
	s.GraphOptions = map[string]string{}
	for _, o := range r.cfg.Storage.DriverOptions() {
		if k, v, ok := strings.Cut(o, "="); ok {
			s.GraphOptions[k] = v
		}
	}
	var st unix.Statfs_t
	if unix.Statfs(s.GraphRoot, &st) == nil {
		s.GraphRootAllocated = st.Blocks * uint64(st.Bsize)
		s.GraphRootUsed = (st.Blocks - st.Bfree) * uint64(st.Bsize)
	}
	s.GraphStatus = map[string]string{}
	if kv, err := status(); err == nil {
		for _, p := range kv {
			s.GraphStatus[p[0]] = p[1]
		}
	}
	s.ImageCopyTmpDir = image.BigFilesDir()
	s.VolumePath = r.cfg.VolumeDir()
}

// searchRegistries is the registries block: the unqualified-search
// registries under "search", when there are any.
func searchRegistries() map[string]any {
	out := map[string]any{}
	if regs, err := sysregistriesv2.UnqualifiedSearchRegistries(nil); err == nil && len(regs) > 0 {
		out["search"] = regs
	}
	return out
}

// toolVersion is a program's version output, trimmed ("" on failure).
func toolVersion(ctx context.Context, path string, args ...string) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// cpuUtilization is the share of CPU time spent in user, system and idle
// since boot, in percent with two decimals (/proc/stat).
func cpuUtilization() (user, system, idle float64) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, 0
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, 0
	}
	var v [8]float64
	total := 0.0
	for i := 1; i < len(f) && i <= len(v); i++ {
		v[i-1], _ = strconv.ParseFloat(f[i], 64)
		total += v[i-1]
	}
	if total == 0 {
		return 0, 0, 0
	}
	pct := func(x float64) float64 { return float64(int(x/total*10000+0.5)) / 100 }
	return pct(v[0] + v[1]), pct(v[2]), pct(v[3])
}

// distribution is the host's ID, VERSION_ID and VERSION_CODENAME from
// os-release.
func distribution() (id, version, codename string) {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return "unknown", "unknown", ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		switch k {
		case "ID":
			id = v
		case "VERSION_ID":
			version = v
		case "VERSION_CODENAME":
			codename = v
		}
	}
	return id, version, codename
}
