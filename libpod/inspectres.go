package libpod

import (
	"github.com/pod-engine/pod/pkg/spec"
)

// InspectIDMappings is HostConfig.IDMappings: "CONTAINER:HOST:SIZE" ranges,
// HOST being an id of pod's user namespace.
type InspectIDMappings struct {
	UIDMap []string `json:"UidMap"`
	GIDMap []string `json:"GidMap"`
}

// InspectHostResources are HostConfig's user namespace and resource
// fields, podman's names and units.
type InspectHostResources struct {
	// UsernsMode is "" in pod's own namespace, else "private" (keep-id,
	// auto and --uidmap alike, as podman 4.3 shows them).
	UsernsMode        string             `json:"UsernsMode"`
	IDMappings        *InspectIDMappings `json:"IDMappings"`
	Memory            int64              `json:"Memory"`
	MemorySwap        int64              `json:"MemorySwap"`
	MemoryReservation int64              `json:"MemoryReservation"`
	NanoCpus          int64              `json:"NanoCpus"`
	CPUShares         uint64             `json:"CpuShares"`
	CPUPeriod         uint64             `json:"CpuPeriod"`
	CPUQuota          int64              `json:"CpuQuota"`
	CpusetCpus        string             `json:"CpusetCpus"`
	PidsLimit         int64              `json:"PidsLimit"`
	OomScoreAdj       int                `json:"OomScoreAdj"`
	Ulimits           []spec.Ulimit      `json:"Ulimits"`
	ShmSize           int64              `json:"ShmSize"`
	// The cgroup flags of cgroupres.go.
	CgroupParent         string                `json:"CgroupParent"`
	BlkioWeight          uint16                `json:"BlkioWeight"`
	BlkioWeightDevice    []InspectWeightDevice `json:"BlkioWeightDevice"`
	BlkioDeviceReadBps   []InspectRateDevice   `json:"BlkioDeviceReadBps"`
	BlkioDeviceWriteBps  []InspectRateDevice   `json:"BlkioDeviceWriteBps"`
	BlkioDeviceReadIOps  []InspectRateDevice   `json:"BlkioDeviceReadIOps"`
	BlkioDeviceWriteIOps []InspectRateDevice   `json:"BlkioDeviceWriteIOps"`
	CPURealtimePeriod    uint64                `json:"CpuRealtimePeriod"`
	CPURealtimeRuntime   int64                 `json:"CpuRealtimeRuntime"`
	CpusetMems           string                `json:"CpusetMems"`
	MemorySwappiness     int64                 `json:"MemorySwappiness"`
	OomKillDisable       bool                  `json:"OomKillDisable"`
	// The limits pod does not set, shown as podman shows them unset.
	DiskQuota          uint64 `json:"DiskQuota"`
	KernelMemory       int64  `json:"KernelMemory"`
	CPUCount           uint64 `json:"CpuCount"`
	CPUPercent         uint64 `json:"CpuPercent"`
	IOMaximumIOps      uint64 `json:"IOMaximumIOps"`
	IOMaximumBandwidth uint64 `json:"IOMaximumBandwidth"`
}

// inspectResources fills the user namespace and resource fields.
func (c *Container) inspectResources(out *InspectContainer) {
	h := &out.HostConfig.InspectHostResources
	if u := c.Config.Userns; u != nil {
		h.UsernsMode = spec.UsernsPrivate
		h.IDMappings = &InspectIDMappings{UIDMap: spec.FormatIDMaps(u.UIDMap), GIDMap: spec.FormatIDMaps(u.GIDMap)}
	}
	r := c.Config.Resources
	if r == nil {
		r = &spec.Resources{}
	}
	h.Memory, h.MemorySwap, h.MemoryReservation = r.Memory, r.MemorySwap, r.MemoryReservation
	h.NanoCpus, h.CPUShares, h.CpusetCpus, h.PidsLimit = r.NanoCPUs, r.CPUShares, r.CpusetCpus, r.PidsLimit
	if r.NanoCPUs != 0 {
		h.CPUPeriod, h.CPUQuota = spec.CPUPeriod, r.NanoCPUs*spec.CPUPeriod/1e9
	}
	inspectCgroupSettings(h, r)
	if r.OomScoreAdj != nil {
		h.OomScoreAdj = *r.OomScoreAdj
	}
	h.ShmSize = spec.DefaultShmSize
	if r.ShmSize != nil {
		h.ShmSize = *r.ShmSize
	}
	// The limits the container gets: the caller's (--ulimit host), the
	// default open-files limit, then the explicit ones.
	var limits []spec.Ulimit
	if r.UlimitHost {
		limits = hostLimits()
	} else if soft, hard, err := ownLimit("RLIMIT_NOFILE"); err == nil {
		limits = []spec.Ulimit{{Name: "RLIMIT_NOFILE", Soft: soft, Hard: hard}}
	}
	for _, u := range r.Ulimits {
		replaced := false
		for i := range limits {
			if limits[i].Name == u.Name {
				limits[i], replaced = u, true
			}
		}
		if !replaced {
			limits = append(limits, u)
		}
	}
	h.Ulimits = limits
}
