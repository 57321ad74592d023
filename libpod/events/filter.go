package events

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

// filterKeys are the --filter keys `pod events` accepts (podman's). pod has
// no pods or volumes: those filters match nothing.
var filterKeys = []string{"container", "event", "image", "label", "pod", "status", "type", "volume"}

// ParseFilters turns `--filter KEY=VALUE` values into one predicate:
// values of the same key are alternatives, different keys must all match.
//
//   - container=NAME|ID: a container event of that name or id prefix;
//   - event=STATUS, status=STATUS: that status (start, died, ...);
//   - image=NAME|ID: an image event of that id prefix or name, or a
//     container event whose image is NAME (a short name matches its
//     docker.io/library/NAME:latest form);
//   - label=KEY or label=KEY=VALUE: a container event whose labels hold it;
//   - type=TYPE: container, image or system;
//   - pod=, volume=: nothing (pod has neither).
//
// An unknown key or a value without "=" is an error wrapping
// define.ErrInvalidArg. No filter yields nil (every event).
func ParseFilters(filters []string) (func(*Event) bool, error) {
	if len(filters) == 0 {
		return nil, nil
	}
	byKey := map[string][]func(*Event) bool{}
	for _, f := range filters {
		key, value, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("invalid filter %q: want KEY=VALUE: %w", f, define.ErrInvalidArg)
		}
		key = strings.ToLower(key)
		match, err := filterFunc(key, value)
		if err != nil {
			return nil, fmt.Errorf("invalid filter %q: %w", f, err)
		}
		if key == "status" {
			key = "event"
		}
		byKey[key] = append(byKey[key], match)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return func(e *Event) bool {
		for _, k := range keys {
			if !anyMatch(byKey[k], e) {
				return false
			}
		}
		return true
	}, nil
}

func anyMatch(fs []func(*Event) bool, e *Event) bool {
	for _, f := range fs {
		if f(e) {
			return true
		}
	}
	return false
}

// filterFunc is the predicate of one KEY=VALUE.
func filterFunc(key, value string) (func(*Event) bool, error) {
	switch key {
	case "container":
		return func(e *Event) bool {
			return e.Type == TypeContainer && value != "" && (e.Name == value || strings.HasPrefix(e.ID, value))
		}, nil
	case "event", "status":
		return func(e *Event) bool { return string(e.Status) == value }, nil
	case "image":
		return func(e *Event) bool { return imageMatches(e, value) }, nil
	case "label":
		k, v, hasValue := strings.Cut(value, "=")
		return func(e *Event) bool {
			got, ok := e.Attributes[k]
			return ok && (!hasValue || got == v)
		}, nil
	case "type":
		return func(e *Event) bool { return string(e.Type) == value }, nil
	case "pod", "volume":
		return func(*Event) bool { return false }, nil
	}
	return nil, fmt.Errorf("unknown key %q (known: %s): %w", key, strings.Join(filterKeys, ", "), define.ErrInvalidArg)
}

// imageMatches is the image= filter.
func imageMatches(e *Event, value string) bool {
	if value == "" {
		return false
	}
	switch e.Type {
	case TypeImage:
		return strings.HasPrefix(e.ID, value) || e.Name == value
	case TypeContainer:
		if e.Image == value {
			return true
		}
		name := value
		if !strings.Contains(name, ":") && !strings.Contains(name, "@") {
			name += ":latest"
		}
		return e.Image == name || e.Image == "docker.io/library/"+name || strings.HasSuffix(e.Image, "/"+name)
	}
	return false
}

// timeFormats are the timestamp layouts --since and --until accept
// (podman's), besides Unix seconds and durations.
var timeFormats = []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999",
	"2006-01-02Z07:00", "2006-01-02"}

// ParseTime reads a --since or --until value as podman does: an RFC 3339
// timestamp (or a shorter form of it: 2006-01-02T15:04:05, 2006-01-02),
// Unix seconds with an optional fraction, or a Go duration — now minus it
// for since, now plus it for until. Anything else is an error wrapping
// define.ErrInvalidArg.
func ParseTime(value string, since bool, now time.Time) (time.Time, error) {
	for _, layout := range timeFormats {
		if t, err := time.Parse(layout, value); err == nil {
			return t, nil
		}
	}
	if secs, err := strconv.ParseFloat(value, 64); err == nil && !math.IsInf(secs, 0) && !math.IsNaN(secs) {
		whole, frac := math.Modf(secs)
		return time.Unix(int64(whole), int64(frac*1e9)), nil
	}
	d, err := time.ParseDuration(value)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a timestamp nor a duration: %w", value, define.ErrInvalidArg)
	}
	if since {
		return now.Add(-d), nil
	}
	return now.Add(d), nil
}
