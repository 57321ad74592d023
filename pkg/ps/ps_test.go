package ps

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/procfs"
)

// statLine is a /proc/PID/stat line: ppid, tty_nr, utime, stime, nice,
// starttime (ticks) and vsize (bytes) as given.
func statLine(pid int, comm string, state string, ppid int, tty uint64, utime, stime, nice, start, vsize int) string {
	f := []string{state, strconv.Itoa(ppid), "1", "1", strconv.FormatUint(tty, 10), "-1", "4194560",
		"0", "0", "0", "0", strconv.Itoa(utime), strconv.Itoa(stime), "0", "0", "20", strconv.Itoa(nice),
		"1", "0", strconv.Itoa(start), strconv.Itoa(vsize), "100", "0"}
	return strconv.Itoa(pid) + " (" + comm + ") " + strings.Join(f, " ") + "\n"
}

func statusText(name string, nspid, nspgid string, uid, gid string, groups string) string {
	return "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t" + uid + "\nGid:\t" + gid +
		"\nGroups:\t" + groups + "\nNSpid:\t" + nspid + "\nNSpgid:\t" + nspgid +
		"\nVmRSS:\t     924 kB\nCapInh:\t0000000000000000\nCapPrm:\t00000000800405fb\nCapEff:\t00000000800405fb\n" +
		"CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nSeccomp:\t2\n"
}

type fakeProc struct {
	pid                       int
	ns, stat, status, cmdline string
}

func writeProc(t *testing.T, dir string, procs []fakeProc) {
	t.Helper()
	for _, p := range procs {
		d := filepath.Join(dir, strconv.Itoa(p.pid))
		for _, sub := range []string{"ns", "attr"} {
			if err := os.MkdirAll(filepath.Join(d, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for name, content := range map[string]string{"stat": p.stat, "status": p.status, "cmdline": p.cmdline} {
			if err := os.WriteFile(filepath.Join(d, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(p.ns, filepath.Join(d, "ns", "pid")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "self"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// container is a container's pid namespace seen from the host: sh (host
// 500, ns 1) and its child sleep (host 520, ns 7), a process of the host
// (pid 400), and the runtime (pid 450) that is sh's parent.
func container(t *testing.T) string {
	dir := t.TempDir()
	writeProc(t, dir, []fakeProc{
		{400, "pid:[1]", statLine(400, "init", "S", 0, 0, 1, 1, 0, 10, 4096), statusText("init", "400", "400", "0\t0\t0\t0", "0\t0\t0\t0", ""), "/sbin/init\x00"},
		{450, "pid:[1]", statLine(450, "crun", "S", 400, 0, 0, 0, 0, 500, 4096), statusText("crun", "450", "450", "0\t0\t0\t0", "0\t0\t0\t0", ""), "crun\x00"},
		{520, "pid:[9]", statLine(520, "sleep (x)", "S", 500, 34816, 150, 50, 5, 1000, 1658880), statusText("sleep (x)", "520\t7", "520\t1", "1000\t1000\t1000\t1000", "1000\t1000\t1000\t1000", "10 1000"), "sleep\x001000\x00"},
		{500, "pid:[9]", statLine(500, "sh", "S", 450, 0, 0, 0, 0, 900, 2048000), statusText("sh", "500\t1", "500\t1", "0\t0\t0\t0", "0\t0\t0\t0", ""), "sh\x00-c\x00sleep 1000\x00"},
	})
	return dir
}

func TestList(t *testing.T) {
	procs, err := List(container(t), 520)
	if err != nil {
		t.Fatal(err)
	}
	if len(procs) != 2 {
		t.Fatalf("List found %d processes, want the 2 of the namespace", len(procs))
	}
	sh, sleep := procs[0], procs[1]
	if sh.Pid != 500 || sh.NSPid != 1 || sh.NSPPid != 0 || sleep.Pid != 520 || sleep.NSPid != 7 || sleep.NSPPid != 1 {
		t.Errorf("pids: sh %d/%d/%d, sleep %d/%d/%d", sh.Pid, sh.NSPid, sh.NSPPid, sleep.Pid, sleep.NSPid, sleep.NSPPid)
	}
	if sleep.Comm != "sleep (x)" || sleep.UIDs != [4]int{1000, 1000, 1000, 1000} || !reflect.DeepEqual(sleep.Groups, []int{10, 1000}) ||
		sleep.RSS != "924" || sleep.Nice != "5" || sleep.TtyNr != 34816 || sleep.NSPgid != 1 || sleep.CapEff != 0x800405fb {
		t.Errorf("sleep read as %+v", sleep)
	}
	if _, err := List(container(t), 12345); err == nil {
		t.Error("List of a pid that does not exist succeeded")
	}
}

func testContext() *Context {
	return &Context{
		Now:      time.Unix(1000+10+60, 500), // sh started at 1000+9s, sleep at 1000+10s
		BootTime: 1000,
		Users:    map[int]string{0: "root", 1000: "app"},
		Groups:   map[int]string{0: "root", 10: "wheel"},
		UIDMap:   []IDMap{{Inside: 0, Outside: 1001, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}},
		GIDMap:   []IDMap{{Inside: 0, Outside: 1001, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}},
		CapLast:  40, OverflowUID: "65534", OverflowGID: "65534",
	}
}

func TestTable(t *testing.T) {
	procs, err := List(container(t), 500)
	if err != nil {
		t.Fatal(err)
	}
	names, err := ParseDescriptors(nil)
	if err != nil {
		t.Fatal(err)
	}
	got := Table(procs, names, testContext())
	want := [][]string{
		{"USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"},
		{"root", "1", "0", "0.000", "1m1.0000005s", "?", "0s", "sh -c sleep 1000 "},
		{"app", "7", "1", "3.333", "1m0.0000005s", "pts/0", "2s", "sleep 1000 "},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("default table:\n got %q\nwant %q", got, want)
	}

	names, err = ParseDescriptors([]string{"huser,hgroup", "hpid", "group", "groups", "rgroup", "pgid", "nice", "vsz", "rss", "capeff", "capbnd", "capamb", "seccomp", "label", "state", "comm", "uid"})
	if err != nil {
		t.Fatal(err)
	}
	got = Table(procs[1:], names, testContext())
	want = [][]string{
		{"HUSER", "HGROUP", "HPID", "GROUP", "GROUPS", "RGROUP", "PGID", "NI", "VSZ", "RSS", "EFFECTIVE CAPS", "BOUNDING CAPS", "AMBIENT CAPS", "SECCOMP", "LABEL", "STATE", "COMMAND", "UID"},
		{"100999", "100999", "520", "1000", "wheel,1000", "1000", "1", "5", "1620", "924",
			"CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT", "full", "none", "filter", "?", "S", "sleep (x)", "1000"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extra descriptors:\n got %q\nwant %q", got, want)
	}
}

func TestParseDescriptors(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{nil, DefaultDescriptors()},
		{[]string{"", ","}, DefaultDescriptors()},
		{[]string{"pid,,user", "args"}, []string{"pid", "user", "args"}},
		{[]string{"%C", "%G", "%P", "%U", "%a", "%c", "%g", "%n", "%p", "%r", "%t", "%u", "%x", "%y", "%z"},
			[]string{"pcpu", "group", "ppid", "user", "args", "comm", "rgroup", "nice", "pid", "pgid", "etime", "ruser", "time", "tty", "vsz"}},
		{[]string{"-eo", "user,pid,comm"}, []string{"user", "pid", "comm"}},
		{[]string{"-e", "-o", "pid"}, []string{"pid"}},
		{[]string{"-opid,args"}, []string{"pid", "args"}},
	}
	for _, tt := range tests {
		got, err := ParseDescriptors(tt.args)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseDescriptors(%q) = %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
	for _, bad := range [][]string{{"bogus"}, {"pid", "user,nope"}, {"-ef"}, {"%Q"}} {
		_, err := ParseDescriptors(bad)
		if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "unknown descriptor") {
			t.Errorf("ParseDescriptors(%q) = %v, want an unknown descriptor error", bad, err)
		}
	}
}

func TestTTYName(t *testing.T) {
	for nr, want := range map[uint64]string{0: "?", 136 << 8: "pts/0", 136<<8 | 5: "pts/5", 137 << 8: "pts/256",
		136<<8 | 300&0xff | (300&^0xff)<<12: "pts/300", 4<<8 | 1: "tty1", 4<<8 | 64: "ttyS0", 5<<8 | 1: "console", 1<<8 | 3: "?"} {
		if got := TTYName(nr); got != want {
			t.Errorf("TTYName(%#x) = %q, want %q", nr, got, want)
		}
	}
}

func TestMapID(t *testing.T) {
	m := []IDMap{{Inside: 0, Outside: 1001, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}}
	for id, want := range map[int]string{0: "1001", 1: "100000", 1234: "101233", 65536: "165535", 65537: "65534"} {
		if got := mapID(m, id, "65534"); got != want {
			t.Errorf("mapID(%d) = %s, want %s", id, got, want)
		}
	}
	if got := mapID(nil, 42, "65534"); got != "42" {
		t.Errorf("mapID without a map = %s", got)
	}
	if _, err := procfs.ParseIDMap([]byte("0 1 2 3\n")); err == nil {
		t.Error("ParseIDMap accepted a line of four fields")
	}
}

func TestLiveProcess(t *testing.T) {
	procs, err := List("/proc", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range procs {
		found = found || p.Pid == os.Getpid()
	}
	if !found {
		t.Fatalf("List of this process's namespace misses it (%d processes)", len(procs))
	}
	c, err := HostContext("/proc", os.Getpid())
	if err != nil || c.BootTime == 0 || len(c.UIDMap) == 0 {
		t.Fatalf("HostContext: %+v, %v", c, err)
	}
}
