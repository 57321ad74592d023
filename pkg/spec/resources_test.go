package spec

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParseResources(t *testing.T) {
	u64 := func(v uint64) *uint64 { return &v }
	i64 := func(v int64) *int64 { return &v }
	in := func(v int) *int { return &v }
	tests := []struct {
		name string
		in   ResourceOptions
		want Resources
		err  string
	}{
		{name: "none", in: ResourceOptions{}, want: Resources{}},
		{name: "memory", in: ResourceOptions{Memory: "100m", MemorySwap: "200m", MemoryReservation: "50m"},
			want: Resources{Memory: 100 << 20, MemorySwap: 200 << 20, MemoryReservation: 50 << 20}},
		{name: "swap unlimited", in: ResourceOptions{Memory: "1g", MemorySwap: "-1"}, want: Resources{Memory: 1 << 30, MemorySwap: -1}},
		{name: "cpus", in: ResourceOptions{CPUs: "1.5", CPUShares: u64(512), CpusetCpus: "0-1,3"},
			want: Resources{NanoCPUs: 1500000000, CPUShares: 512, CpusetCpus: "0-1,3"}},
		{name: "pids", in: ResourceOptions{PidsLimit: i64(100)}, want: Resources{PidsLimit: 100}},
		{name: "pids unlimited", in: ResourceOptions{PidsLimit: i64(0)}, want: Resources{PidsLimit: -1}},
		{name: "oom", in: ResourceOptions{OomScoreAdj: in(100)}, want: Resources{OomScoreAdj: in(100)}},
		{name: "ulimits", in: ResourceOptions{Ulimits: []string{"nofile=100:200", "nproc=50", "core=-1", "nofile=10:20"}},
			want: Resources{Ulimits: []Ulimit{{"RLIMIT_NOFILE", 10, 20}, {"RLIMIT_NPROC", 50, 50}, {"RLIMIT_CORE", -1, -1}}}},
		{name: "ulimit host", in: ResourceOptions{Ulimits: []string{"host"}}, want: Resources{UlimitHost: true}},
		{name: "shm", in: ResourceOptions{ShmSize: "10m"}, want: Resources{ShmSize: i64(10 << 20)}},
		{name: "bad memory", in: ResourceOptions{Memory: "bad"}, err: "--memory bad: invalid size"},
		{name: "tiny memory", in: ResourceOptions{Memory: "1k"}, err: "minimum memory limit is 6MB"},
		{name: "swap alone", in: ResourceOptions{MemorySwap: "1g"}, err: "needs --memory"},
		{name: "swap below", in: ResourceOptions{Memory: "100m", MemorySwap: "50m"}, err: "is below --memory"},
		{name: "reservation above", in: ResourceOptions{Memory: "100m", MemoryReservation: "200m"}, err: "is above --memory"},
		{name: "cpus", in: ResourceOptions{CPUs: "-1"}, err: "--cpus -1"},
		{name: "shares", in: ResourceOptions{CPUShares: u64(1)}, err: "--cpu-shares 1"},
		{name: "cpuset", in: ResourceOptions{CpusetCpus: "3-1"}, err: "reversed"},
		{name: "cpuset word", in: ResourceOptions{CpusetCpus: "a"}, err: "not a CPU number"},
		{name: "oom range", in: ResourceOptions{OomScoreAdj: in(2000)}, err: "-1000 to 1000"},
		{name: "ulimit name", in: ResourceOptions{Ulimits: []string{"bogus=1"}}, err: `unknown limit "bogus"`},
		{name: "ulimit order", in: ResourceOptions{Ulimits: []string{"nofile=200:100"}}, err: "soft limit is above the hard limit"},
		{name: "ulimit form", in: ResourceOptions{Ulimits: []string{"nofile"}}, err: "expected NAME=SOFT[:HARD]"},
		{name: "shm", in: ResourceOptions{ShmSize: "bad"}, err: "--shm-size bad"},
	}
	for _, tt := range tests {
		got, err := ParseResources(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestApplyResources(t *testing.T) {
	gen := func() *specs.Spec {
		s, err := Generate(&Options{ID: "0123456789abcdef", Rootfs: "/r", NetworkMode: "none", Image: ImageConfig{Cmd: []string{"sh"}},
			RlimitNofile: Rlimit{Soft: 1024, Hard: 4096}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	shm := int64(10 << 20)
	oom := 100
	r := Resources{Memory: 100 << 20, MemorySwap: -1, NanoCPUs: 1500000000, CPUShares: 512, CpusetCpus: "0", PidsLimit: 100,
		Ulimits: []Ulimit{{"RLIMIT_NOFILE", 100, 200}, {"RLIMIT_CORE", -1, -1}}, ShmSize: &shm, OomScoreAdj: &oom}

	// No cgroup (cgroup v1, or v2 without delegation): no linux.resources.
	s := gen()
	ApplyResources(s, ResourceSpec{Resources: r})
	if s.Linux.Resources != nil {
		t.Errorf("without a cgroup: resources %+v", s.Linux.Resources)
	}
	wantRl := []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Soft: 100, Hard: 200}, {Type: "RLIMIT_CORE", Soft: math.MaxUint64, Hard: math.MaxUint64}}
	if !reflect.DeepEqual(s.Process.Rlimits, wantRl) {
		t.Errorf("rlimits %+v, want %+v", s.Process.Rlimits, wantRl)
	}
	if s.Process.OOMScoreAdj == nil || *s.Process.OOMScoreAdj != 100 {
		t.Errorf("oomScoreAdj %v", s.Process.OOMScoreAdj)
	}
	for _, m := range s.Mounts {
		if m.Destination == "/dev/shm" {
			if got := strings.Join(m.Options, ","); !strings.HasSuffix(got, ",size=10485760") || strings.Count(got, "size=") != 1 {
				t.Errorf("/dev/shm options %s", got)
			}
		}
	}

	// Delegated cgroup v2: the runtime applies linux.resources.
	s = gen()
	s.Linux.CgroupsPath = "/user.slice/pod-x.scope"
	ApplyResources(s, ResourceSpec{Resources: r, Cgroup: true})
	lr := s.Linux.Resources
	if lr == nil || lr.Memory == nil || *lr.Memory.Limit != 100<<20 || *lr.Memory.Swap != -1 || lr.Memory.Reservation != nil {
		t.Fatalf("memory %+v", lr)
	}
	if lr.CPU == nil || *lr.CPU.Quota != 150000 || *lr.CPU.Period != 100000 || *lr.CPU.Shares != 512 || lr.CPU.Cpus != "0" {
		t.Errorf("cpu %+v", lr.CPU)
	}
	if lr.Pids == nil || *lr.Pids.Limit != 100 {
		t.Errorf("pids %+v", lr.Pids)
	}

	// --ulimit host takes the caller's limits; explicit ones win.
	s = gen()
	ApplyResources(s, ResourceSpec{Resources: Resources{UlimitHost: true, Ulimits: []Ulimit{{"RLIMIT_NOFILE", 5, 6}}},
		Host: []Ulimit{{"RLIMIT_NOFILE", 1, 2}, {"RLIMIT_NPROC", 3, 4}}})
	if !reflect.DeepEqual(s.Process.Rlimits, []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Soft: 5, Hard: 6}, {Type: "RLIMIT_NPROC", Soft: 3, Hard: 4}}) {
		t.Errorf("host rlimits %+v", s.Process.Rlimits)
	}
}

func TestControllers(t *testing.T) {
	r := Resources{Memory: 1, NanoCPUs: 1, CpusetCpus: "0", PidsLimit: 5}
	if got := strings.Join(r.Controllers(), ","); got != "memory,cpu,cpuset,pids" {
		t.Errorf("Controllers = %s", got)
	}
	r = Resources{PidsLimit: -1}
	if len(r.Controllers()) != 0 || !r.HasCgroupLimits() {
		t.Errorf("unlimited pids: %v %v", r.Controllers(), r.HasCgroupLimits())
	}
	if !(&Resources{}).IsZero() || (&Resources{ShmSize: new(int64)}).IsZero() {
		t.Error("IsZero")
	}
}
