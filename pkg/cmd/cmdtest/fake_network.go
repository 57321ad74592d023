package cmdtest

import (
	"context"
	"fmt"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/networks"
)

// CreateNetwork records "network-create NAME" and returns a network of
// that name.
func (e *FakeEngine) CreateNetwork(o networks.CreateOptions) (*networks.Network, error) {
	if err := e.record("network-create "+o.Name, o.Name); err != nil {
		return nil, err
	}
	return &networks.Network{Name: o.Name, Driver: "bridge"}, nil
}

// ListNetworks records "network-ls" and returns the default network.
func (e *FakeEngine) ListNetworks(filters []string) ([]*networks.Network, error) {
	if err := e.record("network-ls", ""); err != nil {
		return nil, err
	}
	return []*networks.Network{networks.Default()}, nil
}

// InspectNetwork knows the default network only, with no container.
func (e *FakeEngine) InspectNetwork(ref string) (*libpod.NetworkReport, error) {
	if ref != networks.DefaultName {
		return nil, fmt.Errorf("unable to find network with name or ID %s: %w", ref, define.ErrNoSuchNetwork)
	}
	return &libpod.NetworkReport{Network: networks.Default(), Containers: map[string]libpod.NetworkContainer{}}, nil
}

// NetworkExists knows the default network only.
func (e *FakeEngine) NetworkExists(ref string) (bool, error) { return ref == networks.DefaultName, nil }

// RemoveNetwork records "network-rm REF".
func (e *FakeEngine) RemoveNetwork(ctx context.Context, ref string, force bool, timeout *time.Duration) (string, error) {
	return ref, e.record("network-rm "+ref, ref)
}

// PruneNetworks records "network-prune".
func (e *FakeEngine) PruneNetworks(o libpod.PruneOptions, dryRun bool) ([]string, []error, error) {
	return nil, nil, e.record("network-prune", "")
}
