package e2e

import (
	"os"
	"strings"
	"testing"
)

// The resource tests check --ulimit, --shm-size and --oom-score-adj by their effect in
// the container (ulimit, df, /proc), and the cgroup limits (--memory, --cpus, --pids-limit
// …): enforced where the user's cgroup v2 is delegated, else the warning podman prints and
// the container still runs.

// delegatedCgroupV2 reports whether the test user's processes could get cgroups with the
// memory controller: a unified hierarchy at /sys/fs/cgroup and a user-owned cgroup that
// offers it. On this project's hybrid hosts without systemd it is false.
func delegatedCgroupV2(t *testing.T, e *Env) bool {
	t.Helper()
	if _, err := os.Stat("/sys/fs/cgroup/cgroup.controllers"); err != nil {
		return false
	}
	r := e.Pod(t, "unshare", "sh", "-c", `d=/sys/fs/cgroup$(dirname $(sed -n 's/^0:://p' /proc/self/cgroup)); test -w "$d/cgroup.subtree_control" && grep -qw memory "$d/cgroup.controllers"`)
	return r.ExitCode == 0
}

// TestResourcesUlimit sets soft and hard limits, refuses a hard limit above the user's own
// (which an unprivileged process cannot raise) and a malformed one.
func TestResourcesUlimit(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--ulimit", "nofile=100:200", "--ulimit", "nproc=50:60", "alpine", "sh", "-c",
		"ulimit -n; ulimit -Hn; ulimit -u; ulimit -Hu")
	expectStdout(t, r, "100\n200\n50\n60\n")
	name := e.CtrName(t, "ulimit")
	e.MustPod(t, "create", "--name", name, "--ulimit", "core=0:0", "alpine", "true")
	r = e.MustPod(t, "inspect", "--format", "{{json .HostConfig.Ulimits}}", name)
	if !strings.Contains(r.Out(), `"Name":"RLIMIT_CORE"`) || !strings.Contains(r.Out(), `"RLIMIT_NOFILE"`) {
		t.Errorf("inspect Ulimits %s: want RLIMIT_CORE and the default RLIMIT_NOFILE", r.Out())
	}

	r = e.MustPod(t, "unshare", "sh", "-c", "ulimit -Hn")
	hard := strings.TrimSpace(r.Stdout)
	if hard != "unlimited" {
		r = e.Pod(t, "run", "--rm", "--ulimit", "nofile=100:"+hard+"0", "alpine", "true")
		if cfg.podman {
			expectExit(t, r, 126) // podman 4.3: the runtime's setrlimit fails
		} else {
			expectExit(t, r, 125)
			expectErrorLine(t, r, "--ulimit nofile", "above the user's own ("+hard+")")
		}
	}
	r = e.Pod(t, "run", "--rm", "--ulimit", "bogus=1", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "bogus")
	r = e.Pod(t, "run", "--rm", "--ulimit", "nofile=200:100", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nofile=200:100")
}

// TestResourcesShmSize sizes the /dev/shm tmpfs.
func TestResourcesShmSize(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--shm-size", "10m", "alpine", "sh", "-c", "df -k /dev/shm | tail -1")
	if f := strings.Fields(r.Out()); len(f) < 2 || f[1] != "10240" {
		t.Errorf("--shm-size 10m: df %q, want 10240 1K-blocks", r.Out())
	}
	r = e.MustPod(t, "run", "--rm", "--shm-size", "1g", "alpine", "sh", "-c", "df -k /dev/shm | tail -1")
	if f := strings.Fields(r.Out()); len(f) < 2 || f[1] != "1048576" {
		t.Errorf("--shm-size 1g: df %q", r.Out())
	}
	name := e.CtrName(t, "shm")
	e.MustPod(t, "create", "--name", name, "--shm-size", "10m", "alpine", "true")
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.HostConfig.ShmSize}}", name), "10485760\n")
	r = e.Pod(t, "run", "--rm", "--shm-size", "bad", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "shm-size")
}

// TestResourcesOomScoreAdj raises the container's OOM score; lowering it below the
// user's own needs a privilege the user lacks.
func TestResourcesOomScoreAdj(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--oom-score-adj", "100", "alpine", "cat", "/proc/1/oom_score_adj")
	expectStdout(t, r, "100\n")
	r = e.Pod(t, "run", "--rm", "--oom-score-adj", "2000", "alpine", "true")
	if !cfg.podman {
		expectExit(t, r, 125)
		expectErrorLine(t, r, "--oom-score-adj 2000")
		r = e.Pod(t, "run", "--rm", "--oom-score-adj", "-500", "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "--oom-score-adj -500", "only raise")
	} else if r.ExitCode == 0 {
		t.Errorf("--oom-score-adj 2000 accepted: %s", r.describe())
	}
}

// TestResourcesCgroupLimits: with a delegated cgroup v2 the limits are the container's
// cgroup's; without one (cgroup v1 or hybrid, no systemd) podman's warning is printed, the
// container runs, and inspect shows the limits as not set.
func TestResourcesCgroupLimits(t *testing.T) {
	e := sharedEnv(t)
	flags := []string{"--memory", "100m", "--memory-swap", "200m", "--memory-reservation", "50m", "--cpus", "1.5",
		"--cpu-shares", "512", "--cpuset-cpus", "0", "--pids-limit", "100"}
	name := e.CtrName(t, "limits")
	if delegatedCgroupV2(t, e) {
		r := e.MustPod(t, append(append([]string{"run", "--name", name}, flags...), "alpine", "cat",
			"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/cpu.max")...)
		expectStdout(t, r, "104857600\n100\n150000 100000\n")
		expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}}", name),
			"104857600 100 1500000000\n")
		return
	}
	r := e.MustPod(t, append(append([]string{"run", "--name", name}, flags...), "alpine", "echo", "ran")...)
	expectStdout(t, r, "ran\n")
	if !strings.Contains(r.Stderr, "Resource limits are not supported and ignored on cgroups V1 rootless systems") {
		t.Errorf("no warning about the ignored limits: %s", r.describe())
	}
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}}", name),
		"0 0 0\n")
	// --ulimit and --shm-size are no cgroup limits: no warning.
	r = e.MustPod(t, "run", "--rm", "--ulimit", "nofile=100:200", "--shm-size", "10m", "alpine", "true")
	if strings.Contains(r.Stderr, "Resource limits") {
		t.Errorf("warning for --ulimit/--shm-size: %s", r.describe())
	}

	// Bad values are refused whatever the host.
	r = e.Pod(t, "run", "--rm", "--memory", "bad", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "memory")
	t.Run("inconsistent", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3 drops the limits before checking them on cgroup v1")
		for _, bad := range [][]string{{"--memory", "100m", "--memory-swap", "50m"}, {"--memory-swap", "1g"}, {"--cpus", "-1"},
			{"--cpuset-cpus", "3-1"}, {"--memory", "100m", "--memory-reservation", "1g"}} {
			r := e.Pod(t, append(append([]string{"run", "--rm"}, bad...), "alpine", "true")...)
			expectExit(t, r, 125)
			expectErrorLine(t, r, bad[len(bad)-2])
		}
	})
}
