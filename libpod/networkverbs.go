package libpod

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/networks"
)

// The network verbs of the engine. The configs are package networks';
// which containers use a network is known here.

func (r *Runtime) networkStore() *networks.Store {
	return &networks.Store{Dir: filepath.Join(r.cfg.StaticDir, "networks")}
}

// CreateNetwork stores a new user network.
func (r *Runtime) CreateNetwork(o networks.CreateOptions) (*networks.Network, error) {
	return r.networkStore().Create(o)
}

// InspectNetwork finds a network by name, id or id prefix and the running
// containers on it.
func (r *Runtime) InspectNetwork(ref string) (*NetworkReport, error) {
	n, err := r.networkStore().Get(ref)
	if err != nil {
		return nil, err
	}
	return r.networkReport(n)
}

// NetworkExists reports whether ref names a network.
func (r *Runtime) NetworkExists(ref string) (bool, error) {
	_, err := r.networkStore().Get(ref)
	if errors.Is(err, define.ErrNoSuchNetwork) {
		return false, nil
	}
	return err == nil, err
}

// ListNetworks lists the networks matching every filter: name=, id=,
// driver=, label=KEY[=VALUE] (a filter given twice matches either value).
func (r *Runtime) ListNetworks(filters []string) ([]*networks.Network, error) {
	fs := map[string][]string{}
	for _, f := range filters {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case !ok:
			return nil, fmt.Errorf("--filter %q: want KEY=VALUE: %w", f, define.ErrInvalidArg)
		case k == "name" || k == "id" || k == "driver" || k == "label":
			fs[k] = append(fs[k], v)
		default:
			return nil, fmt.Errorf("--filter %q: %s is not a network filter: use name, id, driver or label: %w", f, k, define.ErrInvalidArg)
		}
	}
	all, err := r.networkStore().List()
	if err != nil {
		return nil, err
	}
	match := func(key string, ok func(string) bool) bool {
		vs := fs[key]
		return len(vs) == 0 || slices.ContainsFunc(vs, ok)
	}
	out := []*networks.Network{}
	for _, n := range all {
		if match("name", func(v string) bool { return strings.Contains(n.Name, v) }) &&
			match("id", func(v string) bool { return strings.HasPrefix(n.ID, v) }) &&
			match("driver", func(v string) bool { return n.Driver == v }) &&
			match("label", func(v string) bool {
				k, val, hasVal := strings.Cut(v, "=")
				got, ok := n.Labels[k]
				return ok && (!hasVal || got == val)
			}) {
			out = append(out, n)
		}
	}
	return out, nil
}

// RemoveNetwork removes a user network; it returns the network's name.
// The default network is refused (125); a network containers are on is
// refused (define.ErrNetworkInUse) unless force, which removes them first
// (running ones are stopped with timeout, nil their own).
func (r *Runtime) RemoveNetwork(ctx context.Context, ref string, force bool, timeout *time.Duration) (string, error) {
	s := r.networkStore()
	n, err := s.Get(ref)
	if err != nil {
		return "", err
	}
	if n.Name != networks.DefaultName {
		users, err := r.networkUsers(n.Name)
		if err != nil {
			return "", err
		}
		if len(users) > 0 && !force {
			return "", fmt.Errorf("%q has associated containers with it. Use -f to forcibly delete containers and pods: %w", n.Name, define.ErrNetworkInUse)
		}
		for _, c := range users {
			if err := r.RemoveContainer(ctx, c.ID(), RemoveOptions{Force: true, Timeout: timeout}); err != nil && !errors.Is(err, define.ErrNoSuchCtr) {
				return "", err
			}
		}
	}
	return n.Name, s.Remove(n.Name)
}

// networkUsers returns the containers on the user network name.
func (r *Runtime) networkUsers(name string) ([]*Container, error) {
	ctrs, _, err := r.ListContainers()
	if err != nil {
		return nil, err
	}
	var out []*Container
	for _, c := range ctrs {
		if _, on := c.Config.Networks[name]; on {
			out = append(out, c)
		}
	}
	return out, nil
}

// PruneNetworks removes every user network no container is on; dryRun
// only lists them.
func (r *Runtime) PruneNetworks(o PruneOptions, dryRun bool) ([]string, []error, error) {
	s := r.networkStore()
	all, err := s.List()
	if err != nil {
		return nil, nil, err
	}
	var removed []string
	var failed []error
	for _, n := range all {
		if n.Name == networks.DefaultName || !o.keep(n.Created, n.Labels) {
			continue
		}
		if users, err := r.networkUsers(n.Name); err != nil || len(users) > 0 {
			continue
		}
		if !dryRun {
			if err := s.Remove(n.Name); err != nil {
				if !errors.Is(err, define.ErrNoSuchNetwork) {
					failed = append(failed, err)
				}
				continue
			}
		}
		removed = append(removed, n.Name)
	}
	return removed, failed, nil
}
