package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The cgroup flags beyond --memory/--cpus/--pids-limit: --cpu-period … --cgroups. Without a
// delegated cgroup v2 (this project's hybrid hosts) the limits are ignored with podman's
// warning and inspect shows what podman shows; bad values fail with 125 on every host.

const warnCgroupV1 = "Resource limits are not supported and ignored on cgroups V1 rootless systems"

// hostBlockDevice is a block device node of the host (stat needs no access to it), or "".
func hostBlockDevice(t *testing.T) string {
	t.Helper()
	entries, _ := os.ReadDir("/dev")
	for _, e := range entries {
		p := filepath.Join("/dev", e.Name())
		var st syscall.Stat_t
		if syscall.Stat(p, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFBLK {
			return p
		}
	}
	return ""
}

// TestCgroupFlagsIgnoredWithoutCgroups creates and runs containers with every cgroup flag.
func TestCgroupFlagsIgnoredWithoutCgroups(t *testing.T) {
	e := sharedEnv(t)
	if delegatedCgroupV2(t, e) {
		t.Skip("the host delegates cgroup v2: TestCgroupFlagsDelegated covers it")
	}
	limits := []string{"--cpu-period", "50000", "--cpu-quota", "20000", "--cpu-rt-period", "1000", "--cpu-rt-runtime", "100",
		"--cpuset-mems", "0", "--memory-swappiness", "10", "--oom-kill-disable", "--blkio-weight", "100",
		"--cgroup-conf", "memory.high=1000000", "--device-cgroup-rule", "c 1:3 rwm"}
	r := e.MustPod(t, append(append([]string{"run", "--rm"}, limits...), "alpine", "echo", "ran")...)
	expectStdout(t, r, "ran\n")
	if !strings.Contains(r.Stderr, warnCgroupV1) {
		t.Errorf("no warning about the ignored limits: %s", r.describe())
	}
	// Each flag alone warns (a device rule is no limit: no warning).
	for _, f := range [][]string{{"--cpu-period", "50000"}, {"--cpu-quota", "20000"}, {"--cpu-rt-period", "1000"},
		{"--cpu-rt-runtime", "100"}, {"--cpuset-mems", "0"}, {"--memory-swappiness", "10"}, {"--oom-kill-disable"},
		{"--blkio-weight", "100"}, {"--cgroup-conf", "memory.high=1000000"}} {
		r := e.MustPod(t, append(append([]string{"create"}, f...), "alpine", "true")...)
		e.MustPod(t, "rm", r.Out())
		if !strings.Contains(r.Stderr, warnCgroupV1) {
			t.Errorf("%s: no warning: %s", f[0], r.describe())
		}
	}
	r = e.MustPod(t, "run", "--rm", "--device-cgroup-rule", "c 1:3 rwm", "--memory-swappiness", "-1", "--oom-kill-disable=false", "alpine", "true")
	if strings.Contains(r.Stderr, "Resource limits") {
		t.Errorf("warning without a limit: %s", r.describe())
	}

	// Inspect shows the ignored limits as not set, the parent as given.
	name := e.CtrName(t, "cgflags")
	e.MustPod(t, append(append([]string{"create", "--name", name, "--cgroup-parent", "/podtest-parent"}, limits...), "alpine", "true")...)
	r = e.MustPod(t, "inspect", "--format", "{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpuRealtimePeriod}} "+
		"{{.HostConfig.CpuRealtimeRuntime}} [{{.HostConfig.CpusetMems}}] {{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} "+
		"{{.HostConfig.BlkioWeight}} {{json .HostConfig.CgroupConf}} {{.HostConfig.CgroupParent}} {{.HostConfig.Cgroups}}", name)
	expectStdout(t, r, "0 0 0 0 [] 0 false 0 null /podtest-parent default\n")

	// The block device limits are kept (podman shows them; it resolves the path by number).
	dev := hostBlockDevice(t)
	if dev == "" {
		return
	}
	name = e.CtrName(t, "cgdev")
	r = e.MustPod(t, "create", "--name", name, "--blkio-weight-device", dev+":200", "--device-read-bps", dev+":1mb",
		"--device-write-bps", dev+":2mb", "--device-read-iops", dev+":100", "--device-write-iops", dev+":300", "alpine", "true")
	if !strings.Contains(r.Stderr, warnCgroupV1) {
		t.Errorf("device limits: no warning: %s", r.describe())
	}
	r = e.MustPod(t, "inspect", "--format", "{{range .HostConfig.BlkioWeightDevice}}{{.Weight}}{{end}} "+
		"{{range .HostConfig.BlkioDeviceReadBps}}{{.Rate}}{{end}} {{range .HostConfig.BlkioDeviceWriteBps}}{{.Rate}}{{end}} "+
		"{{range .HostConfig.BlkioDeviceReadIOps}}{{.Rate}}{{end}} {{range .HostConfig.BlkioDeviceWriteIOps}}{{.Rate}}{{end}}", name)
	expectStdout(t, r, "200 1048576 2097152 100 300\n")
	if !cfg.podman {
		r = e.MustPod(t, "inspect", "--format", "{{range .HostConfig.BlkioDeviceReadBps}}{{.Path}}{{end}}", name)
		expectStdout(t, r, dev+"\n")
		// podman 4.3 passes them to the runtime, which fails on cgroup v1 rootless.
		r = e.MustPod(t, "start", "-a", name)
		if r.ExitCode != 0 {
			t.Errorf("a container with ignored device limits does not run: %s", r.describe())
		}
	}
}

// TestCgroupFlagsCgroupsMode checks --cgroups: enabled and no-conmon are the default, disabled
// runs with crun only, split is refused.
func TestCgroupFlagsCgroupsMode(t *testing.T) {
	e := sharedEnv(t)
	for _, mode := range []string{"enabled", "no-conmon"} {
		name := e.CtrName(t, "cgmode")
		r := e.MustPod(t, "run", "--name", name, "--cgroups", mode, "alpine", "echo", "ran")
		expectStdout(t, r, "ran\n")
		expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.HostConfig.Cgroups}}", name), "default\n")
	}
	// runc always makes a cgroup: refused, as podman does.
	r := e.Pod(t, "--runtime", "runc", "create", "--cgroups", "disabled", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "runc")
	r = e.Pod(t, "create", "--cgroups", "bogus", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "bogus")
	r = e.Pod(t, "create", "--cgroups", "disabled", "--cgroup-parent", "/x", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "parent")
	if cfg.podman {
		return // podman 4.3 runs runc here; split fails only at start
	}
	name := e.CtrName(t, "cgdisabled")
	r = e.MustPod(t, "run", "--name", name, "--cgroups", "disabled", "alpine", "echo", "ran")
	expectStdout(t, r, "ran\n")
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.HostConfig.Cgroups}}", name), "disabled\n")
	r = e.Pod(t, "create", "--cgroups", "split", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--cgroups split", "systemd")
}

// TestCgroupFlagsBadValues: malformed values fail before anything is created.
func TestCgroupFlagsBadValues(t *testing.T) {
	e := sharedEnv(t)
	before := len(e.containerIDs(t))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--blkio-weight-device", "/dev/loop0"}, "/dev/loop0"},
		{[]string{"--blkio-weight-device", "/dev/pod-no-such-device:100"}, "/dev/pod-no-such-device"},
		{[]string{"--device-read-bps", "/dev/pod-no-such-device:1mb"}, "/dev/pod-no-such-device"},
		{[]string{"--device-write-bps", "/tmp:1mb"}, "/tmp"},
		{[]string{"--device-read-iops", "/dev/loop0:abc"}, "/dev/loop0:abc"},
		{[]string{"--device-write-iops", "/dev/loop0:-5"}, "/dev/loop0:-5"},
		{[]string{"--cgroup-conf", "memory.high"}, "cgroup-conf"},
		{[]string{"--device-cgroup-rule", "c 1:3"}, "c 1:3"},
		{[]string{"--device-cgroup-rule", "x 1:3 rwm"}, "device type"},
		{[]string{"--device-cgroup-rule", "c 1:3 rwx"}, "device access"},
		{[]string{"--cgroup-parent", "machine.slice"}, "slice"},
		{[]string{"--cpus", "1", "--cpu-period", "100000"}, "--cpu-period and --cpus"},
		{[]string{"--cpus", "1", "--cpu-quota", "50000"}, "--cpu-quota and --cpus"},
		{[]string{"--cpu-period", "abc"}, "--cpu-period"},
		{[]string{"--cpu-rt-period", "-1"}, "--cpu-rt-period"},
		{[]string{"--memory-swappiness", "abc"}, "--memory-swappiness"},
		{[]string{"--oom-kill-disable=abc"}, "--oom-kill-disable"},
		{[]string{"--blkio-weight", "abc"}, "blkio-weight"},
	} {
		r := e.Pod(t, append(append([]string{"create"}, tt.args...), "alpine", "true")...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, tt.want)
	}
	t.Run("range", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3 drops these limits unchecked on cgroup v1")
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"--blkio-weight", "5"}, "10 to 1000"},
			{[]string{"--blkio-weight", "1001"}, "10 to 1000"},
			{[]string{"--blkio-weight-device", "/dev/loop0:5"}, "10 to 1000"},
			{[]string{"--memory-swappiness", "101"}, "0 to 100"},
			{[]string{"--memory-swappiness", "-2"}, "0 to 100"},
			{[]string{"--cpu-period", "500"}, "1000 to 1000000"},
			{[]string{"--cpu-quota", "500"}, "--cpu-quota 500"},
			{[]string{"--cpuset-mems", "3-1"}, "--cpuset-mems"},
			{[]string{"--cgroup-conf", "=1"}, "KEY=VALUE"},
			{[]string{"--device-read-bps", "/dev/null:1mb"}, "not a block device"},
		} {
			r := e.Pod(t, append(append([]string{"create"}, tt.args...), "alpine", "true")...)
			expectExit(t, r, 125)
			expectErrorLine(t, r, tt.want)
		}
	})
	if after := len(e.containerIDs(t)); after != before {
		t.Errorf("refused values created containers: %d → %d", before, after)
	}
}

// TestCgroupFlagsDelegated: with a delegated cgroup v2 the limits are the container's
// cgroup's files.
func TestCgroupFlagsDelegated(t *testing.T) {
	e := sharedEnv(t)
	if !delegatedCgroupV2(t, e) {
		t.Skip("no delegated cgroup v2 on this host")
	}
	name := e.CtrName(t, "cgv2")
	r := e.MustPod(t, "run", "--name", name, "--cpu-period", "50000", "--cpu-quota", "20000", "--cgroup-conf", "memory.high=104857600",
		"alpine", "cat", "/sys/fs/cgroup/cpu.max", "/sys/fs/cgroup/memory.high")
	expectStdout(t, r, "20000 50000\n104857600\n")
	r = e.MustPod(t, "inspect", "--format", "{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{index .HostConfig.CgroupConf \"memory.high\"}}", name)
	expectStdout(t, r, "50000 20000 104857600\n")
}
