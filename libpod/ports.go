package libpod

import (
	"fmt"
	"strconv"
)

// PortMapping is one published port: ContainerPort (and Range-1 more) of
// Protocol reached from HostIP:HostPort on the host. Create fills them
// from -p/--publish (docs/design.md, "Ports").
type PortMapping struct {
	HostIP        string `json:"host_ip,omitempty"`
	ContainerPort uint16 `json:"container_port"`
	HostPort      uint16 `json:"host_port"`
	Range         uint16 `json:"range,omitempty"` // 0 and 1 mean one port
	Protocol      string `json:"protocol"`        // tcp or udp
}

// Ports returns the mappings one port each, in the order they were given.
func (c *Container) Ports() []PortMapping {
	var out []PortMapping
	for _, m := range c.Config.PortMappings {
		n := max(m.Range, 1)
		for i := uint16(0); i < n; i++ {
			one := m
			one.ContainerPort, one.HostPort, one.Range = m.ContainerPort+i, m.HostPort+i, 1
			out = append(out, one)
		}
	}
	return out
}

// String is podman's `port` line: "80/tcp -> 0.0.0.0:8080".
func (m PortMapping) String() string {
	ip := m.HostIP
	if ip == "" {
		ip = "0.0.0.0"
	}
	return fmt.Sprintf("%d/%s -> %s:%s", m.ContainerPort, m.Protocol, ip, strconv.Itoa(int(m.HostPort)))
}
