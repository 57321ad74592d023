package libpod

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// ConnectOptions are `network connect`'s --alias and --ip.
type ConnectOptions struct {
	Aliases []string
	IP      string
}

// ConnectNetwork puts a container on one more user network; a running
// container is plugged in at once, with a new interface.
func (r *Runtime) ConnectNetwork(ctx context.Context, network, ctr string, o ConnectOptions) error {
	n, err := r.networkStore().Get(network)
	if err != nil {
		return err
	}
	a := NetworkAttach{Aliases: o.Aliases}
	if o.IP != "" {
		if _, _, err := parseUserNetworks(n.Name, nil, o.IP); err != nil {
			return err
		}
		a.StaticIPs = []string{o.IP}
		if err := checkStaticIPs(n, a.StaticIPs); err != nil {
			return err
		}
	}
	return r.withLocked(ctr, func(c *Container) error {
		if c.Config.NetworkMode != protocol.NetworkBridge {
			return fmt.Errorf("container %s uses the %s network mode: only a container created with --network NAME can join more networks: %w",
				c.Name(), c.networkModeString(), define.ErrInvalidArg)
		}
		if _, on := c.Config.Networks[n.Name]; on {
			return nil // as podman: nothing to do
		}
		a.InterfaceName = nextInterface(c.Config.Networks)
		if c.State.Status.IsActive() {
			if err := c.attachNetworks(map[string]NetworkAttach{n.Name: a}); err != nil {
				return err
			}
		}
		nets := maps.Clone(c.Config.Networks)
		if nets == nil {
			nets = map[string]NetworkAttach{}
		}
		nets[n.Name] = a
		if err := c.writeNetworks(nets); err != nil {
			if c.State.Status.IsActive() {
				c.detachNetworks([]string{n.Name})
			}
			return err
		}
		return nil
	})
}

// DisconnectNetwork takes a container off a user network, unplugging a
// running one at once.
func (r *Runtime) DisconnectNetwork(ctx context.Context, network, ctr string, force bool) error {
	n, err := r.networkStore().Get(network)
	if err != nil {
		return err
	}
	return r.withLocked(ctr, func(c *Container) error {
		if _, on := c.Config.Networks[n.Name]; !on {
			return fmt.Errorf("container %s is not connected to network %s", c.Name(), n.Name)
		}
		c.detachNetworks([]string{n.Name})
		nets := maps.Clone(c.Config.Networks)
		delete(nets, n.Name)
		return c.writeNetworks(nets)
	})
}

// writeNetworks saves the container's config with nets as its networks.
func (c *Container) writeNetworks(nets map[string]NetworkAttach) error {
	cfg := *c.Config
	cfg.Networks = nets
	if err := fsutil.WriteJSONAtomic(filepath.Join(c.staticDir(), "config.json"), &cfg, 0o600); err != nil {
		return fmt.Errorf("container %s: save its networks: %w", c.Name(), err)
	}
	c.Config.Networks = nets
	return nil
}

// nextInterface is the first ethN no network of nets uses.
func nextInterface(nets map[string]NetworkAttach) string {
	used := map[string]bool{}
	for _, a := range nets {
		used[a.InterfaceName] = true
	}
	for i := 0; ; i++ {
		if name := fmt.Sprintf("eth%d", i); !used[name] {
			return name
		}
	}
}

// ReloadNetworks sets the user networks of running containers up again
// (their interfaces and firewall rules), keeping their addresses; it
// returns the ids reloaded. Containers on no user network are skipped.
func (r *Runtime) ReloadNetworks(ctx context.Context, ctrs []string, all bool) ([]string, []error, error) {
	if all {
		list, _, err := r.ListContainers()
		if err != nil {
			return nil, nil, err
		}
		ctrs = nil
		for _, c := range list {
			if c.State.Status.IsActive() {
				ctrs = append(ctrs, c.ID())
			}
		}
	}
	var done []string
	var failed []error
	for _, ref := range ctrs {
		err := r.withLocked(ref, func(c *Container) error {
			if !c.State.Status.IsActive() {
				return fmt.Errorf("container %s is not running: %w", c.Name(), define.ErrCtrStateInvalid)
			}
			if err := c.reloadNetworks(); err != nil {
				return err
			}
			done = append(done, c.ID())
			return nil
		})
		if err != nil {
			failed = append(failed, err)
		}
	}
	return done, failed, nil
}
