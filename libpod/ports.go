package libpod

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

// PortMapping is one published port: ContainerPort (and Range-1 more) of
// Protocol reached from HostIP:HostPort on the host. Create fills them
// from -p/--publish and -P (docs/design.md, "Ports").
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
	return fmt.Sprintf("%d/%s -> %s", m.ContainerPort, m.Protocol, net.JoinHostPort(ip, strconv.Itoa(int(m.HostPort))))
}

// PsString is the mapping as ps's PORTS column shows it:
// "0.0.0.0:9000-9001->90-91/tcp".
func (m PortMapping) PsString() string {
	ip := m.HostIP
	if ip == "" {
		ip = "0.0.0.0"
	}
	n := max(m.Range, 1)
	host, ctr := strconv.Itoa(int(m.HostPort)), strconv.Itoa(int(m.ContainerPort))
	if n > 1 {
		host += "-" + strconv.Itoa(int(m.HostPort+n-1))
		ctr += "-" + strconv.Itoa(int(m.ContainerPort+n-1))
	}
	return fmt.Sprintf("%s->%s/%s", net.JoinHostPort(ip, host), ctr, m.Protocol)
}

// end is the last host port of m.
func (m PortMapping) end() int { return int(m.HostPort) + int(max(m.Range, 1)) - 1 }

// pastaSpec is m as pasta's -t/-u option value: "[ADDR/]HOST[-END]:CTR[-END]".
func (m PortMapping) pastaSpec() string {
	n := max(m.Range, 1)
	s := strconv.Itoa(int(m.HostPort))
	c := strconv.Itoa(int(m.ContainerPort))
	if n > 1 {
		s += "-" + strconv.Itoa(int(m.HostPort+n-1))
		c += "-" + strconv.Itoa(int(m.ContainerPort+n-1))
	}
	if m.HostIP != "" {
		s = m.HostIP + "/" + s
	}
	return s + ":" + c
}

// portRange reads "N" or "N-M" (1 ≤ N ≤ M ≤ 65535); "" is (0, 0).
func portRange(s, what string) (first, n uint16, err error) {
	if s == "" {
		return 0, 0, nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	a, err := portNumber(lo, what)
	if err != nil {
		return 0, 0, err
	}
	b := a
	if isRange {
		if b, err = portNumber(hi, what); err != nil {
			return 0, 0, err
		}
		if b < a {
			return 0, 0, fmt.Errorf("%s range %q: the end is below the start: %w", what, s, define.ErrInvalidArg)
		}
	}
	return a, b - a + 1, nil
}

func portNumber(s, what string) (uint16, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number: %w", what, s, define.ErrInvalidArg)
	}
	if v < 1 || v > 65535 {
		return 0, fmt.Errorf("%s: port numbers must be between 1 and 65535 (inclusive), got %d: %w", what, v, define.ErrInvalidArg)
	}
	return uint16(v), nil
}

// protocols reads the "/tcp", "/udp" or "/tcp,udp" suffix of a port.
func protocols(s, flag, spec string) ([]string, error) {
	if s == "" {
		return []string{"tcp"}, nil
	}
	var out []string
	for _, p := range strings.Split(strings.ToLower(s), ",") {
		switch p {
		case "tcp", "udp":
			out = append(out, p)
		default:
			return nil, fmt.Errorf("%s %q: protocol %q is not supported: use tcp or udp: %w", flag, spec, p, define.ErrInvalidArg)
		}
	}
	return out, nil
}

// parsePublish reads -p values, "[IP:][HOSTPORT:]CTRPORT[/PROTO]" with port
// ranges ("8000-8005:80-85"); a missing host port is 0 (chosen later by
// assignHostPorts).
func parsePublish(values []string) ([]PortMapping, error) {
	var out []PortMapping
	for _, v := range values {
		bad := func(why string) error {
			return fmt.Errorf("-p/--publish %q: %s: use [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp]: %w", v, why, define.ErrInvalidArg)
		}
		rest, proto, _ := strings.Cut(v, "/")
		protos, err := protocols(proto, "-p/--publish", v)
		if err != nil {
			return nil, err
		}
		ip := ""
		if strings.HasPrefix(rest, "[") {
			end := strings.Index(rest, "]")
			if end < 0 || len(rest) < end+2 || rest[end+1] != ':' {
				return nil, bad("unterminated IPv6 address")
			}
			ip, rest = rest[1:end], rest[end+2:]
			if a, err := netip.ParseAddr(ip); err != nil || !a.Is6() {
				return nil, bad(fmt.Sprintf("%q is not an IPv6 address", ip))
			}
		}
		parts := strings.Split(rest, ":")
		var hostPart, ctrPart string
		switch {
		case len(parts) == 1:
			ctrPart = parts[0]
		case len(parts) == 2:
			hostPart, ctrPart = parts[0], parts[1]
		case len(parts) == 3 && ip == "":
			ip, hostPart, ctrPart = parts[0], parts[1], parts[2]
			if _, err := netip.ParseAddr(ip); err != nil {
				return nil, bad(fmt.Sprintf("%q is not an IP address", ip))
			}
		default:
			return nil, bad("too many colons")
		}
		if ip == "0.0.0.0" {
			ip = ""
		}
		if ctrPart == "" {
			return nil, bad("no container port")
		}
		ctr, n, err := portRange(ctrPart, "container port")
		if err != nil {
			return nil, err
		}
		host, hn, err := portRange(hostPart, "host port")
		if err != nil {
			return nil, err
		}
		if hn > 0 && hn != n {
			return nil, fmt.Errorf("-p/--publish %q: host and container port ranges have different lengths: %d vs %d: %w", v, hn, n, define.ErrInvalidArg)
		}
		if int(ctr)+int(n)-1 > 65535 || (host > 0 && int(host)+int(n)-1 > 65535) {
			return nil, bad("the range passes port 65535")
		}
		for _, p := range protos {
			m := PortMapping{HostIP: ip, ContainerPort: ctr, HostPort: host, Protocol: p}
			if n > 1 {
				m.Range = n
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// parseExpose reads --expose values, "PORT[-END][/PROTO]", as "80/tcp" keys.
func parseExpose(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		port, proto, _ := strings.Cut(v, "/")
		protos, err := protocols(proto, "--expose", v)
		if err != nil {
			return nil, err
		}
		first, n, err := portRange(port, "--expose "+strconv.Quote(v))
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("--expose %q: no port: %w", v, define.ErrInvalidArg)
		}
		for _, p := range protos {
			for i := uint16(0); i < n; i++ {
				out = appendUnique(out, strconv.Itoa(int(first+i))+"/"+p)
			}
		}
	}
	return out, nil
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// portKey splits an "80/tcp" key.
func portKey(k string) (uint16, string, bool) {
	p, proto, _ := strings.Cut(k, "/")
	if proto == "" {
		proto = "tcp"
	}
	v, err := strconv.Atoi(p)
	if err != nil || v < 1 || v > 65535 || (proto != "tcp" && proto != "udp") {
		return 0, "", false
	}
	return uint16(v), proto, true
}

// publishAll adds, for -P, a mapping with a host port to be chosen for
// every exposed port (the image's, then --expose) that no -p publishes.
func publishAll(maps []PortMapping, imageExposed, expose []string) []PortMapping {
	keys := append(sortedPortKeys(imageExposed), expose...)
	published := func(port uint16, proto string) bool {
		for _, m := range maps {
			if m.Protocol == proto && port >= m.ContainerPort && int(port) < int(m.ContainerPort)+int(max(m.Range, 1)) {
				return true
			}
		}
		return false
	}
	for _, k := range keys {
		port, proto, ok := portKey(k)
		if ok && !published(port, proto) {
			maps = append(maps, PortMapping{ContainerPort: port, Protocol: proto})
		}
	}
	return maps
}

func sortedPortKeys(keys []string) []string {
	out := append([]string(nil), keys...)
	sort.Slice(out, func(i, j int) bool {
		a, pa, _ := portKey(out[i])
		b, pb, _ := portKey(out[j])
		if a != b {
			return a < b
		}
		return pa < pb
	})
	return out
}

// unprivilegedPortStart is net.ipv4.ip_unprivileged_port_start: the first
// port an unprivileged user may bind.
func unprivilegedPortStart() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start")
	if err != nil {
		return 1024
	}
	v, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return 1024
	}
	return v
}

// checkPrivilegedPorts refuses host ports an unprivileged user cannot bind.
func checkPrivilegedPorts(maps []PortMapping) error {
	start := unprivilegedPortStart()
	for _, m := range maps {
		if m.HostPort != 0 && int(m.HostPort) < start {
			return fmt.Errorf("cannot publish privileged port %d without root: net.ipv4.ip_unprivileged_port_start is %d; publish a port >= %d, or ask root to run `sysctl net.ipv4.ip_unprivileged_port_start=%d`: %w",
				m.HostPort, start, start, m.HostPort, define.ErrInvalidArg)
		}
	}
	return nil
}

// listenPort binds ip:port with proto and returns the socket (port 0: a
// free port the kernel picks).
func listenPort(proto, ip string, port int) (interface{ Close() error }, int, error) {
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	if proto == "udp" {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, 0, err
		}
		return c, c.LocalAddr().(*net.UDPAddr).Port, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, 0, err
	}
	return l, l.Addr().(*net.TCPAddr).Port, nil
}

// assignHostPorts gives every mapping without a host port free host ports
// (a range gets consecutive ones), as the kernel picks them now.
func assignHostPorts(maps []PortMapping) error {
	for i := range maps {
		m := &maps[i]
		if m.HostPort != 0 {
			continue
		}
		n := int(max(m.Range, 1))
		found := false
		for try := 0; try < 20 && !found; try++ {
			c, port, err := listenPort(m.Protocol, m.HostIP, 0)
			if err != nil {
				return fmt.Errorf("find a free host port for %d/%s: %w", m.ContainerPort, m.Protocol, err)
			}
			c.Close()
			if port+n-1 > 65535 {
				continue
			}
			m.HostPort = uint16(port)
			found = checkPortsFree([]PortMapping{*m}) == nil
		}
		if !found {
			return fmt.Errorf("find %d free consecutive host ports for %d/%s: none found", n, m.ContainerPort, m.Protocol)
		}
	}
	return nil
}

// checkPortsFree binds every host port of maps for a moment: a port that
// another process holds is named with the fix.
func checkPortsFree(maps []PortMapping) error {
	for _, m := range maps {
		for p := int(m.HostPort); p <= m.end(); p++ {
			c, _, err := listenPort(m.Protocol, m.HostIP, p)
			if err != nil {
				ip := m.HostIP
				if ip == "" {
					ip = "0.0.0.0"
				}
				what := err.Error()
				if errors.Is(err, unix.EADDRINUSE) {
					what = "address already in use"
				}
				return fmt.Errorf("cannot publish port %d/%s on %s: %s: stop what listens there or publish another port: %w",
					p, m.Protocol, net.JoinHostPort(ip, strconv.Itoa(p)), what, define.ErrPortInUse)
			}
			c.Close()
		}
	}
	return nil
}

// checkPortOverlap refuses two mappings of one host port and protocol.
func checkPortOverlap(maps []PortMapping) error {
	for i, a := range maps {
		for _, b := range maps[:i] {
			if a.Protocol != b.Protocol || a.HostPort == 0 || b.HostPort == 0 {
				continue
			}
			if int(a.HostPort) <= b.end() && int(b.HostPort) <= a.end() && (a.HostIP == b.HostIP || a.HostIP == "" || b.HostIP == "") {
				return fmt.Errorf("-p/--publish: host port %d/%s is published twice: %w", max(a.HostPort, b.HostPort), a.Protocol, define.ErrInvalidArg)
			}
		}
	}
	return nil
}

// pastaPortArgs are pasta's forwarding options for maps: -t for TCP, -u
// for UDP, one per mapping.
func pastaPortArgs(maps []PortMapping) []string {
	var args []string
	for _, m := range maps {
		flag := "-t"
		if m.Protocol == "udp" {
			flag = "-u"
		}
		args = append(args, flag, m.pastaSpec())
	}
	return args
}
