package ps

import (
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/pkg/procfs"
)

// IDMap is one line of a uid_map or gid_map.
type IDMap = procfs.IDMap

// Context is what the descriptors need beyond the process itself.
type Context struct {
	// Now is when the table is made; BootTime is when the system booted, in
	// seconds since the epoch; ClockTicks is USER_HZ (0: 100).
	Now        time.Time
	BootTime   int64
	ClockTicks int64
	// Users and Groups name ids as the container's /etc/passwd and
	// /etc/group do; an id they lack shows as its number.
	Users, Groups map[int]string
	// UIDMap and GIDMap map the processes' ids to the host's (huser,
	// hgroup); nil leaves them as they are. An id they do not map shows as
	// OverflowUID or OverflowGID.
	UIDMap, GIDMap           []IDMap
	OverflowUID, OverflowGID string
	// CapLast is the kernel's last capability: a set holding all of them
	// up to it shows as "full" (0: never).
	CapLast int
}

// HostContext returns the Context of the processes of the user namespace
// of pid, read below procDir ("/proc"): the namespace's id maps, the
// kernel's last capability, the overflow ids and the boot time. Users and
// Groups are left to the caller.
func HostContext(procDir string, pid int) (*Context, error) {
	c := &Context{Now: time.Now(), OverflowUID: "65534", OverflowGID: "65534"}
	if bt := procfs.BootTime(); !bt.IsZero() {
		c.BootTime = bt.Unix()
	}
	dir := filepath.Join(procDir, strconv.Itoa(pid))
	for _, m := range []struct {
		file string
		dst  *[]IDMap
	}{{"uid_map", &c.UIDMap}, {"gid_map", &c.GIDMap}} {
		data, err := os.ReadFile(filepath.Join(dir, m.file))
		if err != nil {
			return nil, err
		}
		if *m.dst, err = procfs.ParseIDMap(data); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", dir, m.file, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(procDir, "sys", "kernel", "cap_last_cap")); err == nil {
		c.CapLast, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	for file, dst := range map[string]*string{"overflowuid": &c.OverflowUID, "overflowgid": &c.OverflowGID} {
		if b, err := os.ReadFile(filepath.Join(procDir, "sys", "fs", file)); err == nil {
			*dst = strings.TrimSpace(string(b))
		}
	}
	return c, nil
}

func (c *Context) userName(uid int) string  { return lookupName(c.Users, uid) }
func (c *Context) groupName(gid int) string { return lookupName(c.Groups, gid) }

func lookupName(names map[int]string, id int) string {
	if n, ok := names[id]; ok && n != "" {
		return n
	}
	return strconv.Itoa(id)
}

func (c *Context) hostUID(uid int) string { return mapID(c.UIDMap, uid, c.OverflowUID) }
func (c *Context) hostGID(gid int) string { return mapID(c.GIDMap, gid, c.OverflowGID) }

// mapID maps id through m to the parent namespace, as a number.
func mapID(m []IDMap, id int, overflow string) string {
	if m == nil {
		return strconv.Itoa(id)
	}
	for _, l := range m {
		if u := uint64(id); id >= 0 && u >= l.Inside && u-l.Inside < l.Count {
			return strconv.FormatUint(l.Outside+u-l.Inside, 10)
		}
	}
	return overflow
}

// capNames are the capabilities by number, without "CAP_".
func capNames() []string {
	return []string{
		"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
		"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
		"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
		"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
		"LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
		"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
	}
}

// caps names a capability set as psgo does: "full" when it holds every
// capability up to the kernel's last, "none" when empty, else the names
// sorted and joined with commas (a number the table does not know shows
// as "unknown").
func (c *Context) caps(mask uint64) string {
	if c.CapLast > 0 && c.CapLast < 63 && mask == 1<<(c.CapLast+1)-1 {
		return "full"
	}
	if mask == 0 {
		return "none"
	}
	names := capNames()
	out := make([]string, 0, bits.OnesCount64(mask))
	for i := 0; i < 64; i++ {
		if mask&(1<<i) == 0 {
			continue
		}
		if i < len(names) {
			out = append(out, names[i])
		} else {
			out = append(out, "unknown")
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
