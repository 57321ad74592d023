package libpod

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/procfs"
)

// runningSleeper records id as a running container whose init is a real
// sleep process and whose rootfs is a directory with an /etc/passwd that
// names the test's own uid "ctruser".
func runningSleeper(t *testing.T, r *Runtime, id, name string) int {
	t.Helper()
	cmd := exec.Command("sleep", "100")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	rootfs := t.TempDir()
	writeFile(t, filepath.Join(rootfs, "etc", "passwd"), "ctruser:x:"+strconv.Itoa(os.Getuid())+":0::/:/bin/sh\n")
	pid := cmd.Process.Pid
	writeConfig(t, r, id, name, time.Now())
	writeState(t, r, id, map[string]any{"status": "running", "pid": pid, "pidStart": procfs.StartTime(pid), "mountpoint": rootfs,
		"monitorPid": os.Getpid(), "monitorStart": procfs.StartTime(os.Getpid()), "bootId": procfs.BootID()})
	return pid
}

func TestTopContainer(t *testing.T) {
	r := testRuntime(t)
	pid := runningSleeper(t, r, hexID("a1"), "web")
	rows, err := r.TopContainer(context.Background(), "web", []string{"hpid,user", "args"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; len(got) != 3 || got[0] != "HPID" || got[1] != "USER" || got[2] != "COMMAND" {
		t.Errorf("header %q", got)
	}
	found := false
	for _, row := range rows[1:] {
		if row[0] == strconv.Itoa(pid) {
			found = true
			if row[1] != "ctruser" || row[2] != "sleep 100 " {
				t.Errorf("the sleeper's row is %q, want user ctruser (the container's passwd) and \"sleep 100 \"", row)
			}
		}
	}
	if !found {
		t.Errorf("the container's process %d is not among %d rows", pid, len(rows)-1)
	}

	_, err = r.TopContainer(context.Background(), "web", []string{"pid", "bogus"})
	if !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("a bad descriptor: %v", err)
	}
	writeConfig(t, r, hexID("b2"), "idle", time.Now())
	if _, err := r.TopContainer(context.Background(), "idle", nil); !errors.Is(err, define.ErrCtrStateInvalid) {
		t.Errorf("top of a created container: %v", err)
	}
	if _, err := r.TopContainer(context.Background(), "nope", nil); !errors.Is(err, define.ErrNoSuchCtr) {
		t.Errorf("top of a missing container: %v", err)
	}
}

func TestReadCgroupStats(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"cpu.stat":       "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n",
		"memory.current": "4096\n", "memory.max": "1048576\n", "pids.current": "3\n",
		"io.stat": "8:0 rbytes=100 wbytes=200 rios=1 wios=2\n8:16 rbytes=1 wbytes=2 rios=1 wios=1\n",
	} {
		writeFile(t, filepath.Join(dir, name), content)
	}
	var s ContainerStats
	if err := readCgroupStats(dir, &s); err != nil {
		t.Fatal(err)
	}
	if s.CPUNano != 1500000 || s.MemUsage != 4096 || s.MemLimit != 1048576 || s.PIDs != 3 || s.BlockInput != 101 || s.BlockOutput != 202 {
		t.Errorf("read %+v", s)
	}
	writeFile(t, filepath.Join(dir, "memory.max"), "max\n")
	s = ContainerStats{}
	if err := readCgroupStats(dir, &s); err != nil || s.MemLimit == 0 {
		t.Errorf("without a limit the machine's memory is the limit: %+v, %v", s, err)
	}
	if err := readCgroupStats(t.TempDir(), &s); err == nil {
		t.Error("a directory without cpu.stat read as a cgroup")
	}

	netdev := filepath.Join(dir, "dev")
	writeFile(t, netdev, "Inter-|   Receive                                                |  Transmit\n"+
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"+
		"    lo:     500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0\n"+
		"  eth0:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0\n"+
		"  tap0:      10       1    0    0    0     0          0         0       20       2    0    0    0     0       0          0\n")
	if rx, tx := readNetDev(netdev); rx != 1010 || tx != 2020 {
		t.Errorf("readNetDev = %d, %d; want 1010, 2020 (loopback left out)", rx, tx)
	}
}

func TestContainerStatsNeedsCgroupV2(t *testing.T) {
	r := testRuntime(t)
	_, err := r.ContainerStats(context.Background(), []string{"nope"}, false)
	var st unix.Statfs_t
	if unix.Statfs(cgroupRoot, &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		if !errors.Is(err, define.ErrNoSuchCtr) {
			t.Errorf("stats of a missing container on a cgroup v2 host: %v", err)
		}
		return
	}
	// podman's exact words, before any container is looked up.
	if !errors.Is(err, define.ErrNoCgroupV2) || err.Error() != "stats is not supported in rootless mode without cgroups v2" {
		t.Errorf("stats without cgroup v2: %q", err)
	}
}
