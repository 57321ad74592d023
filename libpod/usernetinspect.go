package libpod

import (
	"github.com/pod-engine/pod/libpod/networks"
)

// NetworkReport is what `network inspect` prints of a network: its config
// and the running containers on it, keyed by container id.
type NetworkReport struct {
	*networks.Network
	Containers map[string]NetworkContainer `json:"containers"`
}

// NetworkContainer is a running container on a network: its name and its
// interfaces on that network, by interface name.
type NetworkContainer struct {
	Name       string                      `json:"name"`
	Interfaces map[string]NetworkInterface `json:"interfaces"`
}

// NetworkInterface is one interface of a container on a network.
type NetworkInterface struct {
	Subnets    []NetworkAddress `json:"subnets,omitempty"`
	MacAddress string           `json:"mac_address"`
}

// NetworkAddress is an address of an interface (CIDR) and its gateway.
type NetworkAddress struct {
	IPNet   string `json:"ipnet"`
	Gateway string `json:"gateway,omitempty"`
}

// networkReport adds the running containers on n, each with its interfaces
// on n as netavark's setup gave them.
func (r *Runtime) networkReport(n *networks.Network) (*NetworkReport, error) {
	rep := &NetworkReport{Network: n, Containers: map[string]NetworkContainer{}}
	if n.Name == networks.DefaultName {
		return rep, nil
	}
	users, err := r.networkUsers(n.Name)
	if err != nil {
		return nil, err
	}
	for _, c := range users {
		if !c.State.Status.IsActive() {
			continue
		}
		info := NetworkContainer{Name: c.Name(), Interfaces: map[string]NetworkInterface{}}
		if o := c.netOptions(); o != nil {
			for name, st := range o.Status[n.Name].Interfaces {
				iface := NetworkInterface{MacAddress: st.MacAddress}
				for _, sn := range st.Subnets {
					iface.Subnets = append(iface.Subnets, NetworkAddress{IPNet: sn.IPNet, Gateway: sn.Gateway})
				}
				info.Interfaces[name] = iface
			}
		}
		rep.Containers[c.ID()] = info
	}
	return rep, nil
}
