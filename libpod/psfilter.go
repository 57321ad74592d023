package libpod

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
)

// ContainerFilterKeys are the keys of ps's --filter (also start, stop and
// rm's), podman's.
var ContainerFilterKeys = []string{"ancestor", "before", "exited", "health", "id", "label", "name", "network",
	"pod", "restart-policy", "since", "status", "until", "volume"}

// containerStatuses are the values of the status filter: pod's statuses and
// podman's others, which match nothing (stopped is exited).
var containerStatuses = []string{"created", "running", "paused", "stopped", "exited", "unknown", "restarting",
	"removing", "configured"}

var healthStatuses = []string{"healthy", "unhealthy", "starting", "none"}

// ContainerFilter is a parsed --filter list: values of one key are
// alternatives, different keys all apply.
type ContainerFilter struct {
	vals  map[string][]string
	names []*regexp.Regexp
	until []time.Time
	// since and before hold the creation times of the containers the
	// since= and before= values name, once resolved.
	since, before []time.Time
}

// ParseContainerFilters reads --filter values ("key=value"). A bad one is an
// error naming the flag and the fix, wrapping define.ErrInvalidArg.
func ParseContainerFilters(in []string, now time.Time) (*ContainerFilter, error) {
	f := &ContainerFilter{vals: map[string][]string{}}
	for _, s := range in {
		k, v, ok := strings.Cut(s, "=")
		if !ok || v == "" {
			return nil, fmt.Errorf("invalid filter %q: use --filter key=value: %w", s, define.ErrInvalidArg)
		}
		if !contains(ContainerFilterKeys, k) {
			return nil, fmt.Errorf("invalid filter %q: %s is not a filter key; use one of %s: %w",
				s, k, strings.Join(ContainerFilterKeys, ", "), define.ErrInvalidArg)
		}
		switch k {
		case "status":
			if !contains(containerStatuses, v) {
				return nil, fmt.Errorf("invalid filter %q: unknown container state %q; use one of %s: %w",
					s, v, strings.Join(containerStatuses, ", "), define.ErrInvalidArg)
			}
		case "health":
			if !contains(healthStatuses, v) {
				return nil, fmt.Errorf("invalid filter %q: use one of %s: %w", s, strings.Join(healthStatuses, ", "), define.ErrInvalidArg)
			}
		case "exited":
			if _, err := strconv.Atoi(v); err != nil {
				return nil, fmt.Errorf("invalid filter %q: exited takes an exit code: %w", s, define.ErrInvalidArg)
			}
		case "restart-policy":
			if _, _, err := protocol.ParseRestartPolicy(v); err != nil || strings.Contains(v, ":") {
				return nil, fmt.Errorf("invalid filter %q: use no, on-failure, always or unless-stopped: %w", s, define.ErrInvalidArg)
			}
		case "name":
			re, err := regexp.Compile(v)
			if err != nil {
				return nil, fmt.Errorf("invalid filter %q: not a regular expression: %w", s, define.ErrInvalidArg)
			}
			f.names = append(f.names, re)
		case "until":
			t, err := events.ParseTime(v, true, now)
			if err != nil {
				return nil, fmt.Errorf("invalid filter %q: %w", s, err)
			}
			f.until = append(f.until, t)
		}
		f.vals[k] = append(f.vals[k], v)
	}
	return f, nil
}

// Has reports whether the filter has a value for key.
func (f *ContainerFilter) Has(key string) bool { return f != nil && len(f.vals[key]) > 0 }

// Empty reports whether the filter keeps every container.
func (f *ContainerFilter) Empty() bool { return f == nil || len(f.vals) == 0 }

// Resolve looks up the containers that since= and before= name (lookup is
// Runtime.Container or the engine's); an unknown one is an error.
func (f *ContainerFilter) Resolve(lookup func(string) (*Container, error)) error {
	if f == nil {
		return nil
	}
	f.since, f.before = nil, nil
	for _, key := range []string{"since", "before"} {
		for _, v := range f.vals[key] {
			c, err := lookup(v)
			if err != nil {
				return fmt.Errorf("--filter %s=%s: %w", key, v, err)
			}
			if key == "since" {
				f.since = append(f.since, c.Config.Created)
			} else {
				f.before = append(f.before, c.Config.Created)
			}
		}
	}
	return nil
}

// Match reports whether c passes the filter.
func (f *ContainerFilter) Match(c *Container) bool {
	if f.Empty() {
		return true
	}
	for k, vals := range f.vals {
		ok := false
		switch k {
		case "name":
			ok = anyRegexp(f.names, c.Name())
		case "until":
			ok = anyTime(f.until, func(t time.Time) bool { return c.Config.Created.Before(t) })
		case "since":
			ok = anyTime(f.since, func(t time.Time) bool { return c.Config.Created.After(t) })
		case "before":
			ok = anyTime(f.before, func(t time.Time) bool { return c.Config.Created.Before(t) })
		default:
			for _, v := range vals {
				if ok = matchContainerKey(c, k, v); ok {
					break
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func anyRegexp(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func anyTime(ts []time.Time, ok func(time.Time) bool) bool {
	for _, t := range ts {
		if ok(t) {
			return true
		}
	}
	return false
}

// matchContainerKey is one key=value of the filter against c.
func matchContainerKey(c *Container, k, v string) bool {
	cfg := c.Config
	switch k {
	case "id":
		return strings.HasPrefix(cfg.ID, v)
	case "status":
		st := string(c.State.Status)
		return st == v || (v == "stopped" && c.State.Status == define.StatusExited)
	case "label":
		lk, lv, hasVal := strings.Cut(v, "=")
		got, present := cfg.Labels[lk]
		return present && (!hasVal || got == lv)
	case "ancestor":
		return cfg.ImageID == v || strings.HasPrefix(cfg.ImageID, v) || cfg.ImageName == v || cfg.Image == v ||
			strings.HasSuffix(cfg.ImageName, "/"+v) || strings.HasSuffix(cfg.ImageName, "/"+v+":latest")
	case "exited":
		return c.State.Status == define.StatusExited && strconv.Itoa(c.State.ExitCode) == v
	case "restart-policy":
		return cfg.RestartPolicy == v || (v == protocol.RestartNo && cfg.RestartPolicy == "")
	case "health":
		h := c.HealthStatus()
		return h == v || (v == "none" && h == "")
	case "volume":
		for _, m := range cfg.Mounts {
			if (m.Type == spec.MountVolume && m.Source == v) || m.Destination == v {
				return true
			}
		}
	case "network":
		_, on := cfg.Networks[v]
		return string(cfg.NetworkMode) == v || on
	case "pod":
		// pod has no pods yet: no container is in one.
	}
	return false
}

// MatchExternal applies the filter to a storage container: id, name and
// the creation-time keys; any other key excludes it (it has no status,
// labels or exit code).
func (f *ContainerFilter) MatchExternal(x ExternalContainer) bool {
	if f.Empty() {
		return true
	}
	for k, vals := range f.vals {
		ok := false
		switch k {
		case "id":
			for _, v := range vals {
				ok = ok || strings.HasPrefix(x.ID, v)
			}
		case "name":
			for _, n := range x.Names {
				ok = ok || anyRegexp(f.names, n)
			}
		case "until":
			ok = anyTime(f.until, func(t time.Time) bool { return x.Created.Before(t) })
		case "since":
			ok = anyTime(f.since, func(t time.Time) bool { return x.Created.After(t) })
		case "before":
			ok = anyTime(f.before, func(t time.Time) bool { return x.Created.Before(t) })
		}
		if !ok {
			return false
		}
	}
	return true
}
