package doctor

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/pod-engine/pod/userns"
)

const (
	subUIDFile = "/etc/subuid"
	subGIDFile = "/etc/subgid"
	// minSubIDs is what images need: ids up to 65534 (nobody) inside.
	minSubIDs = 65536
	// fixStart is where a suggested range starts when nothing is in the way.
	fixStart = 100000
)

// Capability numbers (linux/capability.h) and the layout of the
// security.capability attribute (struct vfs_cap_data).
const (
	capSetGID         = 6
	capSetUID         = 7
	vfsCapRevMask     = 0xff000000
	vfsCapRevision1   = 0x01000000
	vfsCapRevision2   = 0x02000000
	vfsCapRevision3   = 0x03000000
	capabilityXattr   = "security.capability"
	uidmapPackageHint = "sudo apt-get install uidmap"
)

// subIDFile is one of /etc/subuid and /etc/subgid as read for the user.
type subIDFile struct {
	path   string
	kind   string // "uid" or "gid"
	own    int    // the user's own uid or gid
	ranges []userns.IDRange
	err    error // reading failed (a missing file is no error: no ranges)
}

func readSubIDs(h *Host, path, kind string, own int) subIDFile {
	f := subIDFile{path: path, kind: kind, own: own}
	data, err := h.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			f.err = err
		}
		return f
	}
	f.ranges, f.err = userns.ParseSubIDs(bytes.NewReader(data), h.User, h.UID)
	return f
}

func (f subIDFile) total() uint64 {
	var n uint64
	for _, r := range f.ranges {
		n += uint64(r.Count)
	}
	return n
}

func (f subIDFile) describe() string {
	parts := make([]string, len(f.ranges))
	for i, r := range f.ranges {
		parts[i] = fmt.Sprintf("%d-%d", r.Start, uint64(r.Start)+uint64(r.Count)-1)
	}
	return strings.Join(parts, ", ")
}

// span is a closed interval of ids.
type span struct{ lo, hi uint64 }

func (s span) overlaps(o span) bool { return s.lo <= o.hi && o.lo <= s.hi }

// freeRange is the first range of 65536 ids from 100000 on, in steps of
// 65536, that contains neither own id and overlaps none of the user's
// ranges.
func freeRange(h *Host, files ...subIDFile) span {
	var avoid []span
	avoid = append(avoid, span{uint64(h.UID), uint64(h.UID)}, span{uint64(h.GID), uint64(h.GID)})
	for _, f := range files {
		for _, r := range f.ranges {
			avoid = append(avoid, span{uint64(r.Start), uint64(r.Start) + uint64(r.Count) - 1})
		}
	}
	for lo := uint64(fixStart); ; lo += minSubIDs {
		s := span{lo, lo + minSubIDs - 1}
		free := true
		for _, a := range avoid {
			if s.overlaps(a) {
				free = false
				break
			}
		}
		if free {
			return s
		}
	}
}

// checkSubIDs checks /etc/subuid and /etc/subgid: one result each.
func checkSubIDs(h *Host) []Result {
	u := readSubIDs(h, subUIDFile, "uid", h.UID)
	g := readSubIDs(h, subGIDFile, "gid", h.GID)
	// A suggested range avoids the user's own ids and the ranges of the
	// files it is for.
	add := func(files ...subIDFile) string {
		free := freeRange(h, files...)
		cmd := "sudo usermod"
		for _, f := range files {
			cmd += fmt.Sprintf(" --add-sub%ss %d-%d", f.kind, free.lo, free.hi)
		}
		return cmd + " " + h.User
	}
	fixMissing := func(f subIDFile) string {
		// When both files lack a range, one command fixes both.
		if len(u.ranges) == 0 && len(g.ranges) == 0 && u.err == nil && g.err == nil {
			return add(u, g)
		}
		return add(f)
	}
	return []Result{subIDResult(h, u, fixMissing(u), add(u)), subIDResult(h, g, fixMissing(g), add(g))}
}

func subIDResult(h *Host, f subIDFile, fixMissing, fixAdd string) Result {
	r := Result{Check: "sub" + f.kind, Status: StatusError}
	if f.err != nil {
		r.Message = fmt.Sprintf("cannot read %s: %v", f.path, f.err)
		if errors.Is(f.err, fs.ErrPermission) {
			r.Fix = "sudo chmod 0644 " + f.path
		}
		return r
	}
	if len(f.ranges) == 0 {
		r.Message = fmt.Sprintf("no range for user %s (%s %d) in %s: pod cannot create its user namespace", h.User, f.kind, f.own, f.path)
		r.Fix = fixMissing
		return r
	}
	own := span{uint64(f.own), uint64(f.own)}
	for _, rg := range f.ranges {
		s := span{uint64(rg.Start), uint64(rg.Start) + uint64(rg.Count) - 1}
		if s.overlaps(own) {
			free := freeRange(h, f)
			r.Message = fmt.Sprintf("range %d-%d of %s in %s contains the user's own %s %d: the kernel refuses to map it twice",
				s.lo, s.hi, h.User, f.path, f.kind, f.own)
			r.Fix = fmt.Sprintf("sudo usermod --del-sub%ss %d-%d --add-sub%ss %d-%d %s", f.kind, s.lo, s.hi, f.kind, free.lo, free.hi, h.User)
			return r
		}
	}
	n := f.total()
	if n < minSubIDs {
		r.Status = StatusWarning
		r.Message = fmt.Sprintf("%s has only %d %ss in %s (%s): images with %ss of %d and above (nobody is 65534) cannot be unpacked",
			h.User, n, f.kind, f.path, f.describe(), f.kind, n)
		r.Fix = fixAdd
		return r
	}
	r.Status = StatusOK
	r.Message = fmt.Sprintf("%s has %s (%d %ss) in %s", h.User, f.describe(), n, f.kind, f.path)
	return r
}

// checkIDMapper checks newuidmap or newgidmap: installed, and setuid root
// or holding the capability it needs as a file capability.
func checkIDMapper(h *Host, tool string, capability int) Result {
	r := Result{Check: tool, Status: StatusError}
	path, err := h.LookPath(tool)
	if err != nil {
		r.Message = tool + " not found on $PATH: pod cannot map the subordinate ids"
		r.Fix = uidmapPackageHint
		return r
	}
	st, err := h.Stat(path)
	if err != nil {
		r.Message = fmt.Sprintf("%s: %v", path, err)
		r.Fix = uidmapPackageHint
		return r
	}
	if st.UID == 0 && st.Mode&fs.ModeSetuid != 0 {
		r.Status, r.Message = StatusOK, path+" is setuid root"
		return r
	}
	capName := map[int]string{capSetUID: "cap_setuid", capSetGID: "cap_setgid"}[capability]
	if data, err := h.Getxattr(path, capabilityXattr); err == nil && hasFileCap(data, capability) {
		r.Status, r.Message = StatusOK, fmt.Sprintf("%s has the file capability %s", path, capName)
		return r
	}
	r.Message = fmt.Sprintf("%s is neither setuid root nor has the file capability %s: it cannot write the id maps", path, capName)
	r.Fix = "sudo chmod u+s " + path
	if st.UID != 0 {
		r.Fix = fmt.Sprintf("sudo chown root %s && sudo chmod u+s %s", path, path)
	}
	return r
}

// hasFileCap reports whether a security.capability value (struct
// vfs_cap_data, revision 1, 2 or 3) grants capability in the permitted set.
func hasFileCap(data []byte, capability int) bool {
	if len(data) < 4 {
		return false
	}
	magic := binary.LittleEndian.Uint32(data)
	words := 0
	switch magic & vfsCapRevMask {
	case vfsCapRevision1:
		words = 1
	case vfsCapRevision2, vfsCapRevision3:
		words = 2
	default:
		return false
	}
	if len(data) < 4+8*words || capability/32 >= words {
		return false
	}
	// Each word is {permitted, inheritable}.
	permitted := binary.LittleEndian.Uint32(data[4+8*(capability/32):])
	return permitted&(1<<(capability%32)) != 0
}
