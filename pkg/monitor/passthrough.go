package monitor

import "os"

// passthroughOutput is the container's stdout and stderr with the
// passthrough log driver: the attached client's own descriptors, or
// devNull where it has none.
func passthroughOutput(attach [3]*os.File, devNull *os.File) (stdout, stderr *os.File) {
	stdout, stderr = devNull, devNull
	if attach[1] != nil {
		stdout = attach[1]
	}
	if attach[2] != nil {
		stderr = attach[2]
	}
	return stdout, stderr
}
