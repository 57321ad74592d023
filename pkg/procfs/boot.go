package procfs

import (
	"os"
	"strconv"
	"strings"
	"time"
)

const bootIDFile = "/proc/sys/kernel/random/boot_id"

// BootID returns the id of the current boot, or "" when it cannot be read.
func BootID() string {
	b, err := os.ReadFile(bootIDFile)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// BootTime is when the system booted (btime of /proc/stat), zero if
// unreadable.
func BootTime() time.Time {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 {
				return time.Unix(n, 0)
			}
		}
	}
	return time.Time{}
}
