package spec

import (
	"fmt"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
)

// ipcSysctl reports whether k is a kernel.* sysctl of the ipc namespace:
// a container may set those, as podman allows.
func ipcSysctl(k string) bool {
	switch k {
	case "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced":
		return true
	}
	return false
}

// ParseSysctls validates --sysctl KEY=VALUE values, with podman's rules and
// messages: only namespaced sysctls are allowed (net.* of the container's
// own network namespace, the ipc namespace's kernel.msg*, kernel.sem,
// kernel.shm* and fs.mqueue.*); ownNet is false with --network host, where
// net.* would be the host's. A later value of a key wins. Errors wrap
// define.ErrInvalidArg.
func ParseSysctls(in []string, ownNet bool) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(in))
	for _, kv := range in {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, invalidArg("%s is invalid, sysctl values must be in the form of KEY=VALUE", kv)
		}
		if strings.TrimSpace(k) != k || strings.TrimSpace(v) != v {
			return nil, invalidArg("'%s' is invalid, extra spaces found", kv)
		}
		if strings.ContainsAny(k, "/ \t\n") {
			return nil, invalidArg("sysctl '%s' is not allowed", k)
		}
		allowed := ipcSysctl(k) || strings.HasPrefix(k, "net.") || strings.HasPrefix(k, "fs.mqueue.")
		if !allowed {
			return nil, invalidArg("sysctl '%s' is not allowed", k)
		}
		if strings.HasPrefix(k, "net.") && !ownNet {
			return nil, fmt.Errorf("sysctl %s can't be set since Network Namespace set to host: %w", kv, define.ErrInvalidArg)
		}
		out[k] = v
	}
	return out, nil
}
