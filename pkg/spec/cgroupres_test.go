package spec

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParseCgroupOptions(t *testing.T) {
	u64 := func(v uint64) *uint64 { return &v }
	i64 := func(v int64) *int64 { return &v }
	ok := []struct {
		name string
		in   ResourceOptions
		want CgroupSettings
	}{
		{name: "cpu", in: ResourceOptions{CgroupOptions: CgroupOptions{CPUPeriod: u64(50000), CPUQuota: i64(20000), CPURtPeriod: u64(1000),
			CPURtRuntime: i64(100), CpusetMems: "0-1"}},
			want: CgroupSettings{CPUPeriod: 50000, CPUQuota: 20000, CPURealtimePeriod: 1000, CPURealtimeRuntime: 100, CpusetMems: "0-1"}},
		{name: "unset values", in: ResourceOptions{CgroupOptions: CgroupOptions{CPUPeriod: u64(0), CPUQuota: i64(-1), CPURtRuntime: i64(-1),
			MemorySwappiness: i64(-1), BlkioWeight: "0", Cgroups: "enabled"}}},
		{name: "memory", in: ResourceOptions{CgroupOptions: CgroupOptions{MemorySwappiness: i64(0), OomKillDisable: true}},
			want: CgroupSettings{MemorySwappiness: u64(0), OomKillDisable: true}},
		{name: "blkio", in: ResourceOptions{CgroupOptions: CgroupOptions{BlkioWeight: "300", BlkioWeightDevice: []string{"/dev/sda:200"},
			DeviceReadBps: []string{"/dev/sda:1mb"}, DeviceWriteBps: []string{"/dev/sdb:2048"},
			DeviceReadIOps: []string{"/dev/sda:100"}, DeviceWriteIOps: []string{"/dev/sda:0"}}},
			want: CgroupSettings{BlkioWeight: 300, BlkioWeightDevice: []BlkioDevice{{Path: "/dev/sda", Value: 200}},
				BlkioReadBps: []BlkioDevice{{Path: "/dev/sda", Value: 1 << 20}}, BlkioWriteBps: []BlkioDevice{{Path: "/dev/sdb", Value: 2048}},
				BlkioReadIOps: []BlkioDevice{{Path: "/dev/sda", Value: 100}}, BlkioWriteIOps: []BlkioDevice{{Path: "/dev/sda", Value: 0}}}},
		{name: "conf", in: ResourceOptions{CgroupOptions: CgroupOptions{CgroupConf: []string{"memory.high=1000000", "pids.max=5", "memory.high=2000000", "cpu.weight="}}},
			want: CgroupSettings{CgroupConf: map[string]string{"memory.high": "2000000", "pids.max": "5", "cpu.weight": ""}}},
		{name: "device rules", in: ResourceOptions{CgroupOptions: CgroupOptions{DeviceCgroupRules: []string{"c 1:3 rwm", "a *:* m", "b 7 r"}}},
			want: CgroupSettings{DeviceCgroupRules: []specs.LinuxDeviceCgroup{
				{Allow: true, Type: "c", Major: i64(1), Minor: i64(3), Access: "rwm"},
				{Allow: true, Type: "a", Access: "m"},
				{Allow: true, Type: "b", Major: i64(7), Access: "r"}}}},
		{name: "parent", in: ResourceOptions{CgroupOptions: CgroupOptions{CgroupParent: "/mygroup", Cgroups: "no-conmon"}},
			want: CgroupSettings{CgroupParent: "/mygroup", CgroupsMode: CgroupsNoConmon}},
		{name: "disabled", in: ResourceOptions{CgroupOptions: CgroupOptions{Cgroups: "disabled"}}, want: CgroupSettings{CgroupsMode: CgroupsDisabled}},
	}
	for _, tt := range ok {
		got, err := ParseResources(tt.in)
		if err != nil || !reflect.DeepEqual(got.CgroupSettings, tt.want) {
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got.CgroupSettings, err, tt.want)
		}
	}

	bad := []struct {
		name string
		in   CgroupOptions
		cpus string
		err  string
	}{
		{name: "period with cpus", in: CgroupOptions{CPUPeriod: u64(100000)}, cpus: "1", err: "--cpu-period and --cpus cannot be set together"},
		{name: "quota with cpus", in: CgroupOptions{CPUQuota: i64(100000)}, cpus: "1", err: "--cpu-quota and --cpus cannot be set together"},
		{name: "period range", in: CgroupOptions{CPUPeriod: u64(500)}, err: "--cpu-period 500: expected 1000 to 1000000"},
		{name: "quota range", in: CgroupOptions{CPUQuota: i64(999)}, err: "--cpu-quota 999"},
		{name: "rt runtime above period", in: CgroupOptions{CPURtPeriod: u64(1000), CPURtRuntime: i64(1001)}, err: "--cpu-rt-runtime 1001 is above"},
		{name: "mems", in: CgroupOptions{CpusetMems: "1-x"}, err: "--cpuset-mems 1-x"},
		{name: "swappiness high", in: CgroupOptions{MemorySwappiness: i64(101)}, err: "--memory-swappiness 101: expected 0 to 100"},
		{name: "swappiness low", in: CgroupOptions{MemorySwappiness: i64(-2)}, err: "--memory-swappiness -2"},
		{name: "weight low", in: CgroupOptions{BlkioWeight: "9"}, err: "--blkio-weight 9: expected a weight of 10 to 1000"},
		{name: "weight high", in: CgroupOptions{BlkioWeight: "1001"}, err: "--blkio-weight 1001"},
		{name: "weight word", in: CgroupOptions{BlkioWeight: "abc"}, err: "--blkio-weight abc"},
		{name: "weight device form", in: CgroupOptions{BlkioWeightDevice: []string{"/dev/sda"}}, err: "expected DEVICE:WEIGHT"},
		{name: "weight device value", in: CgroupOptions{BlkioWeightDevice: []string{"/dev/sda:5"}}, err: `"5" is not a weight`},
		{name: "weight device path", in: CgroupOptions{BlkioWeightDevice: []string{"/tmp:100"}}, err: `"/tmp" is not a device path`},
		{name: "bps rate", in: CgroupOptions{DeviceReadBps: []string{"/dev/sda:abc"}}, err: "--device-read-bps /dev/sda:abc"},
		{name: "bps negative", in: CgroupOptions{DeviceWriteBps: []string{"/dev/sda:-1"}}, err: "--device-write-bps /dev/sda:-1"},
		{name: "iops unit", in: CgroupOptions{DeviceReadIOps: []string{"/dev/sda:1k"}}, err: `"1k" is not a number of operations`},
		{name: "iops form", in: CgroupOptions{DeviceWriteIOps: []string{"sda:1"}}, err: "--device-write-iops sda:1"},
		{name: "conf without =", in: CgroupOptions{CgroupConf: []string{"memory.high"}}, err: "--cgroup-conf memory.high: expected KEY=VALUE"},
		{name: "conf empty key", in: CgroupOptions{CgroupConf: []string{"=1"}}, err: "expected KEY=VALUE"},
		{name: "conf path", in: CgroupOptions{CgroupConf: []string{"../memory.max=1"}}, err: "not a cgroup v2 file name"},
		{name: "rule fields", in: CgroupOptions{DeviceCgroupRules: []string{"c 1:3"}}, err: "expected TYPE MAJOR:MINOR ACCESS"},
		{name: "rule type", in: CgroupOptions{DeviceCgroupRules: []string{"x 1:3 rwm"}}, err: `invalid device type "x"`},
		{name: "rule access", in: CgroupOptions{DeviceCgroupRules: []string{"c 1:3 rwx"}}, err: `invalid device access "x"`},
		{name: "rule access twice", in: CgroupOptions{DeviceCgroupRules: []string{"c 1:3 rr"}}, err: `invalid device access "r"`},
		{name: "rule number", in: CgroupOptions{DeviceCgroupRules: []string{"c a:3 rw"}}, err: `"a" is not a device number`},
		{name: "cgroups split", in: CgroupOptions{Cgroups: "split"}, err: "--cgroups split is not supported"},
		{name: "cgroups unknown", in: CgroupOptions{Cgroups: "bogus"}, err: "--cgroups bogus: unknown mode"},
		{name: "parent disabled", in: CgroupOptions{Cgroups: "disabled", CgroupParent: "/x"}, err: "conflicts with --cgroups disabled"},
		{name: "parent slice", in: CgroupOptions{CgroupParent: "machine.slice"}, err: "is a systemd slice"},
		{name: "parent dotdot", in: CgroupOptions{CgroupParent: "a/../../b"}, err: `".." is not allowed`},
	}
	for _, tt := range bad {
		_, err := ParseResources(ResourceOptions{CPUs: tt.cpus, CgroupOptions: tt.in})
		if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
		}
	}
}

// fullCgroupResources sets every cgroup flag (the devices resolved).
func fullCgroupResources() Resources {
	sw := uint64(10)
	return Resources{Memory: 100 << 20, CpusetCpus: "0", CgroupSettings: CgroupSettings{
		CPUPeriod: 50000, CPUQuota: 20000, CPURealtimePeriod: 1000, CPURealtimeRuntime: 100, CpusetMems: "0",
		MemorySwappiness: &sw, OomKillDisable: true, BlkioWeight: 300,
		BlkioWeightDevice: []BlkioDevice{{Path: "/dev/sda", Major: 8, Minor: 0, Value: 200}},
		BlkioReadBps:      []BlkioDevice{{Path: "/dev/sda", Major: 8, Minor: 0, Value: 1 << 20}},
		BlkioWriteBps:     []BlkioDevice{{Path: "/dev/sdb", Major: 8, Minor: 16, Value: 2 << 20}},
		BlkioReadIOps:     []BlkioDevice{{Path: "/dev/sda", Major: 8, Minor: 0, Value: 100}},
		BlkioWriteIOps:    []BlkioDevice{{Path: "/dev/sda", Major: 8, Minor: 0, Value: 300}},
		CgroupConf:        map[string]string{"memory.high": "1000000", "cgroup.max.depth": "3", "hugetlb.2MB.max": "0"},
		DeviceCgroupRules: []specs.LinuxDeviceCgroup{{Allow: true, Type: "c", Major: ptr(int64(1)), Minor: ptr(int64(3)), Access: "rwm"}},
	}}
}

func ptr[T any](v T) *T { return &v }

// TestApplyCgroupResources checks linux.resources of the v2 path: a
// container with a delegated cgroup gets every setting of the flags.
func TestApplyCgroupResources(t *testing.T) {
	s, err := Generate(&Options{ID: "0123456789abcdef", Rootfs: "/r", NetworkMode: "none", Image: ImageConfig{Cmd: []string{"sh"}},
		RlimitNofile: Rlimit{Soft: 1024, Hard: 4096}, CgroupsPath: "/user.slice/pod-x.scope"})
	if err != nil {
		t.Fatal(err)
	}
	ApplyResources(s, ResourceSpec{Resources: fullCgroupResources(), Cgroup: true})
	lr := s.Linux.Resources
	if lr == nil || lr.CPU == nil || lr.Memory == nil || lr.BlockIO == nil {
		t.Fatalf("linux.resources %+v", lr)
	}
	cpu := lr.CPU
	if *cpu.Period != 50000 || *cpu.Quota != 20000 || *cpu.RealtimePeriod != 1000 || *cpu.RealtimeRuntime != 100 || cpu.Mems != "0" || cpu.Cpus != "0" {
		t.Errorf("cpu %+v", cpu)
	}
	if *lr.Memory.Limit != 100<<20 || *lr.Memory.Swappiness != 10 || lr.Memory.DisableOOMKiller == nil || !*lr.Memory.DisableOOMKiller {
		t.Errorf("memory %+v", lr.Memory)
	}
	bio := lr.BlockIO
	if *bio.Weight != 300 || len(bio.WeightDevice) != 1 || bio.WeightDevice[0].Major != 8 || *bio.WeightDevice[0].Weight != 200 {
		t.Errorf("blkio weight %+v", bio)
	}
	dev := func(major, minor int64, rate uint64) []specs.LinuxThrottleDevice {
		return []specs.LinuxThrottleDevice{{LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: major, Minor: minor}, Rate: rate}}
	}
	if !reflect.DeepEqual(bio.ThrottleReadBpsDevice, dev(8, 0, 1<<20)) || !reflect.DeepEqual(bio.ThrottleWriteBpsDevice, dev(8, 16, 2<<20)) ||
		!reflect.DeepEqual(bio.ThrottleReadIOPSDevice, dev(8, 0, 100)) || !reflect.DeepEqual(bio.ThrottleWriteIOPSDevice, dev(8, 0, 300)) {
		t.Errorf("throttle %+v", bio)
	}
	if !reflect.DeepEqual(lr.Unified, map[string]string{"memory.high": "1000000", "cgroup.max.depth": "3", "hugetlb.2MB.max": "0"}) {
		t.Errorf("unified %v", lr.Unified)
	}
	if len(lr.Devices) != 1 || lr.Devices[0].Type != "c" || *lr.Devices[0].Major != 1 || *lr.Devices[0].Minor != 3 || lr.Devices[0].Access != "rwm" || !lr.Devices[0].Allow {
		t.Errorf("devices %+v", lr.Devices)
	}
	hasNS := false
	for _, ns := range s.Linux.Namespaces {
		hasNS = hasNS || ns.Type == specs.CgroupNamespace
	}
	if !hasNS || s.Linux.CgroupsPath != "/user.slice/pod-x.scope" {
		t.Errorf("cgroup namespace %v, path %q", hasNS, s.Linux.CgroupsPath)
	}

	// Device rules alone still reach linux.resources with a cgroup.
	s, _ = Generate(&Options{ID: "0123456789abcdef", Rootfs: "/r", NetworkMode: "none", Image: ImageConfig{Cmd: []string{"sh"}}})
	rules := Resources{CgroupSettings: CgroupSettings{DeviceCgroupRules: fullCgroupResources().DeviceCgroupRules}}
	ApplyResources(s, ResourceSpec{Resources: rules, Cgroup: true})
	if s.Linux.Resources == nil || len(s.Linux.Resources.Devices) != 1 || s.Linux.Resources.CPU != nil {
		t.Errorf("rules only: %+v", s.Linux.Resources)
	}
	// Without a cgroup nothing of it.
	s, _ = Generate(&Options{ID: "0123456789abcdef", Rootfs: "/r", NetworkMode: "none", Image: ImageConfig{Cmd: []string{"sh"}}})
	ApplyResources(s, ResourceSpec{Resources: fullCgroupResources()})
	if s.Linux.Resources != nil {
		t.Errorf("without a cgroup: %+v", s.Linux.Resources)
	}
}

func TestCgroupSettingsHelpers(t *testing.T) {
	r := fullCgroupResources()
	if got := strings.Join(r.Controllers(), ","); got != "memory,cpuset,cpu,io,hugetlb" {
		t.Errorf("Controllers = %s", got)
	}
	if got := strings.Join(r.V1Only(), ","); got != "--cpu-rt-period,--cpu-rt-runtime,--memory-swappiness,--oom-kill-disable" {
		t.Errorf("V1Only = %s", got)
	}
	r.DropV1Only()
	if len(r.V1Only()) != 0 || r.CPUPeriod != 50000 || r.BlkioWeight != 300 {
		t.Errorf("DropV1Only: %+v", r.CgroupSettings)
	}
	r = fullCgroupResources()
	r.CgroupParent = "/p"
	r.DropLimits()
	if r.CPUPeriod != 0 || r.CgroupConf != nil || r.BlkioWeight != 0 || len(r.BlkioReadBps) != 1 || r.CgroupParent != "/p" || !r.NoCgroup {
		t.Errorf("DropLimits: %+v", r.CgroupSettings)
	}
	// Rules, a parent or a mode are no limits (no warning), but are kept.
	for _, c := range []CgroupSettings{{DeviceCgroupRules: r.DeviceCgroupRules}, {CgroupParent: "/p"}, {CgroupsMode: CgroupsDisabled}} {
		rr := Resources{CgroupSettings: c}
		if rr.HasCgroupLimits() || rr.IsZero() {
			t.Errorf("%+v: limits %v, zero %v", c, rr.HasCgroupLimits(), rr.IsZero())
		}
	}
	if rr := (Resources{CgroupSettings: CgroupSettings{OomKillDisable: true}}); !rr.HasCgroupLimits() {
		t.Error("--oom-kill-disable is a limit")
	}
}
