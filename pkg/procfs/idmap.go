package procfs

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// IDMap is one line of /proc/PID/uid_map or gid_map: Count ids from Inside
// in the namespace are the ids from Outside in the parent namespace.
type IDMap struct {
	Inside, Outside, Count uint64
}

// ParseIDMap reads the contents of a uid_map or gid_map file.
func ParseIDMap(data []byte) ([]IDMap, error) {
	var out []IDMap
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("bad id map line %q", sc.Text())
		}
		var n [3]uint64
		for i := range f {
			v, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				return nil, fmt.Errorf("bad id map line %q: %w", sc.Text(), err)
			}
			n[i] = v
		}
		out = append(out, IDMap{Inside: n[0], Outside: n[1], Count: n[2]})
	}
	return out, sc.Err()
}

// UnifiedCgroup returns the cgroup v2 path ("0::/path") in the contents of
// a /proc/PID/cgroup file, or "".
func UnifiedCgroup(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			return p
		}
	}
	return ""
}
