package spec

import (
	"os"
	"slices"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Namespace is a --pid, --ipc, --uts or --cgroupns value: Mode is
// "private" (the container's own), "host", "container" (Target names the
// container), "ns" (Target is a namespace file), "shareable" or "none".
type Namespace struct {
	Mode   string `json:"mode,omitempty"`
	Target string `json:"target,omitempty"`
}

// ParseNamespace reads the value of --flag; modes lists the modes the flag
// takes besides "private" ("" is private).
func ParseNamespace(flag, v string, modes ...string) (Namespace, error) {
	if v == "" || v == "private" {
		return Namespace{}, nil
	}
	mode, target, hasTarget := strings.Cut(v, ":")
	if !slices.Contains(modes, mode) || (mode == "container" || mode == "ns") != hasTarget || (hasTarget && target == "") {
		want := append([]string{"private"}, modes...)
		for i, m := range want {
			if m == "container" {
				want[i] = "container:NAME"
			} else if m == "ns" {
				want[i] = "ns:PATH"
			}
		}
		return Namespace{}, invalidArg("--%s %s: unknown mode: use %s", flag, v, strings.Join(want, ", "))
	}
	return Namespace{Mode: mode, Target: target}, nil
}

// String is the namespace as inspect shows it (private, host,
// container:ID, ns:PATH, ...).
func (n Namespace) String() string {
	switch {
	case n.Mode == "":
		return "private"
	case n.Target != "":
		return n.Mode + ":" + n.Target
	}
	return n.Mode
}

// SetNamespace makes the spec's namespace of type t the one at path
// (joined), or drops it when host (the container stays in the caller's).
func SetNamespace(s *specs.Spec, t specs.LinuxNamespaceType, path string, host bool) {
	ns := s.Linux.Namespaces[:0]
	for _, n := range s.Linux.Namespaces {
		if n.Type == t {
			if host {
				continue
			}
			n.Path = path
		}
		ns = append(ns, n)
	}
	s.Linux.Namespaces = ns
}

// ReplaceMount replaces the spec's mount at dest by m (none: removes it).
func ReplaceMount(s *specs.Spec, dest string, m *specs.Mount) {
	ms := s.Mounts[:0]
	for _, old := range s.Mounts {
		if old.Destination == dest {
			if m == nil {
				continue
			}
			old = *m
		}
		ms = append(ms, old)
	}
	s.Mounts = ms
}

// ParsePersonality checks a --personality value (LINUX or LINUX32).
func ParsePersonality(v string) (specs.LinuxPersonalityDomain, error) {
	switch d := specs.LinuxPersonalityDomain(strings.ToUpper(v)); d {
	case specs.PerLinux, specs.PerLinux32:
		return d, nil
	}
	return "", invalidArg("--personality %s: unknown execution domain: use LINUX or LINUX32", v)
}

// ParseAnnotations reads --annotation key=value values.
func ParseAnnotations(list []string) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(list))
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, invalidArg("--annotation %q: use KEY=VALUE", kv)
		}
		m[k] = v
	}
	return m, nil
}

// EnvExtras are --env-merge, --unsetenv and --unsetenv-all.
type EnvExtras struct {
	// Merge are NAME=VALUE entries whose VALUE may use ${VAR} or $VAR of
	// the default and image environment.
	Merge []string `json:"merge,omitempty"`
	// Unset names default or image variables to drop; UnsetAll drops
	// every one of them. The -e values stay.
	Unset    []string `json:"unset,omitempty"`
	UnsetAll bool     `json:"unsetAll,omitempty"`
}

// Adjust applies e to env, the merged environment of the process; user
// are the -e values (kept by Unset and UnsetAll).
func (e EnvExtras) Adjust(env, user []string) []string {
	if len(e.Merge) == 0 && len(e.Unset) == 0 && !e.UnsetAll {
		return env
	}
	var m envMap
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m.set(k, v)
	}
	for _, kv := range e.Merge {
		k, v, _ := strings.Cut(kv, "=")
		m.set(k, os.Expand(v, func(name string) string { return m.vals[name] }))
	}
	fromUser := map[string]bool{}
	for _, kv := range user {
		k, _, _ := strings.Cut(kv, "=")
		fromUser[k] = true
	}
	for _, kv := range e.Merge {
		k, _, _ := strings.Cut(kv, "=")
		fromUser[k] = true
	}
	var out []string
	for _, kv := range m.list() {
		k, _, _ := strings.Cut(kv, "=")
		if !fromUser[k] && (e.UnsetAll || slices.Contains(e.Unset, k)) {
			continue
		}
		out = append(out, kv)
	}
	return out
}
