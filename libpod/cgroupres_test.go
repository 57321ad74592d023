package libpod

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

func TestUserCgroupParent(t *testing.T) {
	mnt := t.TempDir()
	base := "/user.slice/app.slice"
	dir := filepath.Join(mnt, base)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "cgroup.subtree_control"), "memory\n")
	writeFile(t, filepath.Join(dir, "cgroup.controllers"), "cpu memory\n")

	// Relative: below the delegated cgroup; the deepest existing cgroup
	// gets the controllers enabled, the runtime makes the rest.
	got, err := userCgroupParent(mnt, base, "mine/sub", []string{"cpu"})
	if err != nil || got != base+"/mine/sub" {
		t.Fatalf("relative: %q, %v", got, err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control")); string(data) != "+cpu" {
		t.Errorf("subtree_control = %q, want +cpu written", data)
	}
	// Absolute below it.
	if got, err := userCgroupParent(mnt, base, base+"/x", nil); err != nil || got != base+"/x" {
		t.Errorf("absolute inside: %q, %v", got, err)
	}
	// Absolute elsewhere: the root is not the user's.
	if _, err := userCgroupParent(mnt, base, "/other", nil); err == nil || !strings.Contains(err.Error(), "the cgroup / is not delegated") {
		t.Errorf("absolute outside: %v", err)
	}
}

func TestResolveBlkioDevices(t *testing.T) {
	r := spec.Resources{CgroupSettings: spec.CgroupSettings{BlkioReadIOps: []spec.BlkioDevice{{Path: "/dev/null", Value: 1}}}}
	if err := resolveBlkioDevices(&r); err == nil || !strings.Contains(err.Error(), "--device-read-iops /dev/null: not a block device") || !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("char device: %v", err)
	}
	r = spec.Resources{CgroupSettings: spec.CgroupSettings{BlkioWeightDevice: []spec.BlkioDevice{{Path: "/dev/pod-missing", Value: 100}}}}
	if err := resolveBlkioDevices(&r); err == nil || !strings.Contains(err.Error(), "--blkio-weight-device /dev/pod-missing: cannot use the device: stat /dev/pod-missing: no such file or directory") {
		t.Errorf("missing device: %v", err)
	}
	// A block device of the host, if there is one.
	var blk string
	entries, _ := os.ReadDir("/dev")
	for _, e := range entries {
		var st unix.Stat_t
		p := filepath.Join("/dev", e.Name())
		if unix.Stat(p, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFBLK {
			blk = p
			break
		}
	}
	if blk == "" {
		t.Skip("no block device in /dev")
	}
	var st unix.Stat_t
	if err := unix.Stat(blk, &st); err != nil {
		t.Fatal(err)
	}
	r = spec.Resources{CgroupSettings: spec.CgroupSettings{BlkioWriteBps: []spec.BlkioDevice{{Path: blk, Value: 1 << 20}}}}
	if err := resolveBlkioDevices(&r); err != nil {
		t.Fatal(err)
	}
	if d := r.BlkioWriteBps[0]; d.Major != int64(unix.Major(st.Rdev)) || d.Minor != int64(unix.Minor(st.Rdev)) {
		t.Errorf("%s resolved to %d:%d", blk, d.Major, d.Minor)
	}
}

// TestCgroupFlagsWithoutCgroup: on a host that gives containers no cgroup
// (cgroup v1 or hybrid, like this project's), the limits are dropped with
// podman's warning, the block device lists and the parent are kept for
// inspect, and the container never gets a cgroup.
func TestCgroupFlagsWithoutCgroup(t *testing.T) {
	if _, err := cgroupParent(nil); err == nil {
		t.Skip("this host delegates a cgroup v2")
	}
	v2 := isUnified(cgroupMount)
	u64 := func(v uint64) *uint64 { return &v }
	o := &CreateOptions{Resources: spec.ResourceOptions{Memory: "100m", CgroupOptions: spec.CgroupOptions{
		CPUPeriod: u64(50000), CgroupConf: []string{"memory.high=1"}, CgroupParent: "/mine",
		DeviceCgroupRules: []string{"c 1:3 rwm"}}}}
	var w bytes.Buffer
	r, err := o.resources(&w)
	if err != nil {
		t.Fatal(err)
	}
	if !v2 && !strings.Contains(w.String(), warnV1+"\n") {
		t.Errorf("warnings %q, want podman's", w.String())
	}
	if !strings.Contains(w.String(), "--cgroup-parent /mine is ignored") {
		t.Errorf("warnings %q, want the parent ignored", w.String())
	}
	if r.Memory != 0 || r.CPUPeriod != 0 || r.CgroupConf != nil || !r.NoCgroup || r.CgroupParent != "/mine" || len(r.DeviceCgroupRules) != 1 {
		t.Errorf("resources %+v", r)
	}
	c := &Container{Config: &ContainerConfig{Resources: &r}}
	if p, err := c.limitCgroup(); p != "" || err != nil {
		t.Errorf("limitCgroup = %q, %v; want none", p, err)
	}
	var h InspectHostResources
	inspectCgroupSettings(&h, &r)
	if h.CgroupParent != "/mine" || h.CPUPeriod != 0 {
		t.Errorf("inspect %+v", h)
	}

	// --cgroups disabled: no cgroup whatever the host.
	w.Reset()
	o = &CreateOptions{Resources: spec.ResourceOptions{CgroupOptions: spec.CgroupOptions{Cgroups: "disabled", OomKillDisable: true}}}
	if r, err = o.resources(&w); err != nil || r.OomKillDisable || r.CgroupsMode != spec.CgroupsDisabled || w.Len() == 0 {
		t.Errorf("disabled: %+v, %v, warning %q", r, err, w.String())
	}
	var m InspectHostModes
	(&Container{Config: &ContainerConfig{Resources: &r}}).inspectCgroupModes(&m)
	if m.Cgroups != "disabled" {
		t.Errorf("inspect Cgroups %q", m.Cgroups)
	}
}

func TestInspectCgroupSettings(t *testing.T) {
	sw := uint64(10)
	r := spec.Resources{CgroupSettings: spec.CgroupSettings{CPUPeriod: 50000, CPUQuota: 20000, CPURealtimePeriod: 1000,
		CPURealtimeRuntime: 100, CpusetMems: "0", MemorySwappiness: &sw, OomKillDisable: true, BlkioWeight: 300,
		BlkioWeightDevice: []spec.BlkioDevice{{Path: "/dev/sda", Value: 200}},
		BlkioReadBps:      []spec.BlkioDevice{{Path: "/dev/sda", Value: 1 << 20}},
		BlkioWriteIOps:    []spec.BlkioDevice{{Path: "/dev/sdb", Value: 5}},
		CgroupConf:        map[string]string{"memory.high": "1"}, CgroupParent: "/p"}}
	var h InspectHostResources
	inspectCgroupSettings(&h, &r)
	if h.CPUPeriod != 50000 || h.CPUQuota != 20000 || h.CPURealtimePeriod != 1000 || h.CPURealtimeRuntime != 100 ||
		h.CpusetMems != "0" || h.MemorySwappiness != 10 || !h.OomKillDisable || h.BlkioWeight != 300 || h.CgroupParent != "/p" {
		t.Errorf("inspect %+v", h)
	}
	if len(h.BlkioWeightDevice) != 1 || h.BlkioWeightDevice[0] != (InspectWeightDevice{Path: "/dev/sda", Weight: 200}) ||
		len(h.BlkioDeviceReadBps) != 1 || h.BlkioDeviceReadBps[0] != (InspectRateDevice{Path: "/dev/sda", Rate: 1 << 20}) ||
		h.BlkioDeviceWriteBps != nil || len(h.BlkioDeviceWriteIOps) != 1 || h.BlkioDeviceWriteIOps[0].Rate != 5 {
		t.Errorf("inspect devices %+v", h)
	}
	var m InspectHostModes
	m.Cgroups = "default"
	(&Container{Config: &ContainerConfig{Resources: &r}}).inspectCgroupModes(&m)
	if m.Cgroups != "default" || m.CgroupConf["memory.high"] != "1" {
		t.Errorf("inspect modes %+v", m)
	}
}

// TestFitCgroupsV2 runs the delegated cgroup v2 path on a fake hierarchy.
func TestFitCgroupsV2(t *testing.T) {
	self := []byte("0::/user.slice/app.slice/term.scope\n")
	parent := "/user.slice/app.slice"
	mk := func(t *testing.T, delegated bool) string {
		mnt := t.TempDir()
		dir := filepath.Join(mnt, parent)
		if err := os.MkdirAll(filepath.Join(dir, "term.scope"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(mnt, "cgroup.controllers"), "cpuset cpu io memory pids\n")
		writeFile(t, filepath.Join(dir, "cgroup.controllers"), "cpuset cpu io memory pids\n")
		if delegated {
			writeFile(t, filepath.Join(dir, "cgroup.subtree_control"), "cpuset cpu io memory pids\n")
		}
		return mnt
	}
	parse := func(t *testing.T, o spec.ResourceOptions) spec.Resources {
		r, err := spec.ParseResources(o)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	u64 := func(v uint64) *uint64 { return &v }
	i64 := func(v int64) *int64 { return &v }
	var warnings []string
	warn := func(s string) { warnings = append(warnings, s) }

	// Delegated: the limits stay, the v1-only ones are dropped with a warning.
	mnt := mk(t, true)
	r := parse(t, spec.ResourceOptions{CgroupOptions: spec.CgroupOptions{CPUPeriod: u64(50000), CPURtPeriod: u64(1000),
		MemorySwappiness: i64(10), OomKillDisable: true, BlkioWeight: "100", CgroupConf: []string{"memory.high=1"}}})
	if err := fitCgroups(&r, mnt, self, warn); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0] != "--cpu-rt-period, --memory-swappiness, --oom-kill-disable not supported on cgroup v2 systems and ignored" {
		t.Errorf("warnings %q", warnings)
	}
	if r.NoCgroup || r.CPUPeriod != 50000 || r.BlkioWeight != 100 || r.CgroupConf["memory.high"] != "1" || len(r.V1Only()) != 0 {
		t.Errorf("delegated: %+v", r.CgroupSettings)
	}

	// A relative --cgroup-parent goes below the delegated cgroup.
	warnings = nil
	r = parse(t, spec.ResourceOptions{CgroupOptions: spec.CgroupOptions{CgroupParent: "mine"}})
	if err := fitCgroups(&r, mnt, self, warn); err != nil || len(warnings) != 0 || r.NoCgroup {
		t.Errorf("relative parent: %v %q %+v", err, warnings, r.CgroupSettings)
	}
	// An absolute one outside it is refused.
	r = parse(t, spec.ResourceOptions{CgroupOptions: spec.CgroupOptions{CgroupParent: "/elsewhere"}})
	if err := fitCgroups(&r, mnt, self, warn); err == nil || !errors.Is(err, define.ErrInvalidArg) ||
		!strings.Contains(err.Error(), "--cgroup-parent /elsewhere") || !strings.Contains(err.Error(), "below the user's cgroup "+parent) {
		t.Errorf("parent outside: %v", err)
	}

	// Not delegated: the limits and the parent are dropped with a warning each.
	warnings = nil
	r = parse(t, spec.ResourceOptions{Memory: "100m", CgroupOptions: spec.CgroupOptions{CPUQuota: i64(20000), CgroupParent: "mine"}})
	if err := fitCgroups(&r, mk(t, false), self, warn); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 2 || !strings.HasPrefix(warnings[0], "Resource limits are ignored: the cgroup "+parent+" is not delegated") ||
		!strings.HasPrefix(warnings[1], "--cgroup-parent mine is ignored: the cgroup") {
		t.Errorf("not delegated: warnings %q", warnings)
	}
	if !r.NoCgroup || r.Memory != 0 || r.CPUQuota != 0 || r.CgroupParent != "mine" {
		t.Errorf("not delegated: %+v", r)
	}
}
