package spec

import (
	"encoding/json"
	"strings"
)

// ProcessArgs returns the container's argv from the image's ENTRYPOINT and
// CMD, the --entrypoint value and the command given after the image name:
//
//   - entrypoint nil: the image's ENTRYPOINT is used;
//   - entrypoint "": no entrypoint at all;
//   - entrypoint a JSON array (`["/bin/sh","-c"]`): that array;
//   - any other entrypoint string: a single word.
//
// The command replaces the image's CMD. Setting --entrypoint also drops the
// image's CMD, so only the given command follows it. An empty result is an
// error wrapping define.ErrInvalidArg.
func ProcessArgs(img ImageConfig, entrypoint *string, command []string) ([]string, error) {
	var ep, cmd []string
	if entrypoint == nil {
		ep = img.Entrypoint
		cmd = img.Cmd
	} else {
		ep = ParseEntrypoint(*entrypoint)
	}
	if len(command) > 0 {
		cmd = command
	}
	args := make([]string, 0, len(ep)+len(cmd))
	args = append(args, ep...)
	args = append(args, cmd...)
	if len(args) == 0 {
		return nil, invalidArg("no command specified: the image has no ENTRYPOINT or CMD and none was given")
	}
	return args, nil
}

// ParseEntrypoint parses an --entrypoint value: "" is no entrypoint, a JSON
// array of strings is that array, anything else is a single word.
func ParseEntrypoint(s string) []string {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(strings.TrimSpace(s), "[") {
		var arr []string
		if err := json.Unmarshal([]byte(s), &arr); err == nil {
			return arr
		}
	}
	return []string{s}
}

// DefaultEnv returns the variables every container starts with before the
// image's and the user's: PATH, TERM=xterm (with or without a terminal),
// container=pod, HOME (when home is not empty) and HOSTNAME (when hostname is
// not empty).
func DefaultEnv(hostname, home string) []string {
	env := []string{"PATH=" + DefaultPath, "TERM=xterm", "container=pod"}
	if home != "" {
		env = append(env, "HOME="+home)
	}
	if hostname != "" {
		env = append(env, "HOSTNAME="+hostname)
	}
	return env
}

// MergeEnv merges environment lists; a later list wins over an earlier one
// and within a list the last value wins. Variables keep the position of their
// first appearance. In user (the -e/--env-file values):
//
//   - "FOO=bar" sets FOO;
//   - "FOO" takes FOO's value from hostEnv and is skipped when it is unset;
//   - "FOO*" takes every variable of hostEnv whose name starts with FOO.
//
// Entries of defaults and image without '=' set an empty value; entries
// with an empty name are skipped.
func MergeEnv(defaults, image, user []string, hostEnv []string) []string {
	var m envMap
	for _, list := range [][]string{defaults, image} {
		for _, kv := range list {
			k, v, _ := strings.Cut(kv, "=")
			m.set(k, v)
		}
	}
	for _, kv := range user {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m.set(k, v)
			continue
		}
		if prefix, ok := strings.CutSuffix(kv, "*"); ok {
			for _, hkv := range hostEnv {
				hk, hv, _ := strings.Cut(hkv, "=")
				if strings.HasPrefix(hk, prefix) {
					m.set(hk, hv)
				}
			}
			continue
		}
		if v, ok := lookupEnv(hostEnv, kv); ok {
			m.set(kv, v)
		}
	}
	return m.list()
}

// envMap is an insertion-ordered set of variables.
type envMap struct {
	keys []string
	vals map[string]string
}

func (m *envMap) set(k, v string) {
	if k == "" {
		return
	}
	if m.vals == nil {
		m.vals = make(map[string]string)
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *envMap) list() []string {
	out := make([]string, 0, len(m.keys))
	for _, k := range m.keys {
		out = append(out, k+"="+m.vals[k])
	}
	return out
}

// lookupEnv returns the value of the first KEY=value entry for key.
func lookupEnv(env []string, key string) (string, bool) {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}
