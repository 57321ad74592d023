package libpod

import (
	"github.com/pod-engine/pod/pkg/spec"
)

// InspectWeightDevice is one entry of HostConfig.BlkioWeightDevice.
type InspectWeightDevice struct {
	Path   string `json:"Path"`
	Weight uint16 `json:"Weight"`
}

// InspectRateDevice is one entry of HostConfig.BlkioDevice{Read,Write}{Bps,IOps}.
type InspectRateDevice struct {
	Path string `json:"Path"`
	Rate uint64 `json:"Rate"`
}

// inspectCgroupSettings fills the fields of the cgroup flags
// (spec.CgroupSettings) as podman names them; unset lists stay null.
func inspectCgroupSettings(h *InspectHostResources, r *spec.Resources) {
	c := &r.CgroupSettings
	h.CgroupParent = c.CgroupParent
	if c.CPUPeriod != 0 {
		h.CPUPeriod = c.CPUPeriod
	}
	if c.CPUQuota != 0 {
		h.CPUQuota = c.CPUQuota
	}
	h.CPURealtimePeriod, h.CPURealtimeRuntime, h.CpusetMems = c.CPURealtimePeriod, c.CPURealtimeRuntime, c.CpusetMems
	if c.MemorySwappiness != nil {
		h.MemorySwappiness = int64(*c.MemorySwappiness)
	}
	h.OomKillDisable, h.BlkioWeight = c.OomKillDisable, c.BlkioWeight
	for _, d := range c.BlkioWeightDevice {
		h.BlkioWeightDevice = append(h.BlkioWeightDevice, InspectWeightDevice{Path: d.Path, Weight: uint16(d.Value)})
	}
	rates := func(ds []spec.BlkioDevice) []InspectRateDevice {
		var out []InspectRateDevice
		for _, d := range ds {
			out = append(out, InspectRateDevice{Path: d.Path, Rate: d.Value})
		}
		return out
	}
	h.BlkioDeviceReadBps, h.BlkioDeviceWriteBps = rates(c.BlkioReadBps), rates(c.BlkioWriteBps)
	h.BlkioDeviceReadIOps, h.BlkioDeviceWriteIOps = rates(c.BlkioReadIOps), rates(c.BlkioWriteIOps)
}

// inspectCgroupModes fills HostConfig.Cgroups ("disabled", else
// "default") and CgroupConf (--cgroup-conf; null without).
func (c *Container) inspectCgroupModes(h *InspectHostModes) {
	r := c.Config.Resources
	if r == nil {
		return
	}
	if r.CgroupsMode == spec.CgroupsDisabled {
		h.Cgroups = spec.CgroupsDisabled
	}
	if len(r.CgroupConf) > 0 {
		h.CgroupConf = r.CgroupConf
	}
}
