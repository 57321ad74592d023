package libpod

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/networks"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// NetworkAttach is a container's attachment to one user network.
type NetworkAttach struct {
	// Aliases are the extra names the network's DNS gives the container
	// (--network-alias, NAME:alias=).
	Aliases []string `json:"aliases,omitempty"`
	// StaticIPs are the addresses asked for (--ip, NAME:ip=); none picks
	// a free one at each start.
	StaticIPs []string `json:"staticIPs,omitempty"`
	// InterfaceName is the interface in the container (eth0, eth1...).
	InterfaceName string `json:"interfaceName"`
}

var userNetRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*([:,].*)?$`)

// parseUserNetworks reads a --network value naming user networks:
// "NAME[:OPT=V,...][,NAME2[:...]]", where OPT is alias, ip or
// interface_name (an item without "=" starts the next network). aliases
// and ip are --network-alias and --ip, which need exactly one network.
// The names are checked against the store at create (resolveUserNetworks).
func parseUserNetworks(value string, aliases []string, ip string) (map[string]NetworkAttach, []string, error) {
	if !userNetRE.MatchString(value) {
		return nil, nil, nil
	}
	first, _, _ := strings.Cut(value, ",")
	first, _, _ = strings.Cut(first, ":")
	switch protocol.NetworkMode(first) {
	case protocol.NetworkNone, protocol.NetworkHost, protocol.NetworkPasta, protocol.NetworkSlirp4netns,
		protocol.NetworkContainer, protocol.NetworkNS, protocol.NetworkBridge, "default", "private":
		return nil, nil, nil // a mode, misspelt: its own error
	}
	out := map[string]NetworkAttach{}
	var order []string
	var cur string
	for _, item := range strings.Split(value, ",") {
		name, opt, hasOpt := strings.Cut(item, ":")
		if !strings.Contains(item, "=") || (hasOpt && !strings.Contains(name, "=")) {
			if !networkNameRE.MatchString(name) {
				return nil, nil, fmt.Errorf("--network %q: %q is not a network name: %w", value, name, define.ErrInvalidArg)
			}
			if _, dup := out[name]; dup {
				return nil, nil, fmt.Errorf("--network %q: network %s given twice: %w", value, name, define.ErrInvalidArg)
			}
			cur = name
			out[cur] = NetworkAttach{InterfaceName: fmt.Sprintf("eth%d", len(order))}
			order = append(order, cur)
			if !hasOpt {
				continue
			}
			item = opt
		}
		if item == "" {
			continue
		}
		k, v, _ := strings.Cut(item, "=")
		a := out[cur]
		switch k {
		case "alias":
			a.Aliases = append(a.Aliases, v)
		case "ip":
			a.StaticIPs = append(a.StaticIPs, v)
		case "interface_name":
			a.InterfaceName = v
		default:
			return nil, nil, fmt.Errorf("--network %s: option %q is not supported: use alias=, ip= or interface_name=: %w", value, item, define.ErrInvalidArg)
		}
		out[cur] = a
	}
	if len(aliases) > 0 || ip != "" {
		if len(order) != 1 {
			return nil, nil, fmt.Errorf("--network-alias and --ip need exactly one network (give them per network: --network NAME:alias=A,ip=IP): %w", define.ErrInvalidArg)
		}
		a := out[order[0]]
		a.Aliases = append(a.Aliases, aliases...)
		if ip != "" {
			a.StaticIPs = append(a.StaticIPs, ip)
		}
		out[order[0]] = a
	}
	for _, a := range out {
		for _, s := range a.StaticIPs {
			if p := net.ParseIP(s); p == nil || p.To4() == nil {
				return nil, nil, fmt.Errorf("--ip %q is not an IPv4 address: %w", s, define.ErrInvalidArg)
			}
		}
	}
	return out, order, nil
}

var networkNameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// resolveUserNetworks checks that every network exists (a network given by
// id becomes its name) and that static addresses lie in its subnet.
func (r *Runtime) resolveUserNetworks(nets map[string]NetworkAttach) (map[string]NetworkAttach, error) {
	out := map[string]NetworkAttach{}
	for ref, a := range nets {
		n, err := r.networkStore().Get(ref)
		if err != nil {
			return nil, err
		}
		if err := checkStaticIPs(n, a.StaticIPs); err != nil {
			return nil, err
		}
		out[n.Name] = a
	}
	return out, nil
}

// checkStaticIPs refuses an address outside the network's subnets, or its
// gateway.
func checkStaticIPs(n *networks.Network, ips []string) error {
	for _, s := range ips {
		ip := net.ParseIP(s)
		ok := false
		for _, sn := range n.Subnets {
			_, ipn, err := net.ParseCIDR(sn.Subnet)
			if err == nil && ipn.Contains(ip) && !ip.Equal(ipn.IP) && s != sn.Gateway {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("--ip %s: not a free address of network %s's subnet %s: %w", s, n.Name, subnetList(n), define.ErrInvalidArg)
		}
	}
	return nil
}

func subnetList(n *networks.Network) string {
	var s []string
	for _, sn := range n.Subnets {
		s = append(s, sn.Subnet)
	}
	return strings.Join(s, ",")
}

// sortedNetworks returns the names of a container's networks by interface
// name (eth0 first).
func sortedNetworks(nets map[string]NetworkAttach) []string {
	names := make([]string, 0, len(nets))
	for n := range nets {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := strings.Compare(nets[a].InterfaceName, nets[b].InterfaceName); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return names
}
