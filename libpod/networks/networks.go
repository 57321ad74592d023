package networks

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// DefaultName is the default network's name; its subnet is DefaultSubnet.
const (
	DefaultName   = "podman"
	DefaultSubnet = "10.88.0.0/16"
)

// Subnet is one subnet of a network.
type Subnet struct {
	Subnet  string `json:"subnet"`
	Gateway string `json:"gateway,omitempty"`
}

// Network is a network's config, as stored and as `network inspect`
// prints it.
type Network struct {
	Name             string            `json:"name"`
	ID               string            `json:"id"`
	Driver           string            `json:"driver"`
	NetworkInterface string            `json:"network_interface,omitempty"`
	Created          time.Time         `json:"created"`
	Subnets          []Subnet          `json:"subnets,omitempty"`
	IPv6Enabled      bool              `json:"ipv6_enabled"`
	Internal         bool              `json:"internal"`
	DNSEnabled       bool              `json:"dns_enabled"`
	Labels           map[string]string `json:"labels,omitempty"`
	Options          map[string]string `json:"options,omitempty"`
	IPAMOptions      map[string]string `json:"ipam_options,omitempty"`
}

// CreateOptions are a new network's settings.
type CreateOptions struct {
	Name     string // "" picks podmanN
	Driver   string // "" or bridge
	Subnet   string // "" picks a free 10.89.N.0/24
	Gateway  string
	Internal bool
	NoDNS    bool
	Labels   map[string]string
	Options  map[string]string
	// Ignore returns an existing network of that name instead of failing.
	Ignore bool
}

// Store is the directory of network configs.
type Store struct{ Dir string }

var nameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func (s *Store) path(name string) string { return filepath.Join(s.Dir, name+".json") }

// Default is the default network as `network inspect podman` shows it.
func Default() *Network {
	sum := sha256.Sum256([]byte(DefaultName))
	return &Network{
		Name: DefaultName, ID: hex.EncodeToString(sum[:]), Driver: "bridge",
		NetworkInterface: "podman0", Subnets: []Subnet{{Subnet: DefaultSubnet, Gateway: "10.88.0.1"}},
		IPAMOptions: map[string]string{"driver": "host-local"},
	}
}

// List returns every network, the default one included, by name.
func (s *Store) List() ([]*Network, error) {
	ents, err := os.ReadDir(s.Dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	out := []*Network{Default()}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || strings.HasPrefix(name, ".") {
			continue
		}
		n, err := s.read(name)
		if err != nil {
			if errors.Is(err, define.ErrNoSuchNetwork) {
				continue // removed meanwhile
			}
			return nil, err
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *Store) read(name string) (*Network, error) {
	data, err := os.ReadFile(s.path(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("unable to find network with name or ID %s: %w", name, define.ErrNoSuchNetwork)
	}
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	var n Network
	if err := json.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("network %s: config %s is damaged: %w", name, s.path(name), err)
	}
	return &n, nil
}

// Get finds a network by name, full id or unique id prefix.
func (s *Store) Get(ref string) (*Network, error) {
	if ref == DefaultName {
		return Default(), nil
	}
	if nameRE.MatchString(ref) {
		if n, err := s.read(ref); err == nil || !errors.Is(err, define.ErrNoSuchNetwork) {
			return n, err
		}
	}
	all, err := s.List()
	if err != nil {
		return nil, err
	}
	var found *Network
	for _, n := range all {
		if strings.HasPrefix(n.ID, ref) {
			if found != nil {
				return nil, fmt.Errorf("more than one network matches %s: give more of the id: %w", ref, define.ErrInvalidArg)
			}
			found = n
		}
	}
	if found == nil {
		return nil, fmt.Errorf("unable to find network with name or ID %s: %w", ref, define.ErrNoSuchNetwork)
	}
	return found, nil
}

func (s *Store) lock() (*fsutil.Lock, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("networks directory: %w", err)
	}
	l, err := fsutil.OpenLock(filepath.Join(s.Dir, ".lock"))
	if err != nil {
		return nil, err
	}
	if err := l.Lock(); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Create stores a new network and returns it.
func (s *Store) Create(o CreateOptions) (*Network, error) {
	if o.Driver != "" && o.Driver != "bridge" {
		return nil, fmt.Errorf("network driver %q is not supported: use bridge: %w", o.Driver, define.ErrInvalidArg)
	}
	if o.Name != "" && !nameRE.MatchString(o.Name) {
		return nil, fmt.Errorf("network name %q: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: %w", o.Name, define.ErrInvalidArg)
	}
	l, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer l.Close()
	all, err := s.List()
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	var nets []*net.IPNet
	for _, n := range all {
		used[n.Name], used["if:"+n.NetworkInterface] = true, true
		for _, sn := range n.Subnets {
			if _, ipn, err := net.ParseCIDR(sn.Subnet); err == nil {
				nets = append(nets, ipn)
			}
		}
	}
	if o.Name == "" {
		for i := 1; ; i++ {
			if name := "podman" + strconv.Itoa(i); !used[name] {
				o.Name = name
				break
			}
		}
	}
	if used[o.Name] {
		if o.Ignore {
			return s.Get(o.Name)
		}
		return nil, fmt.Errorf("network name %s already used: %w", o.Name, define.ErrNetworkExists)
	}
	sub, err := pickSubnet(o.Subnet, o.Gateway, nets)
	if err != nil {
		return nil, err
	}
	iface := ""
	for i := 1; ; i++ {
		if iface = "podman" + strconv.Itoa(i); !used["if:"+iface] {
			break
		}
	}
	var rnd [32]byte
	_, _ = rand.Read(rnd[:])
	n := &Network{
		Name: o.Name, ID: hex.EncodeToString(rnd[:]), Driver: "bridge", NetworkInterface: iface,
		Created: time.Now(), Subnets: []Subnet{sub}, Internal: o.Internal, DNSEnabled: !o.NoDNS,
		Labels: o.Labels, Options: o.Options, IPAMOptions: map[string]string{"driver": "host-local"},
	}
	if err := fsutil.WriteJSONAtomic(s.path(n.Name), n, 0o600); err != nil {
		return nil, fmt.Errorf("create network %s: %w", n.Name, err)
	}
	return n, nil
}

// pickSubnet checks the requested subnet, or picks the first free
// 10.89.N.0/24.
func pickSubnet(want, gateway string, used []*net.IPNet) (Subnet, error) {
	overlaps := func(a *net.IPNet) bool {
		for _, b := range used {
			if a.Contains(b.IP) || b.Contains(a.IP) {
				return true
			}
		}
		return false
	}
	if want == "" {
		if gateway != "" {
			return Subnet{}, fmt.Errorf("--gateway needs --subnet: %w", define.ErrInvalidArg)
		}
		for i := 0; i < 256; i++ {
			_, ipn, _ := net.ParseCIDR(fmt.Sprintf("10.89.%d.0/24", i))
			if !overlaps(ipn) {
				return Subnet{Subnet: ipn.String(), Gateway: fmt.Sprintf("10.89.%d.1", i)}, nil
			}
		}
		return Subnet{}, fmt.Errorf("no free subnet in 10.89.0.0/16: give one with --subnet: %w", define.ErrInvalidArg)
	}
	_, ipn, err := net.ParseCIDR(want)
	if err != nil || ipn.IP.To4() == nil {
		return Subnet{}, fmt.Errorf("--subnet %s: want an IPv4 CIDR such as 10.90.0.0/24: %w", want, define.ErrInvalidArg)
	}
	if ones, _ := ipn.Mask.Size(); ones > 30 {
		return Subnet{}, fmt.Errorf("--subnet %s: too small, use /30 or larger: %w", want, define.ErrInvalidArg)
	}
	if overlaps(ipn) {
		return Subnet{}, fmt.Errorf("--subnet %s is already used by another network: %w", want, define.ErrInvalidArg)
	}
	gw := net.ParseIP(gateway)
	if gateway == "" {
		gw = make(net.IP, 4)
		copy(gw, ipn.IP.To4())
		gw[3]++
	} else if gw == nil || !ipn.Contains(gw) {
		return Subnet{}, fmt.Errorf("--gateway %s is not in subnet %s: %w", gateway, want, define.ErrInvalidArg)
	}
	return Subnet{Subnet: ipn.String(), Gateway: gw.String()}, nil
}

// Remove deletes a stored network's config; the default network is
// refused.
func (s *Store) Remove(name string) error {
	if name == DefaultName {
		return fmt.Errorf("default network %s cannot be removed", name)
	}
	l, err := s.lock()
	if err != nil {
		return err
	}
	defer l.Close()
	if err := os.Remove(s.path(name)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("unable to find network with name or ID %s: %w", name, define.ErrNoSuchNetwork)
		}
		return fmt.Errorf("remove network %s: %w", name, err)
	}
	return nil
}
