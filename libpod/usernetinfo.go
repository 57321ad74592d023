package libpod

import (
	"fmt"
	"net"
	"slices"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// userNetwork is the start-time network of a container on user networks:
// start plugs its own namespace into them (attachNetworks), the spec and
// the monitor join that namespace, and published ports get the port
// forwarder, which dials the container's ports inside it.
func (c *Container) userNetwork() (*netSetup, error) {
	if _, err := findNetTool("netavark"); err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	n := &netSetup{mode: protocol.NetworkNS, userNets: true, nsPath: c.netnsPath()}
	if len(c.Config.PortMappings) > 0 {
		if err := c.checkHostPorts(); err != nil {
			return nil, err
		}
		var err error
		if n.forwarder, err = c.forwarderArgs(); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// userNetAddr is the container's first address on network name and its
// prefix length, as its setup gave them ("" when not set up).
func (c *Container) userNetAddr(name string, o *netavarkOptions) (ip, gateway, mac string, prefix int) {
	if o == nil {
		return "", "", "", 0
	}
	st, ok := o.Status[name]
	if !ok {
		return "", "", "", 0
	}
	iface := st.Interfaces[o.Networks[name].InterfaceName]
	for _, sn := range iface.Subnets {
		if a, ipn, err := net.ParseCIDR(sn.IPNet); err == nil && a.To4() != nil {
			prefix, _ = ipn.Mask.Size()
			return a.String(), sn.Gateway, iface.MacAddress, prefix
		}
	}
	return "", "", iface.MacAddress, 0
}

// userNetIP is the container's address on its first network, "" for none.
func (c *Container) userNetIP() string {
	o := c.netOptions()
	for _, name := range sortedNetworks(c.Config.Networks) {
		if ip, _, _, _ := c.userNetAddr(name, o); ip != "" {
			return ip
		}
	}
	return ""
}

// userNetDNS is the name server of the container's first network with DNS
// (aardvark-dns on its gateway), "" for none.
func (c *Container) userNetDNS() string {
	o := c.netOptions()
	if o == nil {
		return ""
	}
	for _, name := range sortedNetworks(c.Config.Networks) {
		if st := o.Status[name]; len(st.DNSServerIPs) > 0 {
			return st.DNSServerIPs[0]
		}
	}
	return ""
}

// InspectAddress is a container's address on a network, as inspect shows
// it at the top of NetworkSettings and per network.
type InspectAddress struct {
	EndpointID          string `json:"EndpointID"`
	Gateway             string `json:"Gateway"`
	IPAddress           string `json:"IPAddress"`
	IPPrefixLen         int    `json:"IPPrefixLen"`
	IPv6Gateway         string `json:"IPv6Gateway"`
	GlobalIPv6Address   string `json:"GlobalIPv6Address"`
	GlobalIPv6PrefixLen int    `json:"GlobalIPv6PrefixLen"`
	MacAddress          string `json:"MacAddress"`
}

// InspectNetwork is one network of NetworkSettings.Networks.
type InspectNetwork struct {
	InspectAddress
	NetworkID  string            `json:"NetworkID"`
	DriverOpts map[string]string `json:"DriverOpts"`
	IPAMConfig map[string]string `json:"IPAMConfig"`
	Links      []string          `json:"Links"`
	Aliases    []string          `json:"Aliases"`
}

// inspectUserNetworks fills NetworkSettings.Networks: every network of
// the container, with its address while it runs; with one network the
// top-level address fields too.
func (c *Container) inspectUserNetworks(ns *InspectNetworkSettings) {
	if len(c.Config.Networks) == 0 {
		return
	}
	var o *netavarkOptions
	if c.State.Status.IsActive() {
		o = c.netOptions()
	}
	ns.Networks = map[string]*InspectNetwork{}
	for _, name := range sortedNetworks(c.Config.Networks) {
		a := c.Config.Networks[name]
		n := &InspectNetwork{NetworkID: name, Aliases: append(slices.Clone(a.Aliases), c.ID()[:12])}
		n.IPAddress, n.Gateway, n.MacAddress, n.IPPrefixLen = c.userNetAddr(name, o)
		ns.Networks[name] = n
	}
	if len(ns.Networks) == 1 {
		for _, n := range ns.Networks {
			ns.InspectAddress = n.InspectAddress
		}
	}
}
