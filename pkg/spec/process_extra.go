package spec

import (
	"fmt"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
)

// ParseUmask parses a --umask value: one to four octal digits, as podman
// accepts them ("22", "0022", "7777"). Errors wrap define.ErrInvalidArg.
func ParseUmask(s string) (uint32, error) {
	if len(s) < 1 || len(s) > 4 || strings.Trim(s, "01234567") != "" {
		return 0, fmt.Errorf("invalid umask string %s: %w", s, define.ErrInvalidArg)
	}
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("invalid umask string %s: %w", s, define.ErrInvalidArg)
	}
	return uint32(n), nil
}

// FormatUmask renders a umask as inspect shows it: four octal digits.
func FormatUmask(u uint32) string { return fmt.Sprintf("%04o", u) }

// KeepGroups is podman's --group-add value that keeps the caller's own
// supplementary groups.
const KeepGroups = "keep-groups"

// ParseGroupAdd checks --group-add values before the container's
// /etc/group is at hand: a gid, or a group name to resolve at start (see
// ResolveGroups). Empty values are dropped, as podman does; keep-groups is
// refused: pod does not pass the user's host groups into containers.
// Errors wrap define.ErrInvalidArg.
func ParseGroupAdd(in []string) ([]string, error) {
	var out []string
	for _, g := range in {
		switch {
		case g == "":
			continue
		case g == KeepGroups:
			return nil, invalidArg("--group-add %s is not supported: pod does not pass the user's host groups into containers; name the groups (or gids) the container's process needs", g)
		case strings.HasPrefix(g, "-") || strings.ContainsAny(g, ": \t\n,"):
			return nil, invalidArg("--group-add %q: not a group name or gid", g)
		}
		if _, isNum, err := parseID(g); isNum && err != nil {
			return nil, invalidArg("--group-add %s: %v", g, err)
		}
		out = append(out, g)
	}
	return out, nil
}

// ResolveGroups resolves --group-add values (see ParseGroupAdd) against
// the container's /etc/group below rootfs, as ResolveUser reads it: gids
// as they are, names that must exist. An unknown name is an error wrapping
// define.ErrInvalidArg.
func ResolveGroups(rootfs string, groups []string) ([]uint32, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	var file []byte
	loaded := false
	out := make([]uint32, 0, len(groups))
	for _, g := range groups {
		if _, isNum, _ := parseID(g); !isNum && !loaded {
			data, err := readRootfsFile(rootfs, "/etc/group")
			if err != nil {
				return nil, err
			}
			file, loaded = data, true
		}
		gid, err := lookupGroup(file, g)
		if err != nil {
			return nil, fmt.Errorf("--group-add: %w", err)
		}
		out = appendUnique(out, gid)
	}
	return out, nil
}

// applyRunFlags applies --umask, --group-add, --sysctl, --init, --tz and
// --device to the spec Generate made.
func applyRunFlags(s *specs.Spec, o *Options) {
	if o.Umask != nil {
		u := *o.Umask
		s.Process.User.Umask = &u
	}
	for _, g := range o.GroupAdd {
		s.Process.User.AdditionalGids = appendUnique(s.Process.User.AdditionalGids, g)
	}
	if len(o.Sysctl) > 0 && s.Linux.Sysctl == nil {
		s.Linux.Sysctl = make(map[string]string, len(o.Sysctl))
	}
	for k, v := range o.Sysctl {
		s.Linux.Sysctl[k] = v
	}
	applyInit(s, o.InitPath)
	applyTimezone(s, o.LocaltimePath)
	applyDevices(s, o.Devices)
}
