package procfs

import (
	"os"
	"strings"
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
