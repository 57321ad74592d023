package libpod

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/networks"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/netns"
	"github.com/pod-engine/pod/pkg/procfs"
)

// Containers on user networks. One rootless network namespace per user
// (<rundir>/rootless-netns, a bound namespace file) holds the networks'
// bridges; pasta (or slirp4netns) connects it to the outside. netavark, run
// inside it, plugs each container's own namespace
// (<rundir>/containers/<id>/netns) into the bridges and starts
// aardvark-dns for name resolution. What a
// container's setup gave netavark is kept in its run directory
// (netavark.json): its teardown replays it, the address allocator reads
// every container's, and the namespace goes when none is left. Every step
// runs under rootless-netns.lock.

const (
	netavarkOptsFile = "netavark.json"
	netStatusFile    = "network-status.json"
)

// netavarkOptions is netavark's input.
type netavarkOptions struct {
	ContainerID   string                       `json:"container_id"`
	ContainerName string                       `json:"container_name"`
	Networks      map[string]netavarkNetwork   `json:"networks"`
	NetworkInfo   map[string]*networks.Network `json:"network_info"`
	PortMappings  []struct{}                   `json:"port_mappings,omitempty"`
	// Status is setup's answer, kept in netavark.json (pod's own field;
	// never given to netavark).
	Status map[string]netavarkStatus `json:"pod_status,omitempty"`
	// RootlessNetns is the identity (netns.ID) of the rootless namespace
	// setup plugged the container into (pod's own field).
	RootlessNetns uint64 `json:"pod_rootless_netns,omitempty"`
}

// netavarkNetwork is one network of netavarkOptions.
type netavarkNetwork struct {
	InterfaceName string   `json:"interface_name"`
	StaticIPs     []string `json:"static_ips,omitempty"`
	Aliases       []string `json:"aliases,omitempty"`
}

// netavarkStatus is netavark setup's answer for one network.
type netavarkStatus struct {
	DNSServerIPs     []string                     `json:"dns_server_ips,omitempty"`
	DNSSearchDomains []string                     `json:"dns_search_domains,omitempty"`
	Interfaces       map[string]netavarkInterface `json:"interfaces"`
}

type netavarkInterface struct {
	MacAddress string `json:"mac_address"`
	Subnets    []struct {
		IPNet   string `json:"ipnet"`
		Gateway string `json:"gateway,omitempty"`
	} `json:"subnets,omitempty"`
}

func (r *Runtime) rootlessNetnsPath() string { return filepath.Join(r.cfg.RunDir, "rootless-netns") }
func (r *Runtime) rootlessNetnsPid() string  { return filepath.Join(r.cfg.RunDir, "rootless-netns.pid") }
func (r *Runtime) netavarkDir() string       { return filepath.Join(r.cfg.RunDir, "netavark") }
func (c *Container) netavarkOptsPath() string {
	return filepath.Join(c.runDir(), netavarkOptsFile)
}

// lockRootlessNetns takes rootless-netns.lock (signals held meanwhile).
func (r *Runtime) lockRootlessNetns() (unlock func(), err error) {
	release := r.signals.hold()
	if err := os.MkdirAll(r.cfg.RunDir, 0o700); err != nil {
		release()
		return nil, err
	}
	l, err := fsutil.OpenLock(filepath.Join(r.cfg.RunDir, "rootless-netns.lock"))
	if err == nil {
		if err = l.Lock(); err != nil {
			l.Close()
		}
	}
	if err != nil {
		release()
		return nil, fmt.Errorf("lock the rootless network namespace: %w", err)
	}
	return func() { l.Close(); release() }, nil
}

// useRootlessNetns takes the lock and makes sure the rootless namespace
// is there.
func (r *Runtime) useRootlessNetns() (unlock func(), err error) {
	if unlock, err = r.lockRootlessNetns(); err != nil {
		return nil, err
	}
	if err := r.ensureRootlessNetns(); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// findNetTool finds netavark or aardvark-dns: $PATH, then the directories
// distributions install them in.
func findNetTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/libexec/podman", "/usr/lib/podman", "/usr/local/libexec/podman", "/usr/local/lib/podman"} {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found: user networks need it (sudo apt-get install %s): %w", name, name, define.ErrMissingTool)
}

// ensureRootlessNetns makes the rootless network namespace and its helper
// (pasta or slirp4netns, see rootlessNetnsHelper) unless both are there. A
// namespace without its helper (a crash) is rebuilt. The lock is held.
func (r *Runtime) ensureRootlessNetns() error {
	ns := r.rootlessNetnsPath()
	if netns.IsBound(ns) && recordAlive(r.rootlessNetnsPid()) {
		return nil
	}
	r.removeRootlessNetns()
	start, err := r.rootlessNetnsHelper()
	if err != nil {
		return err
	}
	if err := netns.Create(ns, true); err != nil {
		return fmt.Errorf("rootless network namespace: %w", err)
	}
	pid, err := start(ns)
	if err != nil {
		netns.Remove(ns)
		return err
	}
	rec := protocol.PidRecord{Pid: pid, Start: procfs.StartTime(pid)}
	if err := fsutil.ReplaceFile(r.rootlessNetnsPid(), rec.Bytes(), 0o600); err != nil {
		_ = unix.Kill(pid, unix.SIGKILL)
		netns.Remove(ns)
		return err
	}
	logrus.Debugf("rootless network namespace %s served by pid %d", ns, pid)
	r.restoreUserNets()
	return nil
}

// restoreUserNets plugs the containers a lost rootless namespace served
// (its helper died) into the new one, with their addresses. The lock is
// held.
func (r *Runtime) restoreUserNets() {
	for id, o := range r.userNetOptions() {
		ctrNs := filepath.Join(r.cfg.RunDir, "containers", id, "netns")
		if !netns.IsBound(ctrNs) {
			continue
		}
		// The old namespace goes away asynchronously: the container's
		// end of its veth pair may still be there, so teardown first.
		if err := r.resetupNetworks(id, ctrNs, o); err != nil {
			logrus.Warnf("%v", err)
		}
	}
}

// startRootlessPasta attaches pasta to the namespace at ns (opened as fd 3:
// pasta drops its capabilities before it would open the path) with the
// host's addresses and no forwarded ports; pasta daemonizes once ready.
func (r *Runtime) startRootlessPasta(pasta, ns string) (int, error) {
	f, err := os.Open(ns)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	out, err := scratch(r.cfg.RunDir)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	pidFile := filepath.Join(r.cfg.RunDir, ".rootless-netns-pasta.pid")
	defer os.Remove(pidFile)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, pasta, "--config-net", "--quiet", "-t", "none", "-u", "none", "-T", "none", "-U", "none",
		"--no-map-gw", "--pid", pidFile, "--netns", "/proc/self/fd/3")
	cmd.ExtraFiles = []*os.File{f}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("pasta for the rootless network namespace: %s: %w", toolOutput(out, err), define.ErrMissingTool)
	}
	data, err := os.ReadFile(pidFile)
	pid, perr := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || perr != nil || pid <= 0 {
		return 0, fmt.Errorf("pasta for the rootless network namespace wrote no pid file")
	}
	return pid, nil
}

// removeRootlessNetns stops aardvark-dns and the helper and removes the
// namespace and netavark's directory. The lock is held.
func (r *Runtime) removeRootlessNetns() {
	if pid := r.aardvarkPid(); pid > 0 {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
	if data, err := os.ReadFile(r.rootlessNetnsPid()); err == nil {
		if rec, err := protocol.ParsePidRecord(data); err == nil && procfs.Alive(rec.Pid, rec.Start) {
			_ = unix.Kill(rec.Pid, unix.SIGKILL)
		}
	}
	netns.Remove(r.rootlessNetnsPath())
	os.RemoveAll(r.netavarkDir())
	os.Remove(r.rootlessNetnsPid())
}

// scratch returns an unlinked temporary file for a tool's output (never a
// pipe: a daemon the tool starts could keep it open).
func scratch(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, ".pod-net-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	return f, nil
}

// toolOutput is a tool's output in one line without its syslog noise, or
// err's text.
func toolOutput(f *os.File, err error) string {
	data, _ := io.ReadAll(io.NewSectionReader(f, 0, 64<<10))
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.Contains(l, "syslog") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return err.Error()
	}
	return strings.Join(lines, "; ")
}

// runNetavark runs `netavark VERB CTRNS` in the rootless namespace with
// opts and returns setup's answer.
func (r *Runtime) runNetavark(verb, ctrNs string, opts *netavarkOptions) (map[string]netavarkStatus, error) {
	tool, err := findNetTool("netavark")
	if err != nil {
		return nil, err
	}
	in := *opts
	in.Status, in.RootlessNetns = nil, 0
	data, err := json.Marshal(&in)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(r.netavarkDir(), 0o700); err != nil {
		return nil, err
	}
	inFile, err := os.CreateTemp(r.cfg.RunDir, ".netavark-in-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(inFile.Name())
	_, err = inFile.Write(data)
	inFile.Close()
	if err != nil {
		return nil, err
	}
	out, err := scratch(r.cfg.RunDir)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	errOut, err := scratch(r.cfg.RunDir)
	if err != nil {
		return nil, err
	}
	defer errOut.Close()
	args := []string{"--rootless", "true", "--config", r.netavarkDir(), "--file", inFile.Name()}
	if aardvark, err := findNetTool("aardvark-dns"); err == nil {
		args = append(args, "--aardvark-binary", aardvark)
	}
	args = append(args, verb, ctrNs)
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = out, errOut
	// netavark runs iptables, which lives in sbin.
	cmd.Env = append(os.Environ(), "PATH="+os.Getenv("PATH")+":/usr/sbin:/sbin")
	logrus.Debugf("netavark %s", strings.Join(args, " "))
	if err := netns.Run(r.rootlessNetnsPath(), cmd); err != nil {
		// netavark reports its error as {"error": "..."} on stdout.
		var e struct {
			Error string `json:"error"`
		}
		raw, _ := io.ReadAll(io.NewSectionReader(out, 0, 64<<10))
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			return nil, fmt.Errorf("netavark %s: %s%s", verb, e.Error, firewallHint())
		}
		return nil, fmt.Errorf("netavark %s: %s%s", verb, toolOutput(errOut, err), firewallHint())
	}
	if verb != "setup" {
		return nil, nil
	}
	res := map[string]netavarkStatus{}
	raw, _ := io.ReadAll(io.NewSectionReader(out, 0, 1<<20))
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, fmt.Errorf("netavark setup: unexpected answer %q: %w", raw, err)
	}
	return res, nil
}

// userNetOptions reads what every container's setup gave netavark, by
// container id.
func (r *Runtime) userNetOptions() map[string]*netavarkOptions {
	out := map[string]*netavarkOptions{}
	dir := filepath.Join(r.cfg.RunDir, "containers")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name(), netavarkOptsFile))
		if err != nil {
			continue
		}
		var o netavarkOptions
		if json.Unmarshal(data, &o) == nil {
			out[e.Name()] = &o
		}
	}
	return out
}

// netOptions reads the container's netavark.json; nil when it has no user
// network set up.
func (c *Container) netOptions() *netavarkOptions {
	data, err := os.ReadFile(c.netavarkOptsPath())
	if err != nil {
		return nil
	}
	var o netavarkOptions
	if json.Unmarshal(data, &o) != nil {
		return nil
	}
	return &o
}

// attachNetworks plugs the container into the networks nets (the
// container's own namespace made first when needed), allocating addresses.
func (c *Container) attachNetworks(nets map[string]NetworkAttach) error {
	r := c.r
	if len(nets) == 0 {
		// Every network disconnected: a namespace with lo only.
		if netns.IsBound(c.netnsPath()) {
			return nil
		}
		os.Remove(c.netnsPath())
		return netns.Create(c.netnsPath(), true)
	}
	unlock, err := r.useRootlessNetns()
	if err != nil {
		return err
	}
	defer unlock()
	cur := c.netOptions()
	if cur == nil {
		cur = &netavarkOptions{ContainerID: c.ID(), ContainerName: c.Name(),
			Networks: map[string]netavarkNetwork{}, NetworkInfo: map[string]*networks.Network{}, Status: map[string]netavarkStatus{}}
	}
	add, err := r.netavarkNetworks(c, nets)
	if err != nil {
		r.releaseRootlessNetns()
		return err
	}
	ctrNs := c.netnsPath()
	made := false
	if !netns.IsBound(ctrNs) {
		os.Remove(ctrNs)
		if err := netns.Create(ctrNs, true); err != nil {
			r.releaseRootlessNetns()
			return fmt.Errorf("container %s: %w", c.Name(), err)
		}
		made = true
	}
	// Recorded before netavark runs: a teardown after a crash in between
	// then undoes what it did.
	merged := mergeOptions(cur, add)
	if err := writeNetOptions(c.netavarkOptsPath(), merged); err != nil {
		if made {
			netns.Remove(ctrNs)
		}
		r.releaseRootlessNetns()
		return err
	}
	status, err := r.runNetavark("setup", ctrNs, add)
	if err != nil {
		_, _ = r.runNetavark("teardown", ctrNs, add)
		if made {
			netns.Remove(ctrNs)
		}
		if len(cur.Networks) == 0 {
			os.Remove(c.netavarkOptsPath())
		} else {
			_ = writeNetOptions(c.netavarkOptsPath(), cur)
		}
		r.releaseRootlessNetns()
		return fmt.Errorf("container %s: connect to network %s: %w", c.Name(), strings.Join(sortedKeys(add.Networks), ","), err)
	}
	for k, v := range status {
		merged.Status[k] = v
	}
	merged.RootlessNetns = r.rootlessNetnsID()
	return writeNetOptions(c.netavarkOptsPath(), merged)
}

// detachNetworks unplugs the container from the named networks (all with
// nil) and releases their addresses; the rootless namespace goes with the
// last container.
func (c *Container) detachNetworks(names []string) {
	cur := c.netOptions()
	if cur == nil {
		return
	}
	r := c.r
	unlock, err := r.lockRootlessNetns()
	if err != nil {
		logrus.Warnf("container %s: %v", c.Name(), err)
		return
	}
	defer unlock()
	if names == nil {
		names = sortedKeys(cur.Networks)
	}
	sub := &netavarkOptions{ContainerID: cur.ContainerID, ContainerName: cur.ContainerName,
		Networks: map[string]netavarkNetwork{}, NetworkInfo: map[string]*networks.Network{}}
	for _, n := range names {
		if v, ok := cur.Networks[n]; ok {
			sub.Networks[n], sub.NetworkInfo[n] = v, cur.NetworkInfo[n]
			delete(cur.Networks, n)
			delete(cur.NetworkInfo, n)
			delete(cur.Status, n)
		}
	}
	ctrNs := c.netnsPath()
	if len(sub.Networks) > 0 && netns.IsBound(ctrNs) && netns.IsBound(r.rootlessNetnsPath()) {
		if _, err := r.runNetavark("teardown", ctrNs, sub); err != nil {
			logrus.Debugf("container %s: %v", c.Name(), err)
		}
	}
	if len(cur.Networks) == 0 {
		os.Remove(c.netavarkOptsPath())
	} else if err := writeNetOptions(c.netavarkOptsPath(), cur); err != nil {
		logrus.Warnf("container %s: %v", c.Name(), err)
	}
	r.releaseRootlessNetns()
}

// releaseRootlessNetns removes the rootless namespace once no container
// uses it. The lock is held.
func (r *Runtime) releaseRootlessNetns() {
	if len(r.userNetOptions()) == 0 {
		r.removeRootlessNetns()
	}
}

func writeNetOptions(path string, o *netavarkOptions) error {
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return fsutil.ReplaceFile(path, data, 0o600)
}

func mergeOptions(cur, add *netavarkOptions) *netavarkOptions {
	out := &netavarkOptions{ContainerID: cur.ContainerID, ContainerName: cur.ContainerName,
		Networks: map[string]netavarkNetwork{}, NetworkInfo: map[string]*networks.Network{}, Status: map[string]netavarkStatus{}}
	for _, o := range []*netavarkOptions{cur, add} {
		for k, v := range o.Networks {
			out.Networks[k], out.NetworkInfo[k] = v, o.NetworkInfo[k]
		}
		for k, v := range o.Status {
			out.Status[k] = v
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// netavarkNetworks builds netavark's input for the networks nets of c,
// each with an address: the static one (refused when another container
// has it), else the first free one of the subnet.
func (r *Runtime) netavarkNetworks(c *Container, nets map[string]NetworkAttach) (*netavarkOptions, error) {
	o := &netavarkOptions{ContainerID: c.ID(), ContainerName: c.Name(),
		Networks: map[string]netavarkNetwork{}, NetworkInfo: map[string]*networks.Network{}}
	others := r.userNetOptions()
	delete(others, c.ID())
	for _, name := range sortedNetworks(nets) {
		a := nets[name]
		n, err := r.networkStore().Get(name)
		if err != nil {
			if errors.Is(err, define.ErrNoSuchNetwork) {
				return nil, fmt.Errorf("container %s: network %s no longer exists: disconnect it (pod network disconnect %s %s): %w",
					c.Name(), name, name, c.Name(), err)
			}
			return nil, err
		}
		used := map[string]string{}
		for id, other := range others {
			for _, ip := range other.Networks[name].StaticIPs {
				used[ip] = id
			}
		}
		ips := a.StaticIPs
		for _, ip := range ips {
			if id, ok := used[ip]; ok {
				return nil, fmt.Errorf("container %s: requested ip address %s is already allocated to container ID %s: %w",
					c.Name(), ip, id, define.ErrInvalidArg)
			}
		}
		if len(ips) == 0 {
			ip, err := freeAddress(n, used)
			if err != nil {
				return nil, fmt.Errorf("container %s: %w", c.Name(), err)
			}
			ips = []string{ip}
		}
		// netavark adds the name itself.
		aliases := append(slices.Clone(a.Aliases), c.ID()[:12])
		o.Networks[name] = netavarkNetwork{InterfaceName: a.InterfaceName, StaticIPs: ips, Aliases: aliases}
		o.NetworkInfo[name] = n
	}
	return o, nil
}

// freeAddress returns the first address of n's first subnet that is
// neither its network, gateway or broadcast address nor in used.
func freeAddress(n *networks.Network, used map[string]string) (string, error) {
	for _, sn := range n.Subnets {
		_, ipn, err := net.ParseCIDR(sn.Subnet)
		if err != nil || ipn.IP.To4() == nil {
			continue
		}
		base := binary.BigEndian.Uint32(ipn.IP.To4())
		ones, bits := ipn.Mask.Size()
		size := uint32(1) << (bits - ones)
		for i := uint32(1); i+1 < size; i++ {
			ip := make(net.IP, 4)
			binary.BigEndian.PutUint32(ip, base+i)
			s := ip.String()
			if _, taken := used[s]; !taken && s != sn.Gateway {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("network %s has no free address left: %w", n.Name, define.ErrInvalidArg)
}

// reloadNetworks sets the container's networks up again as they are
// (addresses kept): netavark teardown, then setup.
func (c *Container) reloadNetworks() error {
	cur := c.netOptions()
	if cur == nil {
		return nil
	}
	r := c.r
	unlock, err := r.useRootlessNetns()
	if err != nil {
		return err
	}
	defer unlock()
	return r.resetupNetworks(c.ID(), c.netnsPath(), cur)
}
