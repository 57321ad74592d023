package spec

import (
	"bufio"
	"bytes"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// HostEntry is one line of a hosts file.
type HostEntry struct {
	IP    string
	Names []string
}

// HostsParams says what the container's /etc/hosts holds beyond the
// hostname and container name.
type HostsParams struct {
	// Base is a hosts file to start from (usually the host's /etc/hosts);
	// its comments are dropped. Empty = the default localhost lines.
	Base []byte
	// Extra entries (--add-host) come first.
	Extra []HostEntry
	// ContainerIP is the address of the hostname/name line; "" = 127.0.1.1.
	ContainerIP string
	// HostGatewayIP is the address at which the container reaches the host
	// (host.containers.internal): the default gateway with pasta, 10.0.2.2
	// with slirp4netns. "" = no such line.
	HostGatewayIP string
}

// HostContainersInternal is the name under which a container reaches the host.
const HostContainersInternal = "host.containers.internal"

// defaultHosts returns the localhost lines of a hosts file.
func defaultHosts() []HostEntry {
	return []HostEntry{
		{IP: "127.0.0.1", Names: []string{"localhost", "localhost.localdomain", "localhost4", "localhost4.localdomain4"}},
		{IP: "::1", Names: []string{"localhost", "localhost.localdomain", "localhost6", "localhost6.localdomain6"}},
	}
}

// HostsFile returns the contents of a container's /etc/hosts: the extra
// entries, the base file (or the localhost lines, which are also added when
// the base lacks them), a line mapping the hostname and the container name
// to the container's address, and host.containers.internal (also known as
// host.docker.internal) when a gateway address is given.
func HostsFile(hostname, name string, p HostsParams) []byte {
	entries := append([]HostEntry(nil), p.Extra...)
	base := parseHosts(p.Base)
	v4, v6 := false, false
	for _, e := range base {
		for _, n := range e.Names {
			if n == "localhost" {
				v4 = v4 || e.IP == "127.0.0.1"
				v6 = v6 || e.IP == "::1"
			}
		}
	}
	def := defaultHosts()
	if !v4 {
		entries = append(entries, def[0])
	}
	if !v6 {
		entries = append(entries, def[1])
	}
	entries = append(entries, base...)

	var names []string
	for _, n := range []string{hostname, name} {
		if n != "" && !containsString(names, n) {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		ip := p.ContainerIP
		if ip == "" {
			ip = "127.0.1.1"
		}
		entries = append(entries, HostEntry{IP: ip, Names: names})
	}
	if p.HostGatewayIP != "" {
		entries = append(entries, HostEntry{IP: p.HostGatewayIP, Names: []string{HostContainersInternal, "host.docker.internal"}})
	}

	var b bytes.Buffer
	for _, e := range entries {
		if e.IP == "" || len(e.Names) == 0 {
			continue
		}
		b.WriteString(e.IP)
		b.WriteByte('\t')
		b.WriteString(strings.Join(e.Names, " "))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// parseHosts returns the entries of a hosts file, without comments.
func parseHosts(data []byte) []HostEntry {
	var out []HostEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		out = append(out, HostEntry{IP: f[0], Names: f[1:]})
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ResolvConf returns the contents of a container's /etc/resolv.conf from the
// host's. With the host network (protocol.NetworkHost) the host's file is kept
// as is. Otherwise loopback nameservers, unreachable from the container's own
// network namespace, are dropped, and dnsServer (10.0.2.3 with slirp4netns),
// when given, becomes the first nameserver. Other lines are kept in order;
// when no nameserver is left only the search and options lines remain.
func ResolvConf(host []byte, networkMode protocol.NetworkMode, dnsServer string) []byte {
	if networkMode == protocol.NetworkHost {
		out := append([]byte(nil), host...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		return out
	}
	var lines []string
	inserted := dnsServer == ""
	insert := func() {
		if !inserted {
			lines = append(lines, "nameserver "+dnsServer)
			inserted = true
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(host))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "nameserver" {
			insert()
			if len(f) < 2 || isLoopback(f[1]) || f[1] == dnsServer {
				continue
			}
		}
		lines = append(lines, line)
	}
	insert()
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// isLoopback reports whether a nameserver address is a loopback address.
func isLoopback(s string) bool {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	return a.Unmap().IsLoopback()
}

// DNSOverrides are --dns, --dns-search and --dns-option: each, when set,
// replaces the matching lines of a resolv.conf. A search list of "." alone
// removes the search domains.
type DNSOverrides struct {
	Servers, Search, Options []string
}

// ApplyDNS returns resolv with the overrides applied: the search line, the
// nameservers, the options, each the given one or the file's own, in that
// order. Without overrides resolv is returned as it is.
func ApplyDNS(resolv []byte, d DNSOverrides) []byte {
	if len(d.Servers) == 0 && len(d.Search) == 0 && len(d.Options) == 0 {
		return resolv
	}
	var search, servers, options []string
	sc := bufio.NewScanner(bytes.NewReader(resolv))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "search", "domain":
			search = f[1:]
		case "nameserver":
			servers = append(servers, f[1])
		case "options":
			options = append(options, f[1:]...)
		}
	}
	if len(d.Search) > 0 {
		search = d.Search
		if len(search) == 1 && search[0] == "." {
			search = nil
		}
	}
	if len(d.Servers) > 0 {
		servers = d.Servers
	}
	if len(d.Options) > 0 {
		options = d.Options
	}
	var b bytes.Buffer
	if len(search) > 0 {
		b.WriteString("search " + strings.Join(search, " ") + "\n")
	}
	for _, s := range servers {
		b.WriteString("nameserver " + s + "\n")
	}
	if len(options) > 0 {
		b.WriteString("options " + strings.Join(options, " ") + "\n")
	}
	return b.Bytes()
}

// ContainerEnvInfo is what /run/.containerenv tells a privileged container
// about itself.
type ContainerEnvInfo struct {
	Engine, Name, ID, Image, ImageID string
	Rootless                         bool
}

// ContainerEnv returns the contents of /run/.containerenv, the file whose
// presence tells a process it runs in a container: empty, or with
// privileged the engine, name, id, image, image id and rootless lines.
func ContainerEnv(privileged bool, i ContainerEnvInfo) []byte {
	if !privileged {
		return []byte{}
	}
	var b bytes.Buffer
	for _, kv := range [][2]string{{"engine", i.Engine}, {"name", i.Name}, {"id", i.ID}, {"image", i.Image}, {"imageid", i.ImageID}} {
		b.WriteString(kv[0] + "=" + strconv.Quote(kv[1]) + "\n")
	}
	if i.Rootless {
		b.WriteString("rootless=1\n")
	}
	return b.Bytes()
}
