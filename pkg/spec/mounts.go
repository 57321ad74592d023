package spec

import (
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// The kinds of user mounts (-v, --mount, --tmpfs, --volumes-from, image
// VOLUMEs).
const (
	MountBind   = "bind"
	MountVolume = "volume"
	MountTmpfs  = "tmpfs"
	MountImage  = "image"
)

// Mount is one mount a container asks for, as its config keeps it. A
// volume with an empty Source is anonymous until create names it.
type Mount struct {
	Type string `json:"type"`
	// Source is the host path (bind), the volume name (volume) or the
	// image (image); empty for tmpfs.
	Source      string `json:"source,omitempty"`
	Destination string `json:"destination"`
	ReadOnly    bool   `json:"readOnly,omitempty"`
	// Options are further mount options: propagation, exec/noexec,
	// suid/nosuid, dev/nodev and, for tmpfs, size=, mode=, uid=, gid=,
	// nr_inodes=, (no)tmpcopyup.
	Options []string `json:"options,omitempty"`
	// Relabel is z or Z: accepted, and nothing is done (no SELinux).
	Relabel string `json:"relabel,omitempty"`
	// Chown (U) gives the source to the container's user at each start.
	Chown bool `json:"chown,omitempty"`
	// Overlay (O) mounts an overlay with the source as its lower layer:
	// the container's writes go to a layer thrown away at the next start.
	Overlay bool `json:"overlay,omitempty"`
	// NoCopy keeps an empty volume empty (no copy-up of the image's files).
	NoCopy bool `json:"noCopy,omitempty"`
	// Anonymous marks a volume made for this container (-v /path, an
	// image VOLUME).
	Anonymous bool `json:"anonymous,omitempty"`
	// Flag is the flag and value the mount came from, for messages
	// ("-v /a:/b", "--mount type=bind,...", "--tmpfs /t", "image VOLUME /data").
	Flag string `json:"flag,omitempty"`
}

// TmpfsDefaults are the options of every tmpfs mount before the user's.
var tmpfsDefaults = []string{"rw", "rprivate", "nosuid", "nodev", "tmpcopyup"}

// ReadOnlyTmpfsDirs get a tmpfs with --read-only unless
// --read-only-tmpfs=false.
func ReadOnlyTmpfsDirs() []string { return []string{"/tmp", "/var/tmp", "/run"} }

var propagations = map[string]bool{"shared": true, "rshared": true, "slave": true, "rslave": true,
	"private": true, "rprivate": true, "unbindable": true, "runbindable": true}

// volumeOption reports whether o is an option -v accepts.
func volumeOption(o string) bool {
	switch o {
	case "rw", "ro", "z", "Z", "U", "O", "bind", "rbind", "exec", "noexec", "suid", "nosuid", "dev", "nodev", "nocopy", "copy":
		return true
	}
	return propagations[o]
}

// ParseVolume parses a -v/--volume value: [SOURCE:]DEST[:OPTIONS]. A
// source starting with "/" or "." is a host path (relative ones are taken
// from the working directory), anything else a volume name; no source is
// an anonymous volume. Errors wrap define.ErrInvalidArg and name the flag.
func ParseVolume(v string) (Mount, error) {
	flag := "-v " + v
	fail := func(format string, args ...any) (Mount, error) {
		return Mount{}, invalidArg("%s: "+format, append([]any{flag}, args...)...)
	}
	if v == "" {
		return fail("container directory cannot be empty")
	}
	parts := strings.Split(v, ":")
	var src, dst, opts string
	switch len(parts) {
	case 1:
		dst = parts[0]
	case 2:
		if validOptions(parts[1]) {
			dst, opts = parts[0], parts[1]
		} else {
			src, dst = parts[0], parts[1]
		}
	case 3:
		src, dst, opts = parts[0], parts[1], parts[2]
	default:
		return fail("incorrect volume format, should be [host-dir:]ctr-dir[:option]")
	}
	m := Mount{Type: MountVolume, Source: src, Destination: dst, Flag: flag}
	switch {
	case src == "" && len(parts) > 1 && !validOptions(parts[1]) || src == "" && len(parts) == 3:
		return fail("host directory cannot be empty")
	case strings.HasPrefix(src, "/") || strings.HasPrefix(src, "."):
		m.Type = MountBind
		abs, err := filepath.Abs(src)
		if err != nil {
			return fail("%v", err)
		}
		m.Source = abs
	case src == "":
		m.Anonymous = true
	}
	if dst == "" {
		return fail("container directory cannot be empty")
	}
	if !path.IsAbs(dst) {
		return fail("invalid container path %q, must be an absolute path", dst)
	}
	m.Destination = path.Clean(dst)
	if opts != "" {
		if err := m.applyVolumeOptions(strings.Split(opts, ",")); err != nil {
			return fail("%v", err)
		}
	}
	return m, checkDestination(m)
}

func validOptions(s string) bool {
	for _, o := range strings.Split(s, ",") {
		if !volumeOption(o) {
			return false
		}
	}
	return true
}

// applyVolumeOptions applies -v options (rw/ro once, z/Z, U, O,
// propagation, exec, suid, dev, nocopy).
func (m *Mount) applyVolumeOptions(opts []string) error {
	rwSeen, propSeen := false, false
	for _, o := range opts {
		switch {
		case o == "rw" || o == "ro":
			if rwSeen {
				return invalidArg("invalid options %q, can only specify 1 'rw' or 'ro' option", strings.Join(opts, ", "))
			}
			rwSeen, m.ReadOnly = true, o == "ro"
		case o == "z" || o == "Z":
			if m.Relabel != "" {
				return invalidArg("invalid options %q, can only specify 1 'z' or 'Z' option", strings.Join(opts, ", "))
			}
			m.Relabel = o
		case o == "U":
			m.Chown = true
		case o == "O":
			if m.Type != MountBind {
				return invalidArg("the O option needs a host directory as the source (an overlay over it)")
			}
			m.Overlay = true
		case o == "nocopy":
			m.NoCopy = true
		case o == "copy", o == "bind", o == "rbind":
		case propagations[o]:
			if propSeen {
				return invalidArg("invalid options %q, can only specify 1 propagation mode", strings.Join(opts, ", "))
			}
			propSeen = true
			m.Options = append(m.Options, o)
		case volumeOption(o):
			m.Options = append(m.Options, o)
		default:
			return invalidArg("invalid option type %q", o)
		}
	}
	if m.Overlay && m.ReadOnly {
		return invalidArg("the O option and ro cannot be combined: an overlay is writable by design")
	}
	return nil
}

// ParseTmpfs parses a --tmpfs value: DEST[:OPTIONS], OPTIONS being tmpfs
// mount options (size=, mode=, uid=, gid=, nr_inodes=, ro, rw, exec,
// noexec, suid, nosuid, dev, nodev, (no)tmpcopyup, propagation).
func ParseTmpfs(v string) (Mount, error) {
	flag := "--tmpfs " + v
	dst, opts, _ := strings.Cut(v, ":")
	m := Mount{Type: MountTmpfs, Destination: dst, Flag: flag}
	if !path.IsAbs(dst) {
		return Mount{}, invalidArg("%s: invalid container path %q, must be an absolute path", flag, dst)
	}
	m.Destination = path.Clean(dst)
	if opts != "" {
		for _, o := range strings.Split(opts, ",") {
			if err := m.addTmpfsOption(o); err != nil {
				return Mount{}, invalidArg("%s: %v", flag, err)
			}
		}
	}
	return m, checkDestination(m)
}

func (m *Mount) addTmpfsOption(o string) error {
	k, val, hasVal := strings.Cut(o, "=")
	switch {
	case o == "ro":
		m.ReadOnly = true
	case o == "rw":
		m.ReadOnly = false
	case hasVal && (k == "size" || k == "nr_inodes"):
		if _, err := parseSize(val); err != nil {
			return invalidArg("invalid tmpfs option %q: %v", o, err)
		}
		m.Options = append(m.Options, o)
	case hasVal && k == "mode":
		if _, err := strconv.ParseUint(val, 8, 32); err != nil {
			return invalidArg("invalid tmpfs option %q: mode must be octal", o)
		}
		m.Options = append(m.Options, o)
	case hasVal && (k == "uid" || k == "gid"):
		if _, err := strconv.ParseUint(val, 10, 32); err != nil {
			return invalidArg("invalid tmpfs option %q: not a number", o)
		}
		m.Options = append(m.Options, o)
	case !hasVal && (o == "exec" || o == "noexec" || o == "suid" || o == "nosuid" || o == "dev" || o == "nodev" ||
		o == "tmpcopyup" || o == "notmpcopyup" || propagations[o]):
		m.Options = append(m.Options, o)
	default:
		return invalidArg("unknown mount option %q: invalid mount option", o)
	}
	return nil
}

// parseSize accepts a tmpfs size: a number with an optional k, m, g
// suffix (or a percentage, as the kernel does). The option goes to the
// kernel as written, so this checks the kernel's syntax rather than
// go-units' RAMInBytes (used for --memory and the like), which refuses
// "50%" and takes fractions and spaces the kernel's tmpfs refuses.
func parseSize(v string) (uint64, error) {
	s := strings.TrimSuffix(strings.ToLower(v), "%")
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'm', 'g', 't', 'b':
			s = s[:len(s)-1]
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

// ParseMount parses a --mount value: comma-separated key=value pairs with
// type=bind|volume|tmpfs|image (podman's keys: src/source,
// dst/destination/target, ro/readonly, rw, bind-propagation, relabel,
// tmpfs-size, tmpfs-mode, volume-nocopy, U/chown, consistency).
func ParseMount(v string) (Mount, error) {
	flag := "--mount " + v
	fail := func(format string, args ...any) (Mount, error) {
		return Mount{}, invalidArg("%s: "+format, append([]any{flag}, args...)...)
	}
	m := Mount{Flag: flag}
	var typ string
	var rest []string
	for _, kv := range strings.Split(v, ",") {
		if k, val, ok := strings.Cut(kv, "="); ok && k == "type" {
			typ = val
			continue
		}
		rest = append(rest, kv)
	}
	switch typ {
	case "":
		return fail("incorrect mount format: should be --mount type=<bind|tmpfs|volume|image>,[src=<host-dir|volume-name|image>,]target=<ctr-dir>[,options]")
	case MountBind, MountVolume, MountTmpfs, MountImage:
		m.Type = typ
	default:
		return fail("invalid filesystem type %q", typ)
	}
	if typ == MountImage {
		m.ReadOnly = true
	}
	for _, kv := range rest {
		k, val, hasVal := strings.Cut(kv, "=")
		boolVal := func() (bool, error) {
			if !hasVal {
				return true, nil
			}
			b, err := strconv.ParseBool(val)
			if err != nil {
				return false, invalidArg("invalid value %q for %s: want true or false", val, k)
			}
			return b, nil
		}
		var err error
		switch {
		case k == "src" || k == "source":
			if typ == MountTmpfs {
				return fail("%s is not allowed with type=tmpfs", k)
			}
			m.Source = val
		case k == "dst" || k == "destination" || k == "target":
			m.Destination = val
		case k == "ro" || k == "readonly":
			m.ReadOnly, err = boolVal()
		case k == "rw":
			var rw bool
			rw, err = boolVal()
			m.ReadOnly = !rw
		case k == "bind-propagation" && typ == MountBind:
			if !propagations[val] {
				return fail("invalid bind-propagation %q", val)
			}
			m.Options = append(m.Options, val)
		case k == "relabel" && typ != MountTmpfs:
			switch val {
			case "shared":
				m.Relabel = "z"
			case "private":
				m.Relabel = "Z"
			default:
				return fail("invalid relabel value %q: want shared or private", val)
			}
		case (k == "z" || k == "Z") && !hasVal && typ != MountTmpfs:
			m.Relabel = k
		case (k == "U" || k == "chown") && typ != MountImage:
			m.Chown, err = boolVal()
		case k == "volume-nocopy" && typ == MountVolume:
			m.NoCopy, err = boolVal()
		case k == "tmpfs-size" && typ == MountTmpfs:
			err = m.addTmpfsOption("size=" + val)
		case k == "tmpfs-mode" && typ == MountTmpfs:
			err = m.addTmpfsOption("mode=" + val)
		case k == "tmpcopyup" || k == "notmpcopyup":
			if typ != MountTmpfs {
				return fail("%s: invalid mount option", k)
			}
			err = m.addTmpfsOption(k)
		case k == "consistency" || k == "bind-nonrecursive" && typ == MountBind:
		case !hasVal && (k == "exec" || k == "noexec" || k == "suid" || k == "nosuid" || k == "dev" || k == "nodev") && typ != MountImage:
			m.Options = append(m.Options, k)
		default:
			return fail("%s: invalid mount option", k)
		}
		if err != nil {
			return fail("%v", err)
		}
	}
	if m.Destination == "" {
		return fail("must set volume destination")
	}
	if !path.IsAbs(m.Destination) {
		return fail("invalid container path %q, must be an absolute path", m.Destination)
	}
	m.Destination = path.Clean(m.Destination)
	switch typ {
	case MountBind:
		if m.Source == "" {
			return fail("must set the source (src=HOST-DIR) of a bind mount")
		}
		abs, err := filepath.Abs(m.Source)
		if err != nil {
			return fail("%v", err)
		}
		m.Source = abs
	case MountVolume:
		m.Anonymous = m.Source == ""
	case MountImage:
		if m.Source == "" {
			return fail("must set the source (src=IMAGE) of an image mount")
		}
	}
	return m, checkDestination(m)
}

// checkDestination refuses mounts over the container's root and over
// /proc, which the runtime must keep its own.
func checkDestination(m Mount) error {
	return CheckMountTarget(m.Flag, m.Destination)
}

// CheckMountTarget refuses a container path a user mount may not cover: /
// and /proc with everything below it. flag names the mount in the error.
func CheckMountTarget(flag, dst string) error {
	switch {
	case dst == "/":
		return invalidArg("%s: cannot mount over the container's root directory", flag)
	case dst == "/proc" || strings.HasPrefix(dst, "/proc/"):
		return invalidArg("%s: mounting over %s is not allowed: /proc belongs to the container's runtime", flag, dst)
	}
	return nil
}

// CheckDuplicates refuses two mounts on one destination, as podman does
// ("/x: duplicate mount destination").
// The same mount given twice is kept once (DedupMounts).
func CheckDuplicates(ms []Mount) error {
	seen := map[string]string{}
	for _, m := range ms {
		if prev, ok := seen[m.Destination]; ok {
			return invalidArg("%s: duplicate mount destination (%s and %s)", m.Destination, prev, m.Flag)
		}
		seen[m.Destination] = m.Flag
	}
	return nil
}

// DedupMounts drops a mount that repeats an earlier one exactly (the same
// flag value, or an anonymous volume at the same place), as podman does.
func DedupMounts(ms []Mount) []Mount {
	var out []Mount
	for _, m := range ms {
		dup := false
		for _, o := range out {
			a, b := m, o
			a.Flag, b.Flag = "", ""
			if reflect.DeepEqual(a, b) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, m)
		}
	}
	return out
}

// SpecOptions are the OCI mount options of m for a bind of its source
// (a volume's data directory or the host path): ro, the propagation
// (rprivate unless given), the user's options, for volumes nosuid and
// nodev unless the user asked otherwise, and rbind.
func (m Mount) SpecOptions() []string {
	var opts, own []string
	if m.ReadOnly {
		opts = append(opts, "ro")
	}
	prop := "rprivate"
	for _, o := range m.Options {
		if propagations[o] {
			prop = o
			continue
		}
		own = append(own, o)
	}
	opts = append(append(opts, prop), own...)
	if m.Type == MountVolume {
		if !hasOpt(m.Options, "suid") {
			opts = append(opts, "nosuid")
		}
		if !hasOpt(m.Options, "dev") {
			opts = append(opts, "nodev")
		}
	}
	return append(opts, "rbind")
}

// TmpfsOptions are the OCI options of a tmpfs mount: the user's, then
// the defaults they do not contradict.
func (m Mount) TmpfsOptions() []string {
	opts := append([]string(nil), m.Options...)
	if m.ReadOnly {
		opts = append(opts, "ro")
	}
	contra := map[string][]string{"rw": {"ro"}, "nosuid": {"suid"}, "nodev": {"dev"}, "tmpcopyup": {"notmpcopyup"}}
	for _, d := range tmpfsDefaults {
		skip := m.ReadOnly && d == "rw" || hasOpt(m.Options, d)
		for _, c := range contra[d] {
			skip = skip || hasOpt(m.Options, c)
		}
		if d == "rprivate" {
			for _, o := range m.Options {
				skip = skip || propagations[o]
			}
		}
		if !skip {
			opts = append(opts, d)
		}
	}
	return removeOpts(opts, "notmpcopyup")
}

// TmpfsSpec is the OCI mount of a tmpfs mount.
func (m Mount) TmpfsSpec() specs.Mount {
	return specs.Mount{Destination: m.Destination, Type: "tmpfs", Source: "tmpfs", Options: m.TmpfsOptions()}
}

func hasOpt(opts []string, o string) bool {
	for _, x := range opts {
		if x == o {
			return true
		}
	}
	return false
}

func removeOpts(opts []string, drop ...string) []string {
	out := opts[:0:0]
	for _, o := range opts {
		if !hasOpt(drop, o) {
			out = append(out, o)
		}
	}
	return out
}

// SortMounts orders mounts parents first (by the number of path
// components of the destination), keeping the given order otherwise.
func SortMounts(ms []specs.Mount) {
	depth := func(p string) int { return strings.Count(path.Clean(p), "/") }
	sort.SliceStable(ms, func(i, j int) bool { return depth(ms[i].Destination) < depth(ms[j].Destination) })
}
