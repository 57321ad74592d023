package libpod

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/procfs"
)

// cgroupRoot is where the unified cgroup hierarchy is mounted.
const cgroupRoot = "/sys/fs/cgroup"

// ContainerStats is a container's resource use as its cgroup counts it. A
// container that does not run has only its ID and Name.
type ContainerStats struct {
	ID, Name string
	// Read is when the counters were read; Started when the container
	// started (for the average CPU use).
	Read, Started time.Time
	// CPUNano is the CPU time the container used, in nanoseconds.
	CPUNano uint64
	// MemUsage and MemLimit are in bytes; MemLimit is the machine's memory
	// when the cgroup has no limit.
	MemUsage, MemLimit uint64
	// NetInput and NetOutput are bytes received and sent on the
	// container's interfaces but loopback; BlockInput and BlockOutput bytes
	// read and written.
	NetInput, NetOutput     uint64
	BlockInput, BlockOutput uint64
	PIDs                    uint64
}

// errNoStats is podman's error where rootless containers have no cgroup
// to read: "stats is not supported in rootless mode without cgroups v2".
func errNoStats() error { return fmt.Errorf("stats is %w", define.ErrNoCgroupV2) }

// ContainerStats reads the resource use of the named containers, or with
// none of every running one (all: of every container). It needs what
// podman needs rootless: the unified cgroup hierarchy (cgroup v2), and
// each running container in a cgroup of its own; otherwise it fails with
// define.ErrNoCgroupV2, before looking at any container.
func (r *Runtime) ContainerStats(ctx context.Context, names []string, all bool) ([]ContainerStats, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(cgroupRoot, &st); err != nil || st.Type != unix.CGROUP2_SUPER_MAGIC {
		return nil, errNoStats()
	}
	var ctrs []*Container
	if len(names) == 0 {
		list, _, err := r.ListContainers()
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if all || c.State.Status.IsActive() {
				ctrs = append(ctrs, c)
			}
		}
	}
	for _, n := range names {
		c, err := r.Container(n)
		if err != nil {
			return nil, err
		}
		ctrs = append(ctrs, c)
	}
	out := make([]ContainerStats, 0, len(ctrs))
	for _, c := range ctrs {
		s := ContainerStats{ID: c.ID(), Name: c.Name(), Read: time.Now(), Started: c.State.StartedAt}
		if c.State.Status.IsActive() && c.containerAlive() {
			dir, ok := c.ownCgroup()
			if !ok {
				return nil, errNoStats()
			}
			if err := readCgroupStats(filepath.Join(cgroupRoot, dir), &s); err != nil {
				return nil, fmt.Errorf("stats of container %s: %w", c.Name(), err)
			}
			s.NetInput, s.NetOutput = readNetDev(filepath.Join(procDir, strconv.Itoa(c.State.Pid), "net", "dev"))
		}
		out = append(out, s)
	}
	return out, nil
}

// ownCgroup returns the unified cgroup of the container's init process
// when it is the container's own: not the one its monitor runs in.
func (c *Container) ownCgroup() (string, bool) {
	dir := unifiedCgroup(c.State.Pid)
	if dir == "" || (c.State.MonitorPid > 0 && unifiedCgroup(c.State.MonitorPid) == dir) {
		return "", false
	}
	return dir, true
}

// unifiedCgroup is pid's cgroup v2 path ("0::/path"), or "".
func unifiedCgroup(pid int) string {
	data, err := os.ReadFile(filepath.Join(procDir, strconv.Itoa(pid), "cgroup"))
	if err != nil {
		return ""
	}
	return procfs.UnifiedCgroup(data)
}

// readCgroupStats fills s from the cgroup v2 directory dir.
func readCgroupStats(dir string, s *ContainerStats) error {
	read := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return strings.TrimSpace(string(b)), err
	}
	cpu, err := read("cpu.stat")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(cpu, "\n") {
		if v, ok := strings.CutPrefix(line, "usage_usec "); ok {
			n, _ := strconv.ParseUint(v, 10, 64)
			s.CPUNano = n * 1000
		}
	}
	if v, err := read("memory.current"); err == nil {
		s.MemUsage, _ = strconv.ParseUint(v, 10, 64)
	}
	if v, err := read("memory.max"); err == nil && v != "max" {
		s.MemLimit, _ = strconv.ParseUint(v, 10, 64)
	}
	if s.MemLimit == 0 {
		var si unix.Sysinfo_t
		if unix.Sysinfo(&si) == nil {
			s.MemLimit = uint64(si.Totalram) * uint64(si.Unit)
		}
	}
	if v, err := read("pids.current"); err == nil {
		s.PIDs, _ = strconv.ParseUint(v, 10, 64)
	}
	if io, err := read("io.stat"); err == nil {
		for _, f := range strings.Fields(io) {
			if v, ok := strings.CutPrefix(f, "rbytes="); ok {
				n, _ := strconv.ParseUint(v, 10, 64)
				s.BlockInput += n
			} else if v, ok := strings.CutPrefix(f, "wbytes="); ok {
				n, _ := strconv.ParseUint(v, 10, 64)
				s.BlockOutput += n
			}
		}
	}
	return nil
}

// readNetDev sums the bytes received and sent on every interface of a
// /proc/PID/net/dev file but loopback.
func readNetDev(path string) (rx, tx uint64) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "lo" {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 9 {
			continue
		}
		r, _ := strconv.ParseUint(f[0], 10, 64)
		t, _ := strconv.ParseUint(f[8], 10, 64)
		rx, tx = rx+r, tx+t
	}
	return rx, tx
}
