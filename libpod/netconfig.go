package libpod

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// NetOptions are the network flags of create and run as given: -p, -P,
// --expose, --dns, --dns-search, --dns-option, --add-host, --no-hosts,
// --mac-address, --network-alias, --ip (see netConfig).
type NetOptions struct {
	Publish    []string
	PublishAll bool
	Expose     []string
	DNS        []string
	DNSSearch  []string
	DNSOption  []string
	AddHost    []string
	NoHosts    bool
	MacAddress string
	// Aliases (--network-alias) and IP (--ip) apply to the user network
	// of a bridge container.
	Aliases []string
	IP      string
}

// DNSConfig is --dns, --dns-search and --dns-option: each, when set,
// replaces the host's nameservers, search domains or options in the
// container's /etc/resolv.conf.
type DNSConfig struct {
	Servers []string `json:"servers,omitempty"`
	Search  []string `json:"search,omitempty"`
	Options []string `json:"options,omitempty"`
}

// netConfig validates the network flags for mode and fills them into cfg.
// Host ports left open are chosen later, once the image's exposed ports are
// known (finishPorts).
func (o *NetOptions) netConfig(mode protocol.NetworkMode, cfg *ContainerConfig) error {
	if o.MacAddress != "" {
		if _, err := net.ParseMAC(o.MacAddress); err != nil {
			return fmt.Errorf("--mac-address %q is not a MAC address: %w", o.MacAddress, define.ErrInvalidArg)
		}
		return fmt.Errorf("--mac-address %s: invalid config provided: networks and static ip/mac address can only be used with Bridge mode networking (rootless pasta and slirp4netns give the container their own address): %w",
			o.MacAddress, define.ErrInvalidArg)
	}
	if mode != protocol.NetworkBridge && (len(o.Aliases) > 0 || o.IP != "") {
		return fmt.Errorf("--network-alias and --ip: invalid config provided: networks and static ip/mac address can only be used with Bridge mode networking (give --network NAME of a network made with pod network create): %w",
			define.ErrInvalidArg)
	}
	for _, s := range o.DNS {
		if _, err := netip.ParseAddr(s); err != nil {
			return fmt.Errorf("--dns %q is not an IP address: %w", s, define.ErrInvalidArg)
		}
	}
	for _, s := range o.DNSSearch {
		if s == "" || strings.ContainsAny(s, " \t") {
			return fmt.Errorf("--dns-search %q is not a domain: %w", s, define.ErrInvalidArg)
		}
	}
	for _, s := range o.DNSOption {
		if s == "" || strings.ContainsAny(s, " \t") {
			return fmt.Errorf("--dns-option %q is not a resolver option: %w", s, define.ErrInvalidArg)
		}
	}
	cfg.DNS = DNSConfig{Servers: o.DNS, Search: o.DNSSearch, Options: o.DNSOption}
	if o.NoHosts && len(o.AddHost) > 0 {
		return fmt.Errorf("--no-hosts and --add-host cannot be set together: %w", define.ErrInvalidArg)
	}
	for _, h := range o.AddHost {
		name, ip, ok := strings.Cut(h, ":")
		if !ok || name == "" {
			return fmt.Errorf("--add-host %q: want HOST:IP: %w", h, define.ErrInvalidArg)
		}
		if ip != "host-gateway" {
			if _, err := netip.ParseAddr(ip); err != nil {
				return fmt.Errorf("--add-host %q: %q is not an IP address (or host-gateway): %w", h, ip, define.ErrInvalidArg)
			}
		}
	}
	cfg.ExtraHosts, cfg.NoHosts = o.AddHost, o.NoHosts
	if mode == protocol.NetworkNS {
		if _, err := os.Stat(cfg.NetworkOptions[0]); err != nil {
			return fmt.Errorf("--network ns:%s: no network namespace there (%w): give the path of a bound namespace file: %w",
				cfg.NetworkOptions[0], errors.Unwrap(err), define.ErrInvalidArg)
		}
	}

	maps, err := parsePublish(o.Publish)
	if err != nil {
		return err
	}
	expose, err := parseExpose(o.Expose)
	if err != nil {
		return err
	}
	cfg.Expose, cfg.PublishAll = expose, o.PublishAll
	if len(maps) > 0 || o.PublishAll {
		switch mode {
		case protocol.NetworkHost, protocol.NetworkNone, protocol.NetworkContainer, protocol.NetworkNS:
			logrus.Warnf("Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use")
			return nil
		}
	}
	if err := checkPrivilegedPorts(maps); err != nil {
		return err
	}
	if err := checkPortOverlap(maps); err != nil {
		return err
	}
	cfg.PortMappings = maps
	return nil
}

// finishPorts completes the published ports once the image is known: -P
// adds the image's and --expose's ports, and open host ports are chosen.
func (r *Runtime) finishPorts(cfg *ContainerConfig) error {
	if cfg.PublishAll && cfg.NetworkMode != protocol.NetworkHost && cfg.NetworkMode != protocol.NetworkNone && !cfg.NetworkMode.Joins() {
		cfg.PortMappings = publishAll(cfg.PortMappings, cfg.ImageConfig.ExposedPorts, cfg.Expose)
	}
	if len(cfg.PortMappings) == 0 {
		return nil
	}
	if err := assignHostPorts(cfg.PortMappings); err != nil {
		return err
	}
	return checkPortOverlap(cfg.PortMappings)
}

// joinedNetns returns the network namespace a container:NAME or ns:PATH
// container joins, and the run directory whose hosts and resolv.conf it
// shares ("" for ns:PATH).
func (c *Container) joinedNetns() (nsPath, shareDir string, err error) {
	target := c.Config.NetworkOptions[0]
	if c.Config.NetworkMode == protocol.NetworkNS {
		if _, err := os.Stat(target); err != nil {
			return "", "", fmt.Errorf("container %s: network namespace %s: %w: %w", c.Name(), target, errors.Unwrap(err), define.ErrInvalidArg)
		}
		return target, "", nil
	}
	other, err := c.r.Container(target)
	if err != nil {
		return "", "", fmt.Errorf("container %s joins the network of container %s: %w", c.Name(), target, err)
	}
	if other.State.Status != define.StatusRunning && other.State.Status != define.StatusPaused {
		return "", "", fmt.Errorf("container %s joins the network of container %s, which is not running: start it first (pod start %s): %w",
			c.Name(), other.Name(), other.Name(), define.ErrCtrStateInvalid)
	}
	// A namespace the monitor bound outlives restarts; else the process's.
	if p := other.netnsPath(); isNsfs(p) {
		return p, other.runDir(), nil
	}
	if other.Config.NetworkMode == protocol.NetworkHost {
		return "", "", fmt.Errorf("container %s uses the host's network: use --network host: %w", other.Name(), define.ErrInvalidArg)
	}
	return fmt.Sprintf("/proc/%d/ns/net", other.State.Pid), other.runDir(), nil
}

// isNsfs reports whether p is a bound namespace file.
func isNsfs(p string) bool {
	var st unix.Statfs_t
	return unix.Statfs(p, &st) == nil && st.Type == unix.NSFS_MAGIC
}
