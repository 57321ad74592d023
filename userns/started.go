package userns

import (
	"bytes"
	"os"
)

// StartedInNamespace reports whether this process was started inside pod's
// user and mount namespace, as `pod unshare` starts its command (the
// command inherits _POD_USERNS_CONFIGURED), rather than joining it in its
// constructor. /proc/self/environ is the environment the process was
// started with: the constructor's setenv does not change it.
func StartedInNamespace() bool {
	data, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		return false
	}
	return startedInside(data)
}

// startedInside reports whether an initial environment (NUL-separated)
// sets _POD_USERNS_CONFIGURED to a non-empty value.
func startedInside(environ []byte) bool {
	for _, kv := range bytes.Split(environ, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("_POD_USERNS_CONFIGURED=")); ok && len(v) > 0 {
			return true
		}
	}
	return false
}
