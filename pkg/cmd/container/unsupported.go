package container

import (
	"fmt"
	"slices"

	"github.com/spf13/pflag"
)

// pendingFlag is a flag of podman's run and create that pod parses but does
// not implement yet: given with any value but the ones in accept (what pod
// does anyway), the command fails naming it, and nothing is created.
type pendingFlag struct {
	name, kind, def, usage string
	// accept are the values pod honours as they are ("*": every value).
	accept []string
	// why completes the refusal ("" for none).
	why string
}

// pendingCreateFlags lists them, with their podman types and defaults.
func pendingCreateFlags() []pendingFlag {
	const (
		str, arr, bl, uintK, intK = "string", "stringArray", "bool", "uint", "int"
	)
	noPods := "pod has no pods yet"
	noCgroupRes := "pod sets only --memory*, --cpus, --cpu-shares, --cpuset-cpus and --pids-limit"
	return []pendingFlag{
		{name: "blkio-weight", kind: str, usage: "block IO relative weight (10-1000)", why: noCgroupRes},
		{name: "blkio-weight-device", kind: arr, usage: "block IO relative device weight", why: noCgroupRes},
		{name: "cgroup-conf", kind: arr, usage: "cgroup v2 configuration (`key=value`)", why: noCgroupRes},
		{name: "cgroup-parent", kind: str, usage: "parent cgroup of the container"},
		{name: "cgroups", kind: str, def: "enabled", usage: "control the container's cgroup creation (enabled, disabled, no-conmon, split)"},
		{name: "chrootdirs", kind: arr, usage: "chroot directories inside the container"},
		{name: "cpu-period", kind: uintK, def: "0", usage: "limit the CPU CFS period", why: noCgroupRes},
		{name: "cpu-quota", kind: intK, def: "0", usage: "limit the CPU CFS quota", why: noCgroupRes},
		{name: "cpu-rt-period", kind: uintK, def: "0", usage: "limit the CPU real-time period in microseconds", why: noCgroupRes},
		{name: "cpu-rt-runtime", kind: intK, def: "0", usage: "limit the CPU real-time runtime in microseconds", why: noCgroupRes},
		{name: "cpuset-mems", kind: str, usage: "memory nodes in which to allow execution (0-3, 0,1)", why: noCgroupRes},
		{name: "device-cgroup-rule", kind: arr, usage: "add a rule to the cgroup allowed devices list"},
		{name: "device-read-bps", kind: arr, usage: "limit the read rate (bytes per second) from a device", why: noCgroupRes},
		{name: "device-read-iops", kind: arr, usage: "limit the read rate (IO per second) from a device", why: noCgroupRes},
		{name: "device-write-bps", kind: arr, usage: "limit the write rate (bytes per second) to a device", why: noCgroupRes},
		{name: "device-write-iops", kind: arr, usage: "limit the write rate (IO per second) to a device", why: noCgroupRes},
		{name: "disable-content-trust", kind: bl, def: "false", usage: "accepted for Docker compatibility; does nothing", accept: []string{"*"}},
		{name: "hostuser", kind: arr, usage: "host user account to add to /etc/passwd within the container"},
		{name: "image-volume", kind: str, def: "bind", usage: "how to create the image's volumes (bind, tmpfs, ignore)"},
		{name: "ip6", kind: str, usage: "static IPv6 address of the container", why: "pod's user networks are IPv4 only"},
		{name: "memory-swappiness", kind: intK, def: "-1", usage: "tune the container's memory swappiness (0 to 100, or -1)", accept: []string{"-1"}, why: noCgroupRes},
		{name: "oom-kill-disable", kind: bl, def: "false", usage: "disable the OOM killer", accept: []string{"false"}},
		{name: "passwd", kind: bl, def: "true", usage: "add an entry for the user to /etc/passwd (pod never changes /etc/passwd: false)", accept: []string{"false"}},
		{name: "passwd-entry", kind: str, usage: "entry to write to /etc/passwd"},
		{name: "pod", kind: str, usage: "run the container in an existing pod", why: noPods},
		{name: "pod-id-file", kind: str, usage: "read the pod id from the file", why: noPods},
		{name: "preserve-fds", kind: uintK, def: "0", usage: "pass this many additional file descriptors to the container", accept: []string{"0"}},
		{name: "rootfs", kind: bl, def: "false", usage: "the first argument is an exploded container root filesystem, not an image", accept: []string{"false"}},
		{name: "sdnotify", kind: str, def: "container", usage: "how to handle NOTIFY_SOCKET (container, conmon, ignore)", accept: []string{"container", "ignore"}},
		{name: "seccomp-policy", kind: str, def: "default", usage: "seccomp policy (default; image is not supported yet)", accept: []string{"default"}},
		{name: "secret", kind: arr, usage: "add a secret to the container"},
		{name: "subgidname", kind: str, usage: "map the container's GIDs with this name of /etc/subgid"},
		{name: "subuidname", kind: str, usage: "map the container's UIDs with this name of /etc/subuid"},
		{name: "systemd", kind: str, def: "true", usage: "systemd mode (pod has none: only false)", accept: []string{"false"}, why: "pod has no systemd mode: use --systemd=false"},
	}
}

// addPendingFlags defines the pending flags on fs.
func addPendingFlags(fs *pflag.FlagSet) {
	for _, p := range pendingCreateFlags() {
		switch p.kind {
		case "bool":
			fs.Bool(p.name, p.def == "true", p.usage)
		case "stringArray":
			fs.StringArray(p.name, nil, p.usage)
		case "uint":
			fs.Uint(p.name, 0, p.usage)
		case "int":
			def := int64(0)
			if p.def == "-1" {
				def = -1
			}
			fs.Int64(p.name, def, p.usage)
		default:
			fs.String(p.name, p.def, p.usage)
		}
	}
}

// checkPendingFlags refuses the first pending flag given with a value pod
// does not honour.
func checkPendingFlags(fs *pflag.FlagSet) error {
	for _, p := range pendingCreateFlags() {
		fl := fs.Lookup(p.name)
		if fl == nil || !fl.Changed {
			continue
		}
		if slices.Contains(p.accept, "*") {
			continue
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			if len(sv.GetSlice()) == 0 {
				continue
			}
		} else if slices.Contains(p.accept, fl.Value.String()) {
			continue
		}
		return notSupportedYet(p.name, p.why)
	}
	return nil
}

// notSupportedYet is the refusal of a flag pod parses but cannot honour.
func notSupportedYet(flag, why string) error {
	if why != "" {
		return fmt.Errorf("not supported yet: --%s (%s)", flag, why)
	}
	return fmt.Errorf("not supported yet: --%s", flag)
}
