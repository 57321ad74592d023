package protocol

import (
	"fmt"
	"strings"
)

// NetworkMode is a container's network: the mode a user asks for at create
// and, once resolved, the mode the monitor sets up.
type NetworkMode string

// Network modes. NetworkDefault is resolved when the container starts (to
// pasta when installed, else slirp4netns, unless the configuration names
// one); the monitor is only ever given a resolved mode.
const (
	NetworkDefault     NetworkMode = ""
	NetworkNone        NetworkMode = "none"
	NetworkHost        NetworkMode = "host"
	NetworkPasta       NetworkMode = "pasta"
	NetworkSlirp4netns NetworkMode = "slirp4netns"
	// NetworkContainer joins another container's network namespace
	// ("container:NAME|ID"); NetworkNS joins the namespace bound at a path
	// ("ns:PATH"). Neither runs a helper: the spec names the namespace.
	NetworkContainer NetworkMode = "container"
	NetworkNS        NetworkMode = "ns"
	// NetworkBridge is a container on user networks (--network
	// NAME[,NAME...]): libpod sets its namespace up with netavark and
	// gives the monitor NetworkNS.
	NetworkBridge NetworkMode = "bridge"
)

// ParseNetworkMode reads a --network value. "", "default", "private" and
// "bridge" all mean the default network.
func ParseNetworkMode(s string) (NetworkMode, error) {
	switch s {
	case "", "default", "private", "bridge":
		return NetworkDefault, nil
	case string(NetworkNone), string(NetworkHost), string(NetworkPasta), string(NetworkSlirp4netns):
		return NetworkMode(s), nil
	}
	return NetworkDefault, fmt.Errorf("network mode %q is not supported: use none, host, pasta, slirp4netns, container:NAME, ns:PATH or the name of a network (pod network ls)", s)
}

// ParseNetwork reads a --network value with its options,
// "mode[:option,option...]" ("slirp4netns:allow_host_loopback=true",
// "pasta:--map-gw,-t,8080"). Only pasta and slirp4netns take options;
// "container:NAME" and "ns:PATH" return the name or path as their one
// option.
func ParseNetwork(s string) (NetworkMode, []string, error) {
	name, opts, hasOpts := strings.Cut(s, ":")
	switch NetworkMode(name) {
	case NetworkContainer, NetworkNS:
		if opts == "" {
			what := "a container name or id"
			if name == string(NetworkNS) {
				what = "the path of a network namespace"
			}
			return NetworkDefault, nil, fmt.Errorf("network mode %q needs %s: --network %s:VALUE", name, what, name)
		}
		return NetworkMode(name), []string{opts}, nil
	}
	mode, err := ParseNetworkMode(name)
	if err != nil || !hasOpts {
		return mode, nil, err
	}
	if !mode.NeedsHelper() {
		return mode, nil, fmt.Errorf("network mode %q takes no options (%q): only pasta and slirp4netns do", name, opts)
	}
	var out []string
	for _, o := range strings.Split(opts, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return mode, out, nil
}

// Resolved reports whether m names a concrete mode the monitor can set up.
func (m NetworkMode) Resolved() bool {
	switch m {
	case NetworkNone, NetworkHost, NetworkPasta, NetworkSlirp4netns, NetworkContainer, NetworkNS:
		return true
	}
	return false
}

// Joins reports whether m joins a network namespace that exists already
// (another container's, or one bound at a path).
func (m NetworkMode) Joins() bool { return m == NetworkContainer || m == NetworkNS }

// NeedsHelper reports whether m runs a user-mode network helper (pasta or
// slirp4netns) beside the container.
func (m NetworkMode) NeedsHelper() bool { return m == NetworkPasta || m == NetworkSlirp4netns }

// Package is the Debian package that installs m's helper, "" for none.
func (m NetworkMode) Package() string {
	switch m {
	case NetworkPasta:
		return "passt"
	case NetworkSlirp4netns:
		return "slirp4netns"
	}
	return ""
}

// Slirp4netnsArgs is slirp4netns's command line after the program name, as
// pod runs it for a container and for the rootless network namespace: it
// configures tap0 (MTU 65520) in the namespace that target names (such as
// "--netns-type=path PATH"), reports readiness on descriptor 3, and takes
// opts before the target.
func Slirp4netnsArgs(opts, target []string) []string {
	args := append([]string{"--configure", "--mtu=65520", "--ready-fd=3"}, opts...)
	args = append(args, target...)
	return append(args, "tap0")
}
