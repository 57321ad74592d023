package container

import (
	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
)

// ResourceFlags are the user namespace and resource flags of create and
// run; the engine validates every value.
type ResourceFlags struct {
	Userns      libpod.UsernsOptions   // --userns, --uidmap, --gidmap
	Res         libpod.ResourceOptions // --memory … --shm-size
	cpuShares   uint64
	pidsLimit   int64
	oomScoreAdj int
}

func addResourceFlags(fs *pflag.FlagSet, o *ResourceFlags) {
	fs.StringVar(&o.Userns.Mode, "userns", "", "user namespace: host (pod's own, the default), keep-id[:uid=N,gid=N] (the container's user is yours), auto[:size=N]")
	fs.StringArrayVar(&o.Userns.UIDMap, "uidmap", nil, "UID map of a new user namespace: `CONTAINER_UID:FROM_UID[:AMOUNT]` (FROM_UID in pod's namespace, or @HOST_UID)")
	fs.StringArrayVar(&o.Userns.GIDMap, "gidmap", nil, "GID map of a new user namespace: `CONTAINER_GID:FROM_GID[:AMOUNT]` (FROM_GID in pod's namespace, or @HOST_GID)")
	fs.StringVarP(&o.Res.Memory, "memory", "m", "", "memory limit (format: <number>[<unit>], where unit = b, k, m or g; needs delegated cgroup v2)")
	fs.StringVar(&o.Res.MemorySwap, "memory-swap", "", "memory plus swap limit; -1 for unlimited swap")
	fs.StringVar(&o.Res.MemoryReservation, "memory-reservation", "", "memory soft limit")
	fs.StringVar(&o.Res.CPUs, "cpus", "", "number of CPUs, such as 1.5")
	fs.Uint64VarP(&o.cpuShares, "cpu-shares", "c", 0, "CPU shares (relative weight)")
	fs.StringVar(&o.Res.CpusetCpus, "cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)")
	fs.Int64Var(&o.pidsLimit, "pids-limit", 0, "tune the container's pids limit (-1 for unlimited)")
	fs.IntVar(&o.oomScoreAdj, "oom-score-adj", 0, "tune the host's OOM preferences for the container (-1000 to 1000; only upwards for an unprivileged user)")
	fs.StringArrayVar(&o.Res.Ulimits, "ulimit", nil, "ulimit options: NAME=SOFT[:HARD] (-1: unlimited), or host")
	fs.StringVar(&o.Res.ShmSize, "shm-size", "", "size of /dev/shm (format: <number>[<unit>], where unit = b, k, m or g; default 64m)")
	addCgroupFlags(fs, o)
}

// noteSet records which of the typed flags were given.
func (o *ResourceFlags) noteSet(fs *pflag.FlagSet) {
	if fs.Changed("cpu-shares") {
		o.Res.CPUShares = &o.cpuShares
	}
	if fs.Changed("pids-limit") {
		o.Res.PidsLimit = &o.pidsLimit
	}
	if fs.Changed("oom-score-adj") {
		o.Res.OomScoreAdj = &o.oomScoreAdj
	}
}

// apply copies the flags into the create options.
func (o *ResourceFlags) apply(co *libpod.CreateOptions) {
	co.Userns = o.Userns
	co.Resources = o.Res
}
