package cmdtest

import (
	"context"

	"github.com/pod-engine/pod/libpod"
)

// ConnectNetwork records "network-connect NETWORK CONTAINER".
func (e *FakeEngine) ConnectNetwork(ctx context.Context, network, ctr string, o libpod.ConnectOptions) error {
	return e.record("network-connect "+network+" "+ctr, ctr)
}

// DisconnectNetwork records "network-disconnect NETWORK CONTAINER".
func (e *FakeEngine) DisconnectNetwork(ctx context.Context, network, ctr string, force bool) error {
	return e.record("network-disconnect "+network+" "+ctr, ctr)
}

// ReloadNetworks records "network-reload" and reloads nothing.
func (e *FakeEngine) ReloadNetworks(ctx context.Context, ctrs []string, all bool) ([]string, []error, error) {
	return nil, nil, e.record("network-reload", "")
}

// ReattachNetworks records "network-reattach CONTAINER".
func (e *FakeEngine) ReattachNetworks(ctx context.Context, ctr string) error {
	return e.record("network-reattach "+ctr, ctr)
}
