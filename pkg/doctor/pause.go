package doctor

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pod-engine/pod/pkg/procfs"
	"github.com/pod-engine/pod/userns"
)

// IDMap is one line of a uid_map or gid_map.
type IDMap = procfs.IDMap

// WantIDMap is the map pod writes for the user's own id and ranges: the
// same triples userns.MapArgs gives newuidmap and newgidmap.
func WantIDMap(own int, ranges []userns.IDRange) []IDMap {
	args := userns.MapArgs(0, own, ranges)[1:]
	out := make([]IDMap, 0, len(args)/3)
	for i := 0; i+2 < len(args); i += 3 {
		var n [3]uint64
		for j := range n {
			n[j], _ = strconv.ParseUint(args[i+j], 10, 64)
		}
		out = append(out, IDMap{Inside: n[0], Outside: n[1], Count: n[2]})
	}
	return out
}

func formatIDMap(m []IDMap) string {
	parts := make([]string, len(m))
	for i, l := range m {
		parts[i] = fmt.Sprintf("%d %d %d", l.Inside, l.Outside, l.Count)
	}
	return strings.Join(parts, ", ")
}

// MapDiff is an id map of a namespace that differs from what the
// subordinate id files give now.
type MapDiff struct {
	File       string // /etc/subuid or /etc/subgid
	Have, Want []IDMap
}

func (d MapDiff) String() string {
	return fmt.Sprintf("%s gives %q, the namespace maps %q", d.File, formatIDMap(d.Want), formatIDMap(d.Have))
}

// CompareMaps compares the uid and gid maps of process pid (the pause
// process, or a container monitor in pod's namespace) with what pod would
// map today from /etc/subuid and /etc/subgid. No difference means the
// namespace is up to date.
func CompareMaps(h *Host, pid int) ([]MapDiff, error) {
	var diffs []MapDiff
	for _, f := range []struct {
		proc, file, kind string
		own              int
	}{
		{"uid_map", subUIDFile, "uid", h.UID},
		{"gid_map", subGIDFile, "gid", h.GID},
	} {
		ids := readSubIDs(h, f.file, f.kind, f.own)
		if ids.err != nil {
			return nil, fmt.Errorf("read %s: %w", f.file, ids.err)
		}
		path := fmt.Sprintf("/proc/%d/%s", pid, f.proc)
		data, err := h.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		have, err := procfs.ParseIDMap(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if want := WantIDMap(f.own, ids.ranges); !slices.Equal(have, want) {
			diffs = append(diffs, MapDiff{File: f.file, Have: have, Want: want})
		}
	}
	return diffs, nil
}
