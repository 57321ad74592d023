package image

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
)

// filterKeys are the --filter keys `pod images` accepts.
var filterKeys = []string{"after", "before", "containers", "dangling", "id", "intermediate", "label",
	"manifest", "readonly", "reference", "since", "until"}

// ListOptions select the images ListFiltered returns.
type ListOptions struct {
	// Filters are --filter values, "key=value" or "label!=value". Values of
	// one key are alternatives (any may match); different keys must all
	// match.
	Filters []string
	// InUse reports whether a container uses the image id (the containers
	// filter); nil means none does.
	InUse func(imageID string) bool
	// Now is the time durations of the until filter count back from.
	Now time.Time
}

// imageFilter is one compiled --filter value.
type imageFilter func(s *Summary) bool

// ListFiltered returns List's images that pass every filter group of o.
// A malformed filter is an error wrapping define.ErrInvalidArg; a before
// or since image that does not exist wraps define.ErrNoSuchImage.
func ListFiltered(store storage.Store, o ListOptions) ([]Summary, error) {
	groups, err := compileFilters(store, o)
	if err != nil {
		return nil, err
	}
	all, err := List(store)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return all, nil
	}
	out := all[:0]
	for i := range all {
		if matchAll(groups, &all[i]) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// matchAll reports whether s passes one filter of every group.
func matchAll(groups map[string][]imageFilter, s *Summary) bool {
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		if !slices.ContainsFunc(groups[key], func(f imageFilter) bool { return f(s) }) {
			return false
		}
	}
	return true
}

// compileFilters parses o.Filters into groups of filters by key.
func compileFilters(store storage.Store, o ListOptions) (map[string][]imageFilter, error) {
	groups := map[string][]imageFilter{}
	bools := map[string]bool{}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	for _, spec := range o.Filters {
		key, value, negate, err := splitFilter(spec)
		if err != nil {
			return nil, err
		}
		var f imageFilter
		switch key {
		case "dangling", "intermediate", "readonly", "containers", "manifest":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return nil, fmt.Errorf("invalid image filter %q: %q is not a boolean: use %s=true or %s=false%.0w",
					spec, value, key, key, define.ErrInvalidArg)
			}
			if prev, ok := bools[key]; ok && prev != b {
				return nil, fmt.Errorf("invalid image filter %q: %s is given more than once with different values%.0w",
					spec, key, define.ErrInvalidArg)
			}
			bools[key] = b
			f = boolFilter(key, b, o.InUse)
		case "label":
			f = labelFilter(value, negate)
		case "reference":
			f = func(s *Summary) bool { return matchReference(s.Names, value) }
		case "id":
			id := strings.TrimPrefix(value, "sha256:")
			f = func(s *Summary) bool { return id != "" && strings.HasPrefix(s.ID, id) }
		case "before", "since", "after":
			img, err := Lookup(store, value)
			if err != nil {
				return nil, fmt.Errorf("image filter %q: %w", spec, err)
			}
			created := img.Created
			if key == "before" {
				f = func(s *Summary) bool { return s.Created.Before(created) }
			} else {
				f = func(s *Summary) bool { return s.Created.After(created) }
			}
		case "until":
			until, err := events.ParseTime(value, true, now)
			if err != nil {
				return nil, fmt.Errorf("invalid image filter %q: %w", spec, err)
			}
			f = func(s *Summary) bool { return s.Created.Before(until) }
		}
		if key == "after" {
			key = "since"
		}
		groups[key] = append(groups[key], f)
	}
	return groups, nil
}

// splitFilter splits "key=value" (or "label!=value") and checks the key.
func splitFilter(spec string) (key, value string, negate bool, err error) {
	key, value, ok := strings.Cut(spec, "=")
	if !ok {
		return "", "", false, fmt.Errorf("invalid image filter %q: use key=value (label!=value to negate)%.0w", spec, define.ErrInvalidArg)
	}
	if k, isNeg := strings.CutSuffix(key, "!"); isNeg {
		if k != "label" {
			return "", "", false, fmt.Errorf("invalid image filter %q: only label accepts !=%.0w", spec, define.ErrInvalidArg)
		}
		key, negate = k, true
	}
	if !slices.Contains(filterKeys, key) {
		return "", "", false, fmt.Errorf("unsupported image filter %q: use one of %s%.0w",
			key, strings.Join(filterKeys, ", "), define.ErrInvalidArg)
	}
	return key, value, negate, nil
}

// boolFilter is the filter key=b for the boolean keys.
func boolFilter(key string, b bool, inUse func(string) bool) imageFilter {
	return func(s *Summary) bool {
		switch key {
		case "dangling":
			return s.Dangling == b
		case "intermediate":
			return s.Intermediate == b
		case "readonly":
			return s.ReadOnly == b
		case "containers":
			return (inUse != nil && inUse(s.ID)) == b
		default: // manifest
			return s.ManifestList == b
		}
	}
}

// labelFilter matches images with the label KEY or KEY=VALUE, or without it
// when negated.
func labelFilter(value string, negate bool) imageFilter {
	k, v, withValue := strings.Cut(value, "=")
	return func(s *Summary) bool {
		got, ok := s.Labels[k]
		has := ok && (!withValue || got == v)
		return has != negate
	}
}

// matchReference reports whether a glob pattern (path.Match syntax) matches
// one of the names, each tried as: the whole name, the name without
// registry, the last path component, each with and without its tag or
// digest ("docker.io/library/alpine:3.20", "library/alpine:3.20",
// "alpine:3.20", "docker.io/library/alpine", "library/alpine", "alpine").
func matchReference(names []string, pattern string) bool {
	for _, n := range names {
		named, err := reference.ParseNormalizedNamed(n)
		if err != nil {
			continue
		}
		full := named.String()
		repo := named.Name()
		suffix := full[len(repo):] // ":tag" or "@digest" or ""
		p := reference.Path(named)
		last := p[strings.LastIndex(p, "/")+1:]
		for _, c := range []string{full, p + suffix, last + suffix, repo, p, last} {
			if ok, _ := path.Match(pattern, c); ok {
				return true
			}
		}
	}
	return false
}
