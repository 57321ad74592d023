package libpod

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/netns"
)

// Reattaching a restarted container to its user networks. The monitor
// restarts a container in the same network namespace, but what plugs that
// namespace into the networks lives elsewhere: the rootless namespace (its
// bridges, and aardvark-dns), which is rebuilt when its pasta or
// slirp4netns died, taking every container's interfaces with it. Before
// each restart the monitor runs `pod network reattach ID`, which checks the
// container's attachment and sets it up again, with its recorded
// addresses and aliases, when any part is gone.

// ReattachNetworks plugs a running container on user networks back into
// them when its attachment is gone; a container on no user network, one
// not running, or one stopped by the user is left alone. The monitor runs
// it before each restart.
func (r *Runtime) ReattachNetworks(ctx context.Context, nameOrID string) error {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return err
	}
	if c.Config.NetworkMode != protocol.NetworkBridge || len(c.Config.Networks) == 0 {
		return nil
	}
	c.syncState()
	if !c.State.Status.IsActive() || fileExists(c.stopMarker()) {
		return nil
	}
	return c.reattachNetworks()
}

// reattachNetworks sets the container's user networks up again when
// userNetsLost finds a part of them gone: netavark teardown (whatever is
// left), then setup with the recorded input. A container whose record is
// gone gets new input from its config (its static addresses kept).
func (c *Container) reattachNetworks() error {
	r := c.r
	// A rootless namespace whose helper died is rebuilt here, and the
	// containers it served are plugged into the new one.
	unlock, err := r.useRootlessNetns()
	if err != nil {
		return err
	}
	defer unlock()
	ctrNs := c.netnsPath()
	o := c.netOptions()
	why := "its network record is gone"
	if o != nil {
		why = c.userNetsLost(o)
	} else if o, err = r.netavarkNetworks(c, c.Config.Networks); err != nil {
		return err
	}
	if why == "" {
		return nil
	}
	logrus.Debugf("container %s: reattach to its networks: %s", c.Name(), why)
	if !netns.IsBound(ctrNs) {
		os.Remove(ctrNs)
		if err := netns.Create(ctrNs, true); err != nil {
			return fmt.Errorf("container %s: %w", c.Name(), err)
		}
	}
	if o.Status == nil {
		o.Status = map[string]netavarkStatus{}
	}
	// Recorded before netavark runs, as attachNetworks does.
	if err := writeNetOptions(c.netavarkOptsPath(), o); err != nil {
		return err
	}
	return r.resetupNetworks(c.ID(), ctrNs, o)
}

// resetupNetworks runs netavark teardown (errors ignored: parts may be
// gone) and setup for one container with its recorded input, and records
// the answer. The rootless namespace's lock is held.
func (r *Runtime) resetupNetworks(id, ctrNs string, o *netavarkOptions) error {
	_, _ = r.runNetavark("teardown", ctrNs, o)
	status, err := r.runNetavark("setup", ctrNs, o)
	if err != nil {
		return fmt.Errorf("container %s: reconnect to its networks: %w", o.ContainerName, err)
	}
	o.Status = status
	o.RootlessNetns = r.rootlessNetnsID()
	return writeNetOptions(filepath.Join(r.cfg.RunDir, "containers", id, netavarkOptsFile), o)
}

// userNetsLost says what of the container's recorded attachment o is gone,
// "" when all is there: its own namespace, the rootless namespace it was
// plugged into, each interface with its address, and, for networks with
// DNS, aardvark-dns running and knowing the container.
func (c *Container) userNetsLost(o *netavarkOptions) string {
	r := c.r
	ctrNs := c.netnsPath()
	if !netns.IsBound(ctrNs) {
		return "its network namespace is gone"
	}
	if o.RootlessNetns == 0 || o.RootlessNetns != r.rootlessNetnsID() {
		return "the rootless network namespace was made again"
	}
	addrs, err := netnsAddrs(ctrNs)
	if err != nil {
		return err.Error()
	}
	dns := false
	for _, name := range sortedKeys(o.Networks) {
		iface := o.Networks[name].InterfaceName
		got, ok := addrs[iface]
		if !ok {
			return fmt.Sprintf("interface %s (network %s) is gone", iface, name)
		}
		for _, want := range recordedAddrs(o, name) {
			if !slices.Contains(got, want) {
				return fmt.Sprintf("interface %s lost its address %s", iface, want)
			}
		}
		if n := o.NetworkInfo[name]; n != nil && n.DNSEnabled {
			dns = true
			conf, _ := os.ReadFile(filepath.Join(r.netavarkDir(), "aardvark-dns", name))
			if !strings.Contains(string(conf), c.ID()) {
				return fmt.Sprintf("aardvark-dns does not know it on network %s", name)
			}
		}
	}
	if dns && r.aardvarkPid() == 0 {
		return "aardvark-dns is not running"
	}
	return ""
}

// recordedAddrs are the addresses (CIDR) netavark's setup gave the
// container on network name.
func recordedAddrs(o *netavarkOptions, name string) []string {
	var out []string
	for _, sn := range o.Status[name].Interfaces[o.Networks[name].InterfaceName].Subnets {
		if ip, ipn, err := net.ParseCIDR(sn.IPNet); err == nil {
			ones, _ := ipn.Mask.Size()
			out = append(out, fmt.Sprintf("%s/%d", ip, ones))
		}
	}
	return out
}

// rootlessNetnsID is the identity of the rootless namespace now, 0 for
// none.
func (r *Runtime) rootlessNetnsID() uint64 {
	if !netns.IsBound(r.rootlessNetnsPath()) {
		return 0
	}
	id, _ := netns.ID(r.rootlessNetnsPath())
	return id
}

// aardvarkPid is the pid of the running aardvark-dns, 0 for none.
func (r *Runtime) aardvarkPid() int {
	data, err := os.ReadFile(filepath.Join(r.netavarkDir(), "aardvark-dns", "aardvark.pid"))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0
	}
	if comm, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm"); strings.TrimSpace(string(comm)) != "aardvark-dns" {
		return 0
	}
	return pid
}
