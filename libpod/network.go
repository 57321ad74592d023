package libpod

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/portfwd"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/procfs"
	"github.com/pod-engine/pod/pkg/spec"
)

// slirpGateway is slirp4netns's address for the host (its loopback, when
// allowed); slirpDNS its DNS forwarder.
const (
	slirpGateway = "10.0.2.2"
	slirpDNS     = "10.0.2.3"
)

// netSetup is a container's network as it starts.
type netSetup struct {
	mode protocol.NetworkMode // resolved: none, host, pasta or slirp4netns
	tool string               // the helper's program
	args []string             // the helper's extra arguments
	// loopback says the container may reach services bound to the host's
	// loopback (opted in per container or in pod.conf).
	loopback bool
	// nsPath is the existing network namespace the container joins
	// (container:NAME, ns:PATH); shareDir the run directory of the
	// container whose hosts and resolv.conf it shares ("" for none).
	nsPath, shareDir string
	// forwarder is the port forwarder's command line (slirp4netns with
	// published ports), nil for none.
	forwarder []string
	// userNets: the container is on user networks; start sets them up
	// (attachNetworks) and the monitor joins nsPath.
	userNets bool
}

// bindsNetns reports whether the monitor makes the container's network
// namespace at netnsPath (it outlives the container's restarts, so the
// helper and the forwarder keep serving it).
func (n *netSetup) bindsNetns() bool {
	return n.mode == protocol.NetworkPasta || len(n.forwarder) > 0
}

// network resolves the container's network: the default becomes the
// configured or installed helper, the options (pod.conf's for the mode,
// then the container's) become the helper's arguments, and the helper's
// program is found.
func (c *Container) network() (*netSetup, error) {
	mode := c.Config.NetworkMode
	if mode == protocol.NetworkDefault {
		mode = c.r.defaultNetwork()
	}
	n := &netSetup{mode: mode}
	if mode == protocol.NetworkBridge {
		return c.userNetwork()
	}
	if mode.Joins() {
		var err error
		if n.nsPath, n.shareDir, err = c.joinedNetns(); err != nil {
			return nil, err
		}
		return n, nil
	}
	if !mode.NeedsHelper() {
		return n, nil
	}
	ports := c.Config.PortMappings
	opts := append(slices.Clone(c.r.cfg.helperOptions(mode)), c.Config.NetworkOptions...)
	var err error
	if n.args, n.loopback, err = helperArgs(mode, opts); err != nil {
		return nil, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	tool := string(mode)
	if mode == protocol.NetworkSlirp4netns && c.r.cfg.NetworkCmdPath != "" {
		tool = c.r.cfg.NetworkCmdPath // --network-cmd-path
	}
	if n.tool, err = exec.LookPath(tool); err != nil {
		return nil, fmt.Errorf("network %s: %s not found: install it (sudo apt-get install %s) or use --network none: %w",
			mode, mode, mode.Package(), define.ErrMissingTool)
	}
	if len(ports) > 0 {
		if err := c.checkHostPorts(); err != nil {
			return nil, err
		}
		if mode == protocol.NetworkPasta && c.r.cfg.PortForwarder == PortForwarderPasta {
			n.args = append(n.args, pastaPortArgs(ports)...)
		} else if n.forwarder, err = c.forwarderArgs(); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// checkHostPorts checks, at start, that the published host ports may be
// bound and are free.
func (c *Container) checkHostPorts() error {
	ports := c.Config.PortMappings
	if err := checkPrivilegedPorts(ports); err != nil {
		return fmt.Errorf("container %s: %w", c.Name(), err)
	}
	// The last run's pasta or forwarder, killed as that run ended, may
	// still be going: its sockets close when it is gone.
	for end := time.Now().Add(2 * time.Second); (c.helperAlive() || c.forwarderAlive()) && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	// The forwarder of a run that just ended (another container's pasta,
	// whose address space the kernel tears down before it closes the
	// sockets, or another engine's) may still hold the port: a port busy
	// at first is tried again for a moment.
	err := checkPortsFree(ports)
	for end := time.Now().Add(portReleaseWait); errors.Is(err, define.ErrPortInUse) && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
		err = checkPortsFree(ports)
	}
	if err != nil {
		return fmt.Errorf("container %s: %w", c.Name(), err)
	}
	return nil
}

// portReleaseWait bounds how long a start waits for a busy host port.
const portReleaseWait = time.Second

func (r *Runtime) defaultNetwork() protocol.NetworkMode {
	if r.cfg.Network != protocol.NetworkDefault {
		return r.cfg.Network
	}
	if _, err := exec.LookPath(string(protocol.NetworkPasta)); err == nil {
		return protocol.NetworkPasta
	}
	return protocol.NetworkSlirp4netns
}

// helperArgs turns a helper's options, as --network MODE:OPTIONS and
// pod.conf give them, into its command-line arguments. The host's loopback
// stays closed unless asked for: pasta gets --no-map-gw unless the options
// say --map-gw (which pod consumes: pasta maps the gateway to the host by
// default and knows no such flag); slirp4netns gets
// --disable-host-loopback unless allow_host_loopback=true. slirp4netns
// options are podman's key=value ones; pasta's are pasta's own flags.
func helperArgs(mode protocol.NetworkMode, opts []string) (args []string, loopback bool, err error) {
	switch mode {
	case protocol.NetworkPasta:
		for _, o := range opts {
			switch o {
			case "--map-gw":
				loopback = true
			case "--no-map-gw":
				loopback = false
			default:
				args = append(args, o)
			}
		}
		if !loopback {
			args = append(args, "--no-map-gw")
		}
		return args, loopback, nil
	case protocol.NetworkSlirp4netns:
		var extra []string
		for _, o := range opts {
			k, v, hasValue := strings.Cut(o, "=")
			bad := func() error {
				return fmt.Errorf("slirp4netns option %q: %w", o, define.ErrInvalidArg)
			}
			switch k {
			case "allow_host_loopback", "enable_ipv6":
				b, perr := strconv.ParseBool(v)
				if !hasValue || perr != nil {
					return nil, false, bad()
				}
				if k == "allow_host_loopback" {
					loopback = b
				} else if b {
					extra = append(extra, "--enable-ipv6")
				}
			case "mtu":
				if n, perr := strconv.Atoi(v); perr != nil || n < 68 || n > 65521 {
					return nil, false, bad()
				}
				extra = append(extra, "--mtu="+v)
			case "cidr", "outbound_addr", "outbound_addr6":
				if v == "" {
					return nil, false, bad()
				}
				extra = append(extra, "--"+strings.ReplaceAll(k, "_", "-")+"="+v)
			default:
				return nil, false, fmt.Errorf("slirp4netns option %q is not supported: use allow_host_loopback, enable_ipv6, mtu, cidr, outbound_addr or outbound_addr6: %w",
					o, define.ErrInvalidArg)
			}
		}
		if !loopback {
			args = append(args, "--disable-host-loopback")
		}
		return append(args, extra...), loopback, nil
	}
	if len(opts) > 0 {
		return nil, false, fmt.Errorf("network mode %s takes no options: %w", mode, define.ErrInvalidArg)
	}
	return nil, false, nil
}

// hostAddress is the address named host.containers.internal, "" for none.
// With the host's loopback open it is the address the helper maps to it:
// the default gateway for pasta, 10.0.2.2 for slirp4netns. Closed, it is an
// address of the host itself, which reaches the host's services bound to
// it or to every address (never those on 127.0.0.1 only): slirp4netns
// connects from the host, so any non-loopback address of the host works;
// pasta gives the container the address of the host's default-route
// interface, so only an address on another interface does.
func (n *netSetup) hostAddress() string {
	switch {
	case n.mode == protocol.NetworkSlirp4netns && n.loopback:
		return slirpGateway
	case n.mode == protocol.NetworkPasta && n.loopback:
		return defaultGatewayIPv4()
	case n.mode == protocol.NetworkSlirp4netns:
		return hostIPv4("")
	case n.mode == protocol.NetworkPasta:
		return hostIPv4(defaultRouteInterface())
	}
	return ""
}

// hostIPv4 returns the host's first global IPv4 address not on the
// interface skip.
func hostIPv4(skip string) string {
	ifs, err := net.Interfaces()
	if err != nil {
		return ""
	}
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagLoopback != 0 || i.Name == skip {
			continue
		}
		addrs, err := i.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if ip, ok := a.(*net.IPNet); ok && ip.IP.To4() != nil && ip.IP.IsGlobalUnicast() {
				return ip.IP.String()
			}
		}
	}
	return ""
}

// defaultRoute returns the fields of the IPv4 default route in
// /proc/net/route (interface, destination, gateway, ...), or nil.
func defaultRoute() []string {
	data, err := os.ReadFile("/proc/net/route")
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		if f := strings.Fields(line); len(f) > 2 && f[1] == "00000000" {
			return f
		}
	}
	return nil
}

func defaultRouteInterface() string {
	if f := defaultRoute(); f != nil {
		return f[0]
	}
	return ""
}

func defaultGatewayIPv4() string {
	f := defaultRoute()
	if f == nil {
		return ""
	}
	v, err := strconv.ParseUint(f[2], 16, 32)
	if err != nil || v == 0 {
		return ""
	}
	return net.IPv4(byte(v), byte(v>>8), byte(v>>16), byte(v>>24)).String()
}

// etcFiles returns the contents of the container's hostname, hosts and
// resolv.conf. A container in another's network shares its hosts and
// resolv.conf (a copy, as they are at start); otherwise hosts has the
// --add-host entries, the localhost lines, the hostname and
// host.containers.internal, and resolv.conf is the host's as the network
// mode can use it, with --dns, --dns-search and --dns-option applied.
func (c *Container) etcFiles(hostname string, netw *netSetup) (map[string][]byte, error) {
	cfg := c.Config
	files := map[string][]byte{"hostname": []byte(hostname + "\n")}
	if netw.shareDir != "" {
		for _, f := range []string{"hosts", "resolv.conf"} {
			data, err := os.ReadFile(filepath.Join(netw.shareDir, f))
			if err != nil {
				return nil, fmt.Errorf("container %s: %s of the container whose network it joins: %w", c.Name(), f, err)
			}
			files[f] = data
		}
		files["resolv.conf"] = spec.ApplyDNS(files["resolv.conf"], spec.DNSOverrides(cfg.DNS))
		return files, nil
	}
	gateway := netw.hostAddress()
	var extra []spec.HostEntry
	for _, h := range cfg.ExtraHosts {
		name, ip, _ := strings.Cut(h, ":")
		if ip == "host-gateway" {
			if ip = gateway; ip == "" {
				return nil, fmt.Errorf("container %s: --add-host %s: the network has no address for the host: %w", c.Name(), h, define.ErrInvalidArg)
			}
		}
		extra = append(extra, spec.HostEntry{IP: ip, Names: []string{name}})
	}
	if !cfg.NoHosts {
		files["hosts"] = spec.HostsFile(hostname, cfg.Name, spec.HostsParams{Extra: extra, HostGatewayIP: gateway, ContainerIP: c.userNetIP()})
	}
	hostResolv, _ := os.ReadFile("/etc/resolv.conf")
	dns := ""
	if netw.mode == protocol.NetworkSlirp4netns {
		dns = slirpDNS
	}
	if netw.userNets {
		dns = c.userNetDNS()
	}
	files["resolv.conf"] = spec.ApplyDNS(spec.ResolvConf(hostResolv, netw.mode, dns), spec.DNSOverrides(cfg.DNS))
	return files, nil
}

// netnsPath is where the monitor binds the container's network namespace.
func (c *Container) netnsPath() string { return filepath.Join(c.runDir(), "netns") }

// removeNetns unmounts a namespace file a dead monitor left behind, after
// unplugging the container from its user networks.
func (c *Container) removeNetns() {
	c.detachNetworks(nil)
	p := c.netnsPath()
	if _, err := os.Lstat(p); err == nil {
		_ = unix.Unmount(p, unix.MNT_DETACH)
		os.Remove(p)
	}
}

// helperAlive reports whether the recorded network helper runs.
func (c *Container) helperAlive() bool { return recordAlive(c.helperPidFile()) }

// forwarderAlive reports whether the recorded port forwarder runs.
func (c *Container) forwarderAlive() bool { return recordAlive(c.forwarderPidFile()) }

func recordAlive(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	rec, err := protocol.ParsePidRecord(data)
	return err == nil && procfs.Alive(rec.Pid, rec.Start)
}

// stopHelper kills the network helper and the port forwarder a dead
// monitor left running.
func (c *Container) stopHelper() {
	for _, p := range []string{c.helperPidFile(), c.forwarderPidFile()} {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if rec, err := protocol.ParsePidRecord(data); err == nil && procfs.Alive(rec.Pid, rec.Start) {
			_ = unix.Kill(rec.Pid, unix.SIGKILL)
		}
		os.Remove(p)
	}
}

// forwarderPidFile is the pid record of the port forwarder.
func (c *Container) forwarderPidFile() string { return filepath.Join(c.runDir(), "forwarder.pid") }

// forwarderArgs is the port forwarder's command line: `pod-portfwd NETNS
// PORT...` (ports as portfwd.Port strings, one per port).
func (c *Container) forwarderArgs() ([]string, error) {
	prog, err := FindHelper(c.r.PodPath, "pod-portfwd")
	if err != nil {
		return nil, fmt.Errorf("container %s: published ports: %w", c.Name(), err)
	}
	args := []string{prog, c.netnsPath()}
	for _, m := range c.Ports() {
		p := portfwd.Port{Proto: m.Protocol, HostIP: m.HostIP, HostPort: int(m.HostPort), CtrPort: int(m.ContainerPort)}
		args = append(args, p.String())
	}
	return args, nil
}
