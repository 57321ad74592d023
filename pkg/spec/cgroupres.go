package spec

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	units "github.com/docker/go-units"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// CgroupOptions are the cgroup flags beyond --memory, --cpus and
// --pids-limit, as the user gave them ("", nil or false: not given).
type CgroupOptions struct {
	CPUPeriod         *uint64  // --cpu-period (microseconds)
	CPUQuota          *int64   // --cpu-quota (microseconds; <= 0: not set)
	CPURtPeriod       *uint64  // --cpu-rt-period
	CPURtRuntime      *int64   // --cpu-rt-runtime (<= 0: not set)
	CpusetMems        string   // --cpuset-mems
	MemorySwappiness  *int64   // --memory-swappiness (-1: the system's)
	OomKillDisable    bool     // --oom-kill-disable
	BlkioWeight       string   // --blkio-weight
	BlkioWeightDevice []string // --blkio-weight-device PATH:WEIGHT
	DeviceReadBps     []string // --device-read-bps PATH:RATE[unit]
	DeviceWriteBps    []string // --device-write-bps
	DeviceReadIOps    []string // --device-read-iops PATH:RATE
	DeviceWriteIOps   []string // --device-write-iops
	CgroupConf        []string // --cgroup-conf KEY=VALUE (cgroup v2 files)
	DeviceCgroupRules []string // --device-cgroup-rule "TYPE MAJOR:MINOR ACCESS"
	CgroupParent      string   // --cgroup-parent
	Cgroups           string   // --cgroups
}

// The --cgroups modes pod keeps ("" is enabled).
const (
	CgroupsDisabled = "disabled"
	CgroupsNoConmon = "no-conmon"
)

// BlkioDevice is a weight or a rate limit of one block device. Major and
// Minor are filled in by the caller, which looks at the host's node.
type BlkioDevice struct {
	Path  string `json:"path"`
	Major int64  `json:"major"`
	Minor int64  `json:"minor"`
	// Value is the weight (--blkio-weight-device) or the rate in bytes or
	// operations per second.
	Value uint64 `json:"value"`
}

// CgroupSettings are the validated cgroup flags of CgroupOptions.
type CgroupSettings struct {
	CPUPeriod          uint64            `json:"cpuPeriod,omitempty"`
	CPUQuota           int64             `json:"cpuQuota,omitempty"`
	CPURealtimePeriod  uint64            `json:"cpuRealtimePeriod,omitempty"`
	CPURealtimeRuntime int64             `json:"cpuRealtimeRuntime,omitempty"`
	CpusetMems         string            `json:"cpusetMems,omitempty"`
	MemorySwappiness   *uint64           `json:"memorySwappiness,omitempty"`
	OomKillDisable     bool              `json:"oomKillDisable,omitempty"`
	BlkioWeight        uint16            `json:"blkioWeight,omitempty"`
	BlkioWeightDevice  []BlkioDevice     `json:"blkioWeightDevice,omitempty"`
	BlkioReadBps       []BlkioDevice     `json:"blkioReadBps,omitempty"`
	BlkioWriteBps      []BlkioDevice     `json:"blkioWriteBps,omitempty"`
	BlkioReadIOps      []BlkioDevice     `json:"blkioReadIOps,omitempty"`
	BlkioWriteIOps     []BlkioDevice     `json:"blkioWriteIOps,omitempty"`
	CgroupConf         map[string]string `json:"cgroupConf,omitempty"`
	// DeviceCgroupRules are linux.resources.devices entries; they need
	// a cgroup but are no limit (no warning without one).
	DeviceCgroupRules []specs.LinuxDeviceCgroup `json:"deviceCgroupRules,omitempty"`
	// CgroupParent is --cgroup-parent as given.
	CgroupParent string `json:"cgroupParent,omitempty"`
	// CgroupsMode is "" (enabled), CgroupsDisabled or CgroupsNoConmon.
	CgroupsMode string `json:"cgroupsMode,omitempty"`
	// NoCgroup records that the host could give the container no cgroup
	// at create: the limits were dropped with a warning (the block
	// device lists are kept for inspect) and it never gets one.
	NoCgroup bool `json:"noCgroup,omitempty"`
}

// hasLimits reports whether c sets a limit only a cgroup can enforce.
func (c *CgroupSettings) hasLimits() bool {
	return c.CPUPeriod != 0 || c.CPUQuota != 0 || c.CPURealtimePeriod != 0 || c.CPURealtimeRuntime != 0 ||
		c.CpusetMems != "" || c.MemorySwappiness != nil || c.OomKillDisable || c.BlkioWeight != 0 ||
		c.hasBlkioDevices() || len(c.CgroupConf) > 0
}

func (c *CgroupSettings) hasBlkioDevices() bool {
	return len(c.BlkioWeightDevice)+len(c.BlkioReadBps)+len(c.BlkioWriteBps)+len(c.BlkioReadIOps)+len(c.BlkioWriteIOps) > 0
}

// isZero reports whether c sets nothing.
func (c *CgroupSettings) isZero() bool {
	return !c.hasLimits() && len(c.DeviceCgroupRules) == 0 && c.CgroupParent == "" && c.CgroupsMode == "" && !c.NoCgroup
}

// V1Only are the names of the flags set in c that cgroup v2 has no file
// for (real-time CPU, swappiness, OOM killer).
func (c *CgroupSettings) V1Only() []string {
	var names []string
	if c.CPURealtimePeriod != 0 {
		names = append(names, "--cpu-rt-period")
	}
	if c.CPURealtimeRuntime != 0 {
		names = append(names, "--cpu-rt-runtime")
	}
	if c.MemorySwappiness != nil {
		names = append(names, "--memory-swappiness")
	}
	if c.OomKillDisable {
		names = append(names, "--oom-kill-disable")
	}
	return names
}

// DropV1Only unsets what V1Only names.
func (c *CgroupSettings) DropV1Only() {
	c.CPURealtimePeriod, c.CPURealtimeRuntime, c.MemorySwappiness, c.OomKillDisable = 0, 0, nil, false
}

// DropLimits unsets every limit but the block device lists (which inspect
// shows as given) and marks c as having no cgroup.
func (c *CgroupSettings) DropLimits() {
	keep := CgroupSettings{
		BlkioWeightDevice: c.BlkioWeightDevice, BlkioReadBps: c.BlkioReadBps, BlkioWriteBps: c.BlkioWriteBps,
		BlkioReadIOps: c.BlkioReadIOps, BlkioWriteIOps: c.BlkioWriteIOps,
		DeviceCgroupRules: c.DeviceCgroupRules, CgroupParent: c.CgroupParent, CgroupsMode: c.CgroupsMode, NoCgroup: true,
	}
	*c = keep
}

// controllers are the cgroup v2 controllers c needs, after the ones of
// the other limits (have), without repeats.
func (c *CgroupSettings) controllers(have []string) []string {
	add := func(name string) {
		if !slices.Contains(have, name) {
			have = append(have, name)
		}
	}
	if c.MemorySwappiness != nil || c.OomKillDisable {
		add("memory")
	}
	if c.CPUPeriod != 0 || c.CPUQuota != 0 || c.CPURealtimePeriod != 0 || c.CPURealtimeRuntime != 0 {
		add("cpu")
	}
	if c.CpusetMems != "" {
		add("cpuset")
	}
	if c.BlkioWeight != 0 || c.hasBlkioDevices() {
		add("io")
	}
	for _, k := range slices.Sorted(maps.Keys(c.CgroupConf)) {
		if ctl, _, _ := strings.Cut(k, "."); ctl != "cgroup" {
			add(ctl)
		}
	}
	return have
}

// parseCgroupOptions validates o; nanoCPUs is --cpus, which excludes
// --cpu-period and --cpu-quota. Errors name the flag and wrap
// define.ErrInvalidArg.
func parseCgroupOptions(o CgroupOptions, nanoCPUs int64) (CgroupSettings, error) {
	var c CgroupSettings
	var err error
	if o.CPUPeriod != nil && *o.CPUPeriod != 0 {
		if nanoCPUs != 0 {
			return c, invalidArg("--cpu-period and --cpus cannot be set together: --cpus sets the period and quota")
		}
		if *o.CPUPeriod < 1000 || *o.CPUPeriod > 1000000 {
			return c, invalidArg("--cpu-period %d: expected 1000 to 1000000 microseconds", *o.CPUPeriod)
		}
		c.CPUPeriod = *o.CPUPeriod
	}
	if o.CPUQuota != nil && *o.CPUQuota > 0 {
		if nanoCPUs != 0 {
			return c, invalidArg("--cpu-quota and --cpus cannot be set together: --cpus sets the period and quota")
		}
		if *o.CPUQuota < 1000 {
			return c, invalidArg("--cpu-quota %d: expected at least 1000 microseconds (or -1 for no limit)", *o.CPUQuota)
		}
		c.CPUQuota = *o.CPUQuota
	}
	if o.CPURtPeriod != nil {
		c.CPURealtimePeriod = *o.CPURtPeriod
	}
	if o.CPURtRuntime != nil && *o.CPURtRuntime > 0 {
		c.CPURealtimeRuntime = *o.CPURtRuntime
		if c.CPURealtimePeriod != 0 && uint64(c.CPURealtimeRuntime) > c.CPURealtimePeriod {
			return c, invalidArg("--cpu-rt-runtime %d is above --cpu-rt-period %d: the runtime is a share of the period", c.CPURealtimeRuntime, c.CPURealtimePeriod)
		}
	}
	if o.CpusetMems != "" {
		if err := checkCPUList(o.CpusetMems); err != nil {
			return c, invalidArg("--cpuset-mems %s: %s (expected a list of memory nodes such as 0-1,3)",
				o.CpusetMems, strings.ReplaceAll(err.Error(), "CPU number", "memory node number"))
		}
		c.CpusetMems = o.CpusetMems
	}
	if o.MemorySwappiness != nil && *o.MemorySwappiness != -1 {
		if *o.MemorySwappiness < 0 || *o.MemorySwappiness > 100 {
			return c, invalidArg("--memory-swappiness %d: expected 0 to 100, or -1 for the system's default", *o.MemorySwappiness)
		}
		v := uint64(*o.MemorySwappiness)
		c.MemorySwappiness = &v
	}
	c.OomKillDisable = o.OomKillDisable
	if o.BlkioWeight != "" {
		w, err := strconv.ParseUint(o.BlkioWeight, 10, 16)
		if err != nil || (w != 0 && (w < 10 || w > 1000)) {
			return c, invalidArg("--blkio-weight %s: expected a weight of 10 to 1000", o.BlkioWeight)
		}
		c.BlkioWeight = uint16(w)
	}
	for _, v := range o.BlkioWeightDevice {
		d, err := parseBlkioDevice("--blkio-weight-device", v, "WEIGHT", func(s string) (uint64, bool) {
			w, err := strconv.ParseUint(s, 10, 16)
			return w, err == nil && (w == 0 || (w >= 10 && w <= 1000))
		})
		if err != nil {
			return c, err
		}
		c.BlkioWeightDevice = append(c.BlkioWeightDevice, d)
	}
	bytesRate := func(s string) (uint64, bool) {
		n, err := units.RAMInBytes(s)
		return uint64(n), err == nil && n >= 0 && !strings.HasPrefix(s, "-")
	}
	opsRate := func(s string) (uint64, bool) {
		n, err := strconv.ParseUint(s, 10, 64)
		return n, err == nil
	}
	for _, l := range []struct {
		flag, unit string
		vals       []string
		rate       func(string) (uint64, bool)
		dst        *[]BlkioDevice
	}{
		{"--device-read-bps", "RATE[kb|mb|gb]", o.DeviceReadBps, bytesRate, &c.BlkioReadBps},
		{"--device-write-bps", "RATE[kb|mb|gb]", o.DeviceWriteBps, bytesRate, &c.BlkioWriteBps},
		{"--device-read-iops", "RATE", o.DeviceReadIOps, opsRate, &c.BlkioReadIOps},
		{"--device-write-iops", "RATE", o.DeviceWriteIOps, opsRate, &c.BlkioWriteIOps},
	} {
		for _, v := range l.vals {
			d, err := parseBlkioDevice(l.flag, v, l.unit, l.rate)
			if err != nil {
				return c, err
			}
			*l.dst = append(*l.dst, d)
		}
	}
	if c.CgroupConf, err = parseCgroupConf(o.CgroupConf); err != nil {
		return c, err
	}
	for _, v := range o.DeviceCgroupRules {
		rule, err := ParseDeviceCgroupRule(v)
		if err != nil {
			return c, err
		}
		c.DeviceCgroupRules = append(c.DeviceCgroupRules, rule)
	}
	if err := c.parseCgroupsMode(o.Cgroups, o.CgroupParent); err != nil {
		return c, err
	}
	return c, nil
}

// parseCgroupsMode validates --cgroups and --cgroup-parent together.
func (c *CgroupSettings) parseCgroupsMode(mode, parent string) error {
	switch mode {
	case "", "enabled":
	case CgroupsDisabled, CgroupsNoConmon:
		c.CgroupsMode = mode
	case "split":
		return invalidArg("--cgroups split is not supported: it divides the cgroup of the systemd unit that runs the command between the monitor and the container, and pod runs without systemd; use enabled or disabled")
	default:
		return invalidArg("--cgroups %s: unknown mode (enabled, disabled, no-conmon or split)", mode)
	}
	if parent == "" {
		return nil
	}
	if c.CgroupsMode == CgroupsDisabled {
		return invalidArg("--cgroup-parent %s conflicts with --cgroups disabled: a container without cgroups has no parent cgroup", parent)
	}
	if strings.HasSuffix(parent, ".slice") {
		return invalidArg("--cgroup-parent %s is a systemd slice, but pod manages cgroups itself (cgroupfs): give a cgroup path such as /mygroup", parent)
	}
	for _, part := range strings.Split(parent, "/") {
		if part == ".." {
			return invalidArg("--cgroup-parent %s: \"..\" is not allowed in a cgroup path", parent)
		}
	}
	c.CgroupParent = parent
	return nil
}

// parseBlkioDevice parses PATH:VALUE of a block device flag; ok reports
// whether the value is valid.
func parseBlkioDevice(flag, v, unit string, value func(string) (uint64, bool)) (BlkioDevice, error) {
	p, val, found := strings.Cut(v, ":")
	if !found {
		return BlkioDevice{}, invalidArg("%s %s: expected DEVICE:%s, such as /dev/sda:%s", flag, v, unit, example(unit))
	}
	if !strings.HasPrefix(p, "/dev/") {
		return BlkioDevice{}, invalidArg("%s %s: %q is not a device path (/dev/...)", flag, v, p)
	}
	n, ok := value(val)
	if !ok {
		what := "a rate of bytes per second, a number with an optional unit (kb, mb, gb)"
		switch unit {
		case "WEIGHT":
			what = "a weight of 10 to 1000 (0: none)"
		case "RATE":
			what = "a number of operations per second"
		}
		return BlkioDevice{}, invalidArg("%s %s: %q is not %s", flag, v, val, what)
	}
	return BlkioDevice{Path: p, Value: n}, nil
}

func example(unit string) string {
	switch unit {
	case "WEIGHT":
		return "200"
	case "RATE":
		return "1000"
	}
	return "1mb"
}

// parseCgroupConf parses KEY=VALUE cgroup v2 settings (a later key wins).
func parseCgroupConf(vals []string) (map[string]string, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	conf := map[string]string{}
	for _, v := range vals {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return nil, invalidArg("--cgroup-conf %s: expected KEY=VALUE, such as memory.high=1073741824", v)
		}
		if strings.Contains(k, "/") || !strings.Contains(k, ".") {
			return nil, invalidArg("--cgroup-conf %s: %q is not a cgroup v2 file name (CONTROLLER.FILE, such as memory.high)", v, k)
		}
		conf[k] = val
	}
	return conf, nil
}

// ParseDeviceCgroupRule parses "TYPE MAJOR:MINOR ACCESS" (TYPE a, b or c;
// MAJOR and MINOR numbers or *; ACCESS some of rwm) into an allow rule.
func ParseDeviceCgroupRule(v string) (specs.LinuxDeviceCgroup, error) {
	rule := specs.LinuxDeviceCgroup{Allow: true}
	f := strings.Fields(v)
	if len(f) != 3 {
		return rule, invalidArg("--device-cgroup-rule %q: expected TYPE MAJOR:MINOR ACCESS, such as \"c 1:3 rwm\"", v)
	}
	if f[0] != "a" && f[0] != "b" && f[0] != "c" {
		return rule, invalidArg("--device-cgroup-rule %q: invalid device type %q (a, b or c)", v, f[0])
	}
	rule.Type = f[0]
	majS, minS, _ := strings.Cut(f[1], ":")
	num := func(s string) (*int64, error) {
		if s == "*" || s == "" {
			return nil, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, invalidArg("--device-cgroup-rule %q: %q is not a device number (a number or *)", v, s)
		}
		return &n, nil
	}
	var err error
	if majS == "" {
		return rule, invalidArg("--device-cgroup-rule %q: missing the major number", v)
	}
	if rule.Major, err = num(majS); err != nil {
		return rule, err
	}
	if rule.Minor, err = num(minS); err != nil {
		return rule, err
	}
	for i, ch := range f[2] {
		if !strings.ContainsRune("rwm", ch) || strings.ContainsRune(f[2][i+1:], ch) {
			return rule, invalidArg("--device-cgroup-rule %q: invalid device access %q (some of r, w and m)", v, string(ch))
		}
	}
	rule.Access = f[2]
	return rule, nil
}

// linuxCgroupResources adds c's settings to lr.
func (c *CgroupSettings) linuxCgroupResources(lr *specs.LinuxResources) {
	if c.CPUPeriod != 0 || c.CPUQuota != 0 || c.CPURealtimePeriod != 0 || c.CPURealtimeRuntime != 0 || c.CpusetMems != "" {
		if lr.CPU == nil {
			lr.CPU = &specs.LinuxCPU{}
		}
		set := func(v uint64) *uint64 { return &v }
		seti := func(v int64) *int64 { return &v }
		if c.CPUPeriod != 0 {
			lr.CPU.Period = set(c.CPUPeriod)
		}
		if c.CPUQuota != 0 {
			lr.CPU.Quota = seti(c.CPUQuota)
		}
		if c.CPURealtimePeriod != 0 {
			lr.CPU.RealtimePeriod = set(c.CPURealtimePeriod)
		}
		if c.CPURealtimeRuntime != 0 {
			lr.CPU.RealtimeRuntime = seti(c.CPURealtimeRuntime)
		}
		lr.CPU.Mems = c.CpusetMems
	}
	if c.MemorySwappiness != nil || c.OomKillDisable {
		if lr.Memory == nil {
			lr.Memory = &specs.LinuxMemory{}
		}
		if c.MemorySwappiness != nil {
			v := *c.MemorySwappiness
			lr.Memory.Swappiness = &v
		}
		if c.OomKillDisable {
			v := true
			lr.Memory.DisableOOMKiller = &v
		}
	}
	if c.BlkioWeight != 0 || c.hasBlkioDevices() {
		bio := &specs.LinuxBlockIO{}
		if c.BlkioWeight != 0 {
			w := c.BlkioWeight
			bio.Weight = &w
		}
		for _, d := range c.BlkioWeightDevice {
			w := uint16(d.Value)
			bio.WeightDevice = append(bio.WeightDevice, specs.LinuxWeightDevice{
				LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: d.Major, Minor: d.Minor}, Weight: &w})
		}
		throttle := func(ds []BlkioDevice) []specs.LinuxThrottleDevice {
			var out []specs.LinuxThrottleDevice
			for _, d := range ds {
				out = append(out, specs.LinuxThrottleDevice{LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: d.Major, Minor: d.Minor}, Rate: d.Value})
			}
			return out
		}
		bio.ThrottleReadBpsDevice = throttle(c.BlkioReadBps)
		bio.ThrottleWriteBpsDevice = throttle(c.BlkioWriteBps)
		bio.ThrottleReadIOPSDevice = throttle(c.BlkioReadIOps)
		bio.ThrottleWriteIOPSDevice = throttle(c.BlkioWriteIOps)
		lr.BlockIO = bio
	}
	if len(c.CgroupConf) > 0 {
		lr.Unified = maps.Clone(c.CgroupConf)
	}
	lr.Devices = append(lr.Devices, c.DeviceCgroupRules...)
}
