package libpod

import (
	"os"
	"strconv"
	"strings"
)

// Namespaces are a running container's namespaces as ps --ns shows them:
// the inode number of each of its init's namespaces ("" when it does not
// run).
type Namespaces struct {
	PID    string
	Cgroup string
	IPC    string
	MNT    string
	NET    string
	PIDNS  string
	User   string
	UTS    string
}

// Namespaces reads the namespaces of the container's init from /proc.
func (c *Container) Namespaces() Namespaces {
	pid := c.State.Pid
	if pid <= 0 || !c.State.Status.IsActive() {
		return Namespaces{PID: "0"}
	}
	dir := "/proc/" + strconv.Itoa(pid) + "/ns/"
	ino := func(name string) string {
		l, err := os.Readlink(dir + name)
		if err != nil {
			return ""
		}
		_, v, _ := strings.Cut(l, "[")
		return strings.TrimSuffix(v, "]")
	}
	return Namespaces{PID: strconv.Itoa(pid), Cgroup: ino("cgroup"), IPC: ino("ipc"), MNT: ino("mnt"), NET: ino("net"),
		PIDNS: ino("pid"), User: ino("user"), UTS: ino("uts")}
}
