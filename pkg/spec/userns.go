package spec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// IDMap is one range of a user namespace's id map: ContainerID (the id in
// the container) maps to HostID (the id in pod's own user namespace, where
// the user's uid is 0 and /etc/subuid's ranges follow from 1), Size ids long.
type IDMap = specs.LinuxIDMapping

// User namespace modes (--userns, and "private" for --uidmap/--gidmap).
const (
	UsernsHost    = "host"    // pod's own user namespace (the default, "")
	UsernsKeepID  = "keep-id" // the container's user is the host user
	UsernsAuto    = "auto"    // a free range of the user's ids
	UsernsPrivate = "private" // the --uidmap/--gidmap maps
)

// Userns is a parsed --userns value.
type Userns struct {
	// Mode is "" (pod's own namespace) or one of the Userns* constants.
	Mode string
	// UID and GID are keep-id's uid= and gid=: the ids the host user has in
	// the container (nil: the user's own).
	UID, GID *uint32
	// Size is auto's size= (0: chosen from the image, at least 1024).
	Size uint32
}

// ParseUserns parses a --userns value: "" or host, keep-id[:uid=N,gid=N],
// auto[:size=N]. Errors name the flag and wrap define.ErrInvalidArg.
func ParseUserns(v string) (Userns, error) {
	mode, opts, hasOpts := strings.Cut(v, ":")
	var u Userns
	switch mode {
	case "", UsernsHost:
		if hasOpts {
			return u, invalidArg("--userns %s: host takes no options", v)
		}
		return u, nil
	case UsernsKeepID, UsernsAuto:
		u.Mode = mode
	default:
		return u, invalidArg("--userns %s: unrecognized namespace mode %s passed: use host, keep-id[:uid=N,gid=N] or auto[:size=N]", v, mode)
	}
	if !hasOpts {
		return u, nil
	}
	for _, o := range strings.Split(opts, ",") {
		k, val, ok := strings.Cut(o, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil {
			return u, invalidArg("--userns %s: option %q is not KEY=NUMBER", v, o)
		}
		id := uint32(n)
		switch {
		case mode == UsernsKeepID && k == "uid":
			u.UID = &id
		case mode == UsernsKeepID && k == "gid":
			u.GID = &id
		case mode == UsernsAuto && k == "size":
			if id == 0 {
				return u, invalidArg("--userns %s: size must be at least 1", v)
			}
			u.Size = id
		default:
			return u, invalidArg("--userns %s: unknown option %q (%s takes %s)", v, k, mode, map[string]string{
				UsernsKeepID: "uid= and gid=", UsernsAuto: "size="}[mode])
		}
	}
	return u, nil
}

// ParseNSMap parses a /proc/PID/uid_map or gid_map: the map of pod's own
// user namespace (inner id → the host's id).
func ParseNSMap(data string) ([]IDMap, error) {
	var out []IDMap
	for _, line := range strings.Split(data, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("malformed id map line %q", line)
		}
		var n [3]uint32
		for i := range f {
			v, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				return nil, fmt.Errorf("malformed id map line %q", line)
			}
			n[i] = uint32(v)
		}
		out = append(out, IDMap{ContainerID: n[0], HostID: n[1], Size: n[2]})
	}
	return out, nil
}

// NSSize is the number of ids of pod's namespace counted from 0 without a
// gap: what a container's map may use.
func NSSize(ns []IDMap) uint32 {
	sorted := append([]IDMap(nil), ns...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ContainerID < sorted[j].ContainerID })
	var next uint64
	for _, m := range sorted {
		if uint64(m.ContainerID) != next {
			break
		}
		next += uint64(m.Size)
	}
	if next > 1<<32-1 {
		next = 1<<32 - 1
	}
	return uint32(next)
}

// KeepIDMap is keep-id's map: the container's id ctr is pod's namespace's
// 0 (the user), ids below ctr are 1…ctr, ids above ctr are themselves, up
// to size ids of pod's namespace.
func KeepIDMap(ctr, size uint32) []IDMap {
	if size < 1 {
		return nil
	}
	var m []IDMap
	if below := min(ctr, size-1); below > 0 {
		m = append(m, IDMap{ContainerID: 0, HostID: 1, Size: below})
	}
	m = append(m, IDMap{ContainerID: ctr, HostID: 0, Size: 1})
	if uint64(ctr)+1 < uint64(size) {
		m = append(m, IDMap{ContainerID: ctr + 1, HostID: ctr + 1, Size: size - ctr - 1})
	}
	return m
}

// ParseIDMapFlag parses --uidmap or --gidmap values (flag names which):
// CONTAINER:FROM[:AMOUNT] (AMOUNT defaults to 1), FROM being an id of pod's
// namespace, or @HOSTID, an id on the host translated through ns. Every
// range must lie within pod's namespace (the user's own id and its
// subordinate ranges) and no two may overlap.
func ParseIDMapFlag(flag string, vals []string, ns []IDMap) ([]IDMap, error) {
	size := NSSize(ns)
	var out []IDMap
	for _, v := range vals {
		for _, one := range strings.Split(v, ",") {
			m, err := parseOneIDMap(flag, one, ns)
			if err != nil {
				return nil, err
			}
			if uint64(m.HostID)+uint64(m.Size) > uint64(size) {
				return nil, invalidArg("%s %s: %s outside the user's range: pod's user namespace has ids 0-%d (the user's own id, then the ranges of /etc/subuid and /etc/subgid); use @ID for a host id",
					flag, one, idRange("id", m.HostID, m.Size, "is", "are"), size-1)
			}
			out = append(out, m)
		}
	}
	for i := range out {
		for j := range i {
			a, b := out[i], out[j]
			if overlaps(a.ContainerID, a.Size, b.ContainerID, b.Size) {
				return nil, invalidArg("%s: the container ids of %s and %s overlap", flag, fmtIDMap(b), fmtIDMap(a))
			}
			if overlaps(a.HostID, a.Size, b.HostID, b.Size) {
				return nil, invalidArg("%s: the ids mapped by %s and %s overlap", flag, fmtIDMap(b), fmtIDMap(a))
			}
		}
	}
	return out, nil
}

func parseOneIDMap(flag, v string, ns []IDMap) (IDMap, error) {
	f := strings.Split(v, ":")
	if len(f) == 2 {
		f = append(f, "1")
	}
	if len(f) != 3 {
		return IDMap{}, invalidArg("%s %s: expected CONTAINER_ID:FROM_ID[:AMOUNT]", flag, v)
	}
	host := strings.HasPrefix(f[1], "@")
	f[1] = strings.TrimPrefix(f[1], "@")
	var n [3]uint32
	for i, s := range f {
		x, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return IDMap{}, invalidArg("%s %s: %q is not a number (expected CONTAINER_ID:FROM_ID[:AMOUNT])", flag, v, s)
		}
		n[i] = uint32(x)
	}
	if n[2] == 0 {
		return IDMap{}, invalidArg("%s %s: the amount must be at least 1", flag, v)
	}
	if uint64(n[0])+uint64(n[2]) > 1<<32-1 {
		return IDMap{}, invalidArg("%s %s: the range is too large", flag, v)
	}
	if host {
		inner, ok := hostToInner(ns, n[1], n[2])
		if !ok {
			return IDMap{}, invalidArg("%s %s: %s the user's (its own id and the ranges of /etc/subuid and /etc/subgid)",
				flag, v, idRange("host id", n[1], n[2], "is not", "are not all"))
		}
		n[1] = inner
	}
	return IDMap{ContainerID: n[0], HostID: n[1], Size: n[2]}, nil
}

// hostToInner translates the host ids [id, id+size) into pod's namespace;
// they must lie in one range of ns.
func hostToInner(ns []IDMap, id, size uint32) (uint32, bool) {
	for _, m := range ns {
		if id >= m.HostID && uint64(id)+uint64(size) <= uint64(m.HostID)+uint64(m.Size) {
			return m.ContainerID + (id - m.HostID), true
		}
	}
	return 0, false
}

// idRange names the ids [start, start+size) with the verb that fits.
func idRange(noun string, start, size uint32, one, many string) string {
	if size == 1 {
		return fmt.Sprintf("%s %d %s", noun, start, one)
	}
	return fmt.Sprintf("%ss %d-%d %s", noun, start, uint64(start)+uint64(size)-1, many)
}

func overlaps(a, asz, b, bsz uint32) bool {
	return uint64(a) < uint64(b)+uint64(bsz) && uint64(b) < uint64(a)+uint64(asz)
}

func fmtIDMap(m IDMap) string { return fmt.Sprintf("%d:%d:%d", m.ContainerID, m.HostID, m.Size) }

// FormatIDMaps renders maps as inspect shows them: "CONTAINER:HOST:SIZE".
func FormatIDMaps(ms []IDMap) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, fmtIDMap(m))
	}
	return out
}

// ToContainer returns the container's id for an id of pod's namespace, and
// whether it is mapped.
func ToContainer(ms []IDMap, inner uint32) (uint32, bool) {
	for _, m := range ms {
		if inner >= m.HostID && uint64(inner) < uint64(m.HostID)+uint64(m.Size) {
			return m.ContainerID + (inner - m.HostID), true
		}
	}
	return 0, false
}

// UserNamespace describes the container's own user namespace (see
// ApplyUserNamespace).
type UserNamespace struct {
	UIDMap, GIDMap []IDMap
}

// ApplyUserNamespace gives the container a user namespace of its own with
// the maps (nothing when both are empty). A network namespace the container
// joins (Path set) belongs to pod's user namespace, where sysfs cannot be
// mounted from the container's: /sys is then bound from the host, read-only,
// as with the host's network.
func ApplyUserNamespace(s *specs.Spec, u UserNamespace) {
	if len(u.UIDMap) == 0 && len(u.GIDMap) == 0 {
		return
	}
	s.Linux.UIDMappings = append([]IDMap(nil), u.UIDMap...)
	s.Linux.GIDMappings = append([]IDMap(nil), u.GIDMap...)
	s.Linux.Namespaces = append([]specs.LinuxNamespace{{Type: specs.UserNamespace}}, s.Linux.Namespaces...)
	joined := true
	for _, ns := range s.Linux.Namespaces {
		if ns.Type == specs.NetworkNamespace && ns.Path == "" {
			joined = false
		}
	}
	if !joined {
		return
	}
	for i := range s.Mounts {
		m := &s.Mounts[i]
		if m.Destination == "/sys" && m.Type == "sysfs" {
			ro := "ro"
			for _, o := range m.Options {
				if o == "rw" {
					ro = "rw"
				}
			}
			*m = specs.Mount{Destination: "/sys", Type: "bind", Source: "/sys", Options: []string{"rbind", "rprivate", "nosuid", "noexec", "nodev", ro}}
		}
	}
}

// RootfsFile reads a file of the container's root filesystem as
// ResolveUser does (symlinks resolved inside rootfs; missing: empty).
func RootfsFile(rootfs, name string) ([]byte, error) { return readRootfsFile(rootfs, name) }

// HasID reports whether a passwd or group file has an entry whose id (the
// third field) is id.
func HasID(data []byte, id uint32) bool {
	want := strconv.FormatUint(uint64(id), 10)
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, ":"); len(f) > 2 && f[2] == want {
			return true
		}
	}
	return false
}
