package libpod

import (
	"strconv"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// InspectHostPort is one host address of a published port.
type InspectHostPort struct {
	HostIP   string `json:"HostIp"`
	HostPort string `json:"HostPort"`
}

// InspectNetworkSettings is the NetworkSettings block of `inspect`:
// podman's fields; the rootless helpers give no address pod records.
type InspectNetworkSettings struct {
	InspectAddress
	Bridge                 string                       `json:"Bridge"`
	SandboxID              string                       `json:"SandboxID"`
	HairpinMode            bool                         `json:"HairpinMode"`
	LinkLocalIPv6Address   string                       `json:"LinkLocalIPv6Address"`
	LinkLocalIPv6PrefixLen int                          `json:"LinkLocalIPv6PrefixLen"`
	Ports                  map[string][]InspectHostPort `json:"Ports"`
	SandboxKey             string                       `json:"SandboxKey"`
	// Networks are the user networks of a bridge container.
	Networks map[string]*InspectNetwork `json:"Networks,omitempty"`
}

// portBindings is the published and exposed ports as inspect shows them:
// "80/tcp" → its host addresses, an exposed port that is not published →
// null.
func (c *Container) portBindings() map[string][]InspectHostPort {
	out := map[string][]InspectHostPort{}
	for _, k := range c.Config.Expose {
		out[k] = nil
	}
	for _, m := range c.Ports() {
		k := strconv.Itoa(int(m.ContainerPort)) + "/" + m.Protocol
		out[k] = append(out[k], InspectHostPort{HostIP: m.HostIP, HostPort: strconv.Itoa(int(m.HostPort))})
	}
	return out
}

// networkModeString is HostConfig.NetworkMode: the mode the container
// gets (the default resolved), "container:ID" or "ns:PATH".
func (c *Container) networkModeString() string {
	mode := c.Config.NetworkMode
	if mode.Joins() {
		return string(mode) + ":" + c.Config.NetworkOptions[0]
	}
	if mode == protocol.NetworkDefault {
		mode = c.r.defaultNetwork()
	}
	return string(mode)
}

// inspectNetwork fills the network parts of inspect.
func (c *Container) inspectNetwork(out *InspectContainer) {
	cfg := c.Config
	out.HostConfig.NetworkMode = c.networkModeString()
	out.HostConfig.PortBindings = c.portBindings()
	out.HostConfig.PublishAllPorts = cfg.PublishAll
	out.HostConfig.DNS = nonNil(cfg.DNS.Servers)
	out.HostConfig.DNSSearch = nonNil(cfg.DNS.Search)
	out.HostConfig.DNSOptions = nonNil(cfg.DNS.Options)
	out.HostConfig.ExtraHosts = nonNil(cfg.ExtraHosts)
	ns := &InspectNetworkSettings{Ports: c.portBindings()}
	if c.State.Status.IsActive() {
		if p := c.netnsPath(); isNsfs(p) {
			ns.SandboxKey = p
		} else if cfg.NetworkMode == protocol.NetworkNS {
			ns.SandboxKey = cfg.NetworkOptions[0]
		}
	}
	c.inspectUserNetworks(ns)
	out.NetworkSettings = ns
}
