package container

import (
	"strconv"

	"github.com/spf13/pflag"
)

// optInt64 is a flag value that leaves *target nil until given.
type optInt64 struct {
	target **int64
	def    int64
}

func (v optInt64) String() string {
	if *v.target != nil {
		return strconv.FormatInt(**v.target, 10)
	}
	return strconv.FormatInt(v.def, 10)
}

func (v optInt64) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return err
	}
	*v.target = &n
	return nil
}

func (v optInt64) Type() string { return "int" }

// optUint64 is a flag value that leaves *target nil until given.
type optUint64 struct{ target **uint64 }

func (v optUint64) String() string {
	if *v.target != nil {
		return strconv.FormatUint(**v.target, 10)
	}
	return "0"
}

func (v optUint64) Set(s string) error {
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return err
	}
	*v.target = &n
	return nil
}

func (v optUint64) Type() string { return "uint" }

// defString is a string flag whose default shows in the help but leaves
// *target empty until given.
type defString struct {
	target *string
	def    string
}

func (v defString) String() string {
	if *v.target != "" {
		return *v.target
	}
	return v.def
}

func (v defString) Set(s string) error { *v.target = s; return nil }

func (v defString) Type() string { return "string" }

// addCgroupFlags defines --cpu-period … --cgroups (podman's types and
// defaults) into o.Res.CgroupOptions; the engine validates them.
func addCgroupFlags(fs *pflag.FlagSet, o *ResourceFlags) {
	c := &o.Res.CgroupOptions
	fs.Var(optUint64{&c.CPUPeriod}, "cpu-period", "limit the CPU CFS (Completely Fair Scheduler) period, in microseconds")
	fs.Var(optInt64{target: &c.CPUQuota}, "cpu-quota", "limit the CPU CFS (Completely Fair Scheduler) quota, in microseconds")
	fs.Var(optUint64{&c.CPURtPeriod}, "cpu-rt-period", "limit the CPU real-time period in microseconds (cgroup v1 only)")
	fs.Var(optInt64{target: &c.CPURtRuntime}, "cpu-rt-runtime", "limit the CPU real-time runtime in microseconds (cgroup v1 only)")
	fs.StringVar(&c.CpusetMems, "cpuset-mems", "", "memory nodes (MEMs) in which to allow execution (0-3, 0,1); only effective on NUMA systems")
	fs.Var(optInt64{target: &c.MemorySwappiness, def: -1}, "memory-swappiness", "tune the container's memory swappiness (0 to 100, or -1 for the system's default; cgroup v1 only)")
	fs.BoolVar(&c.OomKillDisable, "oom-kill-disable", false, "disable the OOM killer (cgroup v1 only)")
	fs.StringVar(&c.BlkioWeight, "blkio-weight", "", "block IO relative weight, 10 to 1000")
	fs.StringSliceVar(&c.BlkioWeightDevice, "blkio-weight-device", nil, "block IO relative device weight (`DEVICE_NAME:WEIGHT`)")
	fs.StringSliceVar(&c.DeviceReadBps, "device-read-bps", nil, "limit the read rate (bytes per second) from a device (e.g. --device-read-bps=/dev/sda:1mb)")
	fs.StringSliceVar(&c.DeviceWriteBps, "device-write-bps", nil, "limit the write rate (bytes per second) to a device (e.g. --device-write-bps=/dev/sda:1mb)")
	fs.StringSliceVar(&c.DeviceReadIOps, "device-read-iops", nil, "limit the read rate (IO per second) from a device (e.g. --device-read-iops=/dev/sda:1000)")
	fs.StringSliceVar(&c.DeviceWriteIOps, "device-write-iops", nil, "limit the write rate (IO per second) to a device (e.g. --device-write-iops=/dev/sda:1000)")
	fs.StringSliceVar(&c.CgroupConf, "cgroup-conf", nil, "set a cgroup v2 file of the container's cgroup (key=value)")
	fs.StringSliceVar(&c.DeviceCgroupRules, "device-cgroup-rule", nil, "add a rule to the cgroup allowed devices list (\"TYPE MAJOR:MINOR ACCESS\")")
	fs.StringVar(&c.CgroupParent, "cgroup-parent", "", "parent cgroup of the container's cgroup (a path; relative: below the user's cgroup)")
	fs.Var(defString{&c.Cgroups, "enabled"}, "cgroups", "control the container's cgroup creation (enabled, disabled, no-conmon; split is refused)")
}
