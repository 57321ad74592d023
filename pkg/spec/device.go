package spec

import (
	"path"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Device is a host device node made available in the container (--device).
type Device struct {
	// Source is the node on the host, Destination its path in the
	// container (Source when not given).
	Source      string `json:"source"`
	Destination string `json:"destination"`
	// Permissions are the cgroup permissions asked for, some of "rwm"
	// ("rwm" when not given). Rootless containers have no device cgroup:
	// the node's own mode decides, as under podman.
	Permissions string `json:"permissions"`
}

// validDeviceMode reports whether s is some of r, w and m, each once.
func validDeviceMode(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i, c := range s {
		if !strings.ContainsRune("rwm", c) || strings.ContainsRune(s[i+1:], c) {
			return false
		}
	}
	return true
}

// ParseDevice parses a --device value, SOURCE[:DESTINATION][:PERMISSIONS],
// with podman's rules and messages: a second field that is not an
// absolute path must be permissions. Both paths must be absolute; they are
// cleaned. Whether the source is a device is the caller's to check.
// Errors wrap define.ErrInvalidArg.
func ParseDevice(s string) (Device, error) {
	d := Device{Permissions: "rwm"}
	f := strings.Split(s, ":")
	switch len(f) {
	case 3:
		if !validDeviceMode(f[2]) {
			return d, invalidArg("invalid device mode: %s", f[2])
		}
		d.Permissions = f[2]
		fallthrough
	case 2:
		switch {
		case validDeviceMode(f[1]) && len(f) == 2:
			d.Permissions = f[1]
		case strings.HasPrefix(f[1], "/"):
			d.Destination = f[1]
		default:
			return d, invalidArg("invalid device mode: %s", f[1])
		}
		fallthrough
	case 1:
		d.Source = f[0]
	default:
		return d, invalidArg("invalid device specification: %s", s)
	}
	if !path.IsAbs(d.Source) {
		return d, invalidArg("--device %s: the device %q is not an absolute path", s, d.Source)
	}
	d.Source = path.Clean(d.Source)
	if d.Destination == "" {
		d.Destination = d.Source
	}
	d.Destination = path.Clean(d.Destination)
	if d.Destination == "/" {
		return d, invalidArg("--device %s: the destination cannot be /", s)
	}
	return d, nil
}

// applyDevices bind-mounts the device nodes: a rootless container cannot
// make them (mknod), so, as podman does rootless, the host's node is
// mounted where the container wants it.
func applyDevices(s *specs.Spec, devs []Device) {
	for _, d := range devs {
		s.Mounts = append(s.Mounts, specs.Mount{Destination: d.Destination, Type: "bind", Source: d.Source,
			Options: []string{"bind", "rprivate", "nosuid", "noexec"}})
	}
}
