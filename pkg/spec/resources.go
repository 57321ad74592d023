package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	units "github.com/docker/go-units"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// ResourceOptions are the resource flags as the user gave them; "" or nil
// means not given.
type ResourceOptions struct {
	Memory            string   // --memory
	MemorySwap        string   // --memory-swap (-1: unlimited)
	MemoryReservation string   // --memory-reservation
	CPUs              string   // --cpus
	CPUShares         *uint64  // --cpu-shares
	CpusetCpus        string   // --cpuset-cpus
	PidsLimit         *int64   // --pids-limit (-1 or 0: unlimited)
	OomScoreAdj       *int     // --oom-score-adj
	Ulimits           []string // --ulimit NAME=SOFT[:HARD] or host
	ShmSize           string   // --shm-size
	CgroupOptions              // --cpu-period … --cgroups (cgroupres.go)
}

// Ulimit is one --ulimit: Name is the RLIMIT_* name; -1 is unlimited.
type Ulimit struct {
	Name string `json:"Name"`
	Soft int64  `json:"Soft"`
	Hard int64  `json:"Hard"`
}

// Resources are the validated resource settings of a container. The
// cgroup ones (memory, CPU, pids) apply only where the container gets a
// cgroup; the others always.
type Resources struct {
	Memory            int64    `json:"memory,omitempty"`
	MemorySwap        int64    `json:"memorySwap,omitempty"` // memory + swap; -1 unlimited
	MemoryReservation int64    `json:"memoryReservation,omitempty"`
	NanoCPUs          int64    `json:"nanoCpus,omitempty"`
	CPUShares         uint64   `json:"cpuShares,omitempty"`
	CpusetCpus        string   `json:"cpusetCpus,omitempty"`
	PidsLimit         int64    `json:"pidsLimit,omitempty"` // 0: none given; -1 unlimited
	OomScoreAdj       *int     `json:"oomScoreAdj,omitempty"`
	Ulimits           []Ulimit `json:"ulimits,omitempty"`
	UlimitHost        bool     `json:"ulimitHost,omitempty"` // --ulimit host: every limit of the caller
	ShmSize           *int64   `json:"shmSize,omitempty"`    // nil: DefaultShmSize
	CgroupSettings             // --cpu-period … --cgroups (cgroupres.go)
}

// DefaultShmSize is /dev/shm's size without --shm-size (65536k).
const DefaultShmSize = 64 << 20

// CPUPeriod is the CFS period --cpus is expressed in (microseconds).
const CPUPeriod = 100000

// minMemory is the smallest memory limit accepted.
const minMemory = 6 << 20

// HasCgroupLimits reports whether r asks for anything only a cgroup can
// enforce.
func (r *Resources) HasCgroupLimits() bool {
	return r.Memory != 0 || r.MemorySwap != 0 || r.MemoryReservation != 0 || r.NanoCPUs != 0 ||
		r.CPUShares != 0 || r.CpusetCpus != "" || r.PidsLimit != 0 || r.hasLimits()
}

// IsZero reports whether r sets nothing.
func (r *Resources) IsZero() bool {
	return !r.HasCgroupLimits() && r.OomScoreAdj == nil && len(r.Ulimits) == 0 && !r.UlimitHost && r.ShmSize == nil && r.isZero()
}

// Controllers are the cgroup v2 controllers r needs.
func (r *Resources) Controllers() []string {
	var c []string
	if r.Memory != 0 || r.MemorySwap != 0 || r.MemoryReservation != 0 {
		c = append(c, "memory")
	}
	if r.NanoCPUs != 0 || r.CPUShares != 0 {
		c = append(c, "cpu")
	}
	if r.CpusetCpus != "" {
		c = append(c, "cpuset")
	}
	if r.PidsLimit > 0 {
		c = append(c, "pids")
	}
	return r.controllers(c)
}

// ParseResources validates o. Errors name the flag and wrap
// define.ErrInvalidArg.
func ParseResources(o ResourceOptions) (Resources, error) {
	var r Resources
	var err error
	if o.Memory != "" {
		if r.Memory, err = parseRAM("--memory", o.Memory); err != nil {
			return r, err
		}
		if r.Memory < minMemory {
			return r, invalidArg("--memory %s: the minimum memory limit is 6MB", o.Memory)
		}
	}
	if o.MemorySwap != "" {
		if o.MemorySwap == "-1" {
			r.MemorySwap = -1
		} else if r.MemorySwap, err = parseRAM("--memory-swap", o.MemorySwap); err != nil {
			return r, err
		}
		if r.Memory == 0 && r.MemorySwap != -1 {
			return r, invalidArg("--memory-swap %s needs --memory: the swap limit is memory plus swap", o.MemorySwap)
		}
		if r.MemorySwap != -1 && r.MemorySwap < r.Memory {
			return r, invalidArg("--memory-swap %s is below --memory %s: it is the limit of memory plus swap, so at least the memory limit (-1: unlimited)", o.MemorySwap, o.Memory)
		}
	}
	if o.MemoryReservation != "" {
		if r.MemoryReservation, err = parseRAM("--memory-reservation", o.MemoryReservation); err != nil {
			return r, err
		}
		if r.Memory != 0 && r.MemoryReservation > r.Memory {
			return r, invalidArg("--memory-reservation %s is above --memory %s: the reservation is a soft limit below the hard one", o.MemoryReservation, o.Memory)
		}
	}
	if o.CPUs != "" {
		f, err := strconv.ParseFloat(o.CPUs, 64)
		if err != nil || math.IsNaN(f) || f < 0.01 || f > 1e6 {
			return r, invalidArg("--cpus %s: expected a number of CPUs of at least 0.01, such as 1.5", o.CPUs)
		}
		r.NanoCPUs = int64(math.Round(f * 1e9))
	}
	if o.CPUShares != nil {
		if *o.CPUShares != 0 && (*o.CPUShares < 2 || *o.CPUShares > 262144) {
			return r, invalidArg("--cpu-shares %d: expected 2 to 262144", *o.CPUShares)
		}
		r.CPUShares = *o.CPUShares
	}
	if o.CpusetCpus != "" {
		if err := checkCPUList(o.CpusetCpus); err != nil {
			return r, invalidArg("--cpuset-cpus %s: %v (expected a list such as 0-2,4)", o.CpusetCpus, err)
		}
		r.CpusetCpus = o.CpusetCpus
	}
	if o.PidsLimit != nil {
		r.PidsLimit = *o.PidsLimit
		if r.PidsLimit <= 0 {
			r.PidsLimit = -1
		}
	}
	if o.OomScoreAdj != nil {
		if *o.OomScoreAdj < -1000 || *o.OomScoreAdj > 1000 {
			return r, invalidArg("--oom-score-adj %d: expected -1000 to 1000", *o.OomScoreAdj)
		}
		v := *o.OomScoreAdj
		r.OomScoreAdj = &v
	}
	for _, u := range o.Ulimits {
		if u == "host" {
			r.UlimitHost = true
			continue
		}
		ul, err := ParseUlimit(u)
		if err != nil {
			return r, err
		}
		r.Ulimits = setUlimit(r.Ulimits, ul)
	}
	if o.ShmSize != "" {
		n, err := parseRAM("--shm-size", o.ShmSize)
		if err != nil {
			return r, err
		}
		r.ShmSize = &n
	}
	if r.CgroupSettings, err = parseCgroupOptions(o.CgroupOptions, r.NanoCPUs); err != nil {
		return r, err
	}
	return r, nil
}

func parseRAM(flag, v string) (int64, error) {
	n, err := units.RAMInBytes(v)
	if err != nil || n < 0 {
		return 0, invalidArg("%s %s: invalid size: expected a number with an optional unit (b, k, m, g)", flag, v)
	}
	return n, nil
}

func checkCPUList(s string) error {
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			return fmt.Errorf("%q is not a CPU number", lo)
		}
		if isRange {
			b, err := strconv.ParseUint(hi, 10, 16)
			if err != nil {
				return fmt.Errorf("%q is not a CPU number", hi)
			}
			if b < a {
				return fmt.Errorf("range %s is reversed", part)
			}
		}
	}
	return nil
}

// RlimitNames returns the --ulimit names and their RLIMIT_* types.
func RlimitNames() map[string]string {
	return map[string]string{
		"as": "RLIMIT_AS", "core": "RLIMIT_CORE", "cpu": "RLIMIT_CPU", "data": "RLIMIT_DATA",
		"fsize": "RLIMIT_FSIZE", "locks": "RLIMIT_LOCKS", "memlock": "RLIMIT_MEMLOCK",
		"msgqueue": "RLIMIT_MSGQUEUE", "nice": "RLIMIT_NICE", "nofile": "RLIMIT_NOFILE",
		"nproc": "RLIMIT_NPROC", "rss": "RLIMIT_RSS", "rtprio": "RLIMIT_RTPRIO",
		"rttime": "RLIMIT_RTTIME", "sigpending": "RLIMIT_SIGPENDING", "stack": "RLIMIT_STACK",
	}
}

// ParseUlimit parses NAME=SOFT[:HARD] (-1: unlimited; HARD defaults to
// SOFT).
func ParseUlimit(v string) (Ulimit, error) {
	name, vals, ok := strings.Cut(v, "=")
	if !ok {
		return Ulimit{}, invalidArg("--ulimit %s: expected NAME=SOFT[:HARD], such as nofile=1024:2048", v)
	}
	typ, ok := RlimitNames()[name]
	if !ok {
		return Ulimit{}, invalidArg("--ulimit %s: unknown limit %q (known: as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)", v, name)
	}
	softS, hardS, hasHard := strings.Cut(vals, ":")
	soft, err := strconv.ParseInt(softS, 10, 64)
	if err != nil || soft < -1 {
		return Ulimit{}, invalidArg("--ulimit %s: %q is not a limit (a number, -1 for unlimited)", v, softS)
	}
	hard := soft
	if hasHard {
		if hard, err = strconv.ParseInt(hardS, 10, 64); err != nil || hard < -1 {
			return Ulimit{}, invalidArg("--ulimit %s: %q is not a limit (a number, -1 for unlimited)", v, hardS)
		}
	}
	if hard != -1 && (soft == -1 || soft > hard) {
		return Ulimit{}, invalidArg("--ulimit %s: the soft limit is above the hard limit", v)
	}
	return Ulimit{Name: typ, Soft: soft, Hard: hard}, nil
}

func setUlimit(us []Ulimit, u Ulimit) []Ulimit {
	for i := range us {
		if us[i].Name == u.Name {
			us[i] = u
			return us
		}
	}
	return append(us, u)
}

// RlimitValue is a limit as the kernel and the spec take it (-1 becomes
// RLIM_INFINITY).
func RlimitValue(v int64) uint64 {
	if v < 0 {
		return math.MaxUint64
	}
	return uint64(v)
}

// ResourceSpec is what ApplyResources applies.
type ResourceSpec struct {
	Resources
	// Host are the caller's own limits, used for --ulimit host.
	Host []Ulimit
	// Cgroup is true when the container has a cgroup the runtime can
	// write the cgroup limits to (delegated cgroup v2).
	Cgroup bool
}

// ApplyResources writes the rlimits, /dev/shm's size, the OOM score
// adjustment and, with a cgroup, linux.resources into s.
func ApplyResources(s *specs.Spec, r ResourceSpec) {
	var limits []Ulimit
	if r.UlimitHost {
		limits = append(limits, r.Host...)
	}
	for _, u := range r.Ulimits {
		limits = setUlimit(limits, u)
	}
	for _, u := range limits {
		rl := specs.POSIXRlimit{Type: u.Name, Soft: RlimitValue(u.Soft), Hard: RlimitValue(u.Hard)}
		replaced := false
		for i := range s.Process.Rlimits {
			if s.Process.Rlimits[i].Type == u.Name {
				s.Process.Rlimits[i], replaced = rl, true
			}
		}
		if !replaced {
			s.Process.Rlimits = append(s.Process.Rlimits, rl)
		}
	}
	if r.ShmSize != nil {
		for i := range s.Mounts {
			m := &s.Mounts[i]
			if m.Destination != "/dev/shm" || m.Type != "tmpfs" {
				continue
			}
			opts := m.Options[:0:0]
			for _, o := range m.Options {
				if !strings.HasPrefix(o, "size=") {
					opts = append(opts, o)
				}
			}
			m.Options = append(opts, fmt.Sprintf("size=%d", *r.ShmSize))
		}
	}
	if r.OomScoreAdj != nil {
		v := *r.OomScoreAdj
		s.Process.OOMScoreAdj = &v
	}
	if r.Cgroup && (r.HasCgroupLimits() || len(r.DeviceCgroupRules) > 0) {
		s.Linux.Resources = LinuxResources(r.Resources)
	}
}

// LinuxResources is the runtime spec's linux.resources of r.
func LinuxResources(r Resources) *specs.LinuxResources {
	lr := &specs.LinuxResources{}
	if r.Memory != 0 || r.MemorySwap != 0 || r.MemoryReservation != 0 {
		lr.Memory = &specs.LinuxMemory{}
		if r.Memory != 0 {
			v := r.Memory
			lr.Memory.Limit = &v
		}
		if r.MemorySwap != 0 {
			v := r.MemorySwap
			lr.Memory.Swap = &v
		}
		if r.MemoryReservation != 0 {
			v := r.MemoryReservation
			lr.Memory.Reservation = &v
		}
	}
	if r.NanoCPUs != 0 || r.CPUShares != 0 || r.CpusetCpus != "" {
		lr.CPU = &specs.LinuxCPU{Cpus: r.CpusetCpus}
		if r.NanoCPUs != 0 {
			period := uint64(CPUPeriod)
			quota := r.NanoCPUs * CPUPeriod / 1e9
			lr.CPU.Period, lr.CPU.Quota = &period, &quota
		}
		if r.CPUShares != 0 {
			v := r.CPUShares
			lr.CPU.Shares = &v
		}
	}
	if r.PidsLimit != 0 {
		v := r.PidsLimit
		lr.Pids = &specs.LinuxPids{Limit: &v}
	}
	r.linuxCgroupResources(lr)
	return lr
}
