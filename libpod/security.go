package libpod

import (
	"fmt"
	"os"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

// securityConfig turns --privileged, --cap-add, --cap-drop and
// --security-opt into the container's security settings. A seccomp
// profile file is read now: the container keeps the profile it was
// created with.
func securityConfig(privileged bool, capAdd, capDrop, opts []string) (spec.Security, error) {
	sec := spec.Security{Privileged: privileged}
	var err error
	if sec.CapAdd, err = spec.ParseCapabilities(capAdd); err != nil {
		return sec, fmt.Errorf("--cap-add: %w", err)
	}
	if sec.CapDrop, err = spec.ParseCapabilities(capDrop); err != nil {
		return sec, fmt.Errorf("--cap-drop: %w", err)
	}
	for _, o := range opts {
		k, v, hasValue := strings.Cut(o, "=")
		if !hasValue {
			k, v, hasValue = strings.Cut(o, ":") // the old "seccomp:unconfined" form
		}
		switch {
		case k == "no-new-privileges" && (!hasValue || v == "true"):
			sec.NoNewPrivileges = true
		case k == "no-new-privileges" && v == "false":
			sec.NoNewPrivileges = false
		case k == "seccomp" && v == "unconfined":
			sec.Seccomp = "unconfined"
		case k == "seccomp" && v != "":
			data, err := os.ReadFile(v)
			if err != nil {
				return sec, fmt.Errorf("--security-opt %s: read the seccomp profile: %w: %w", o, err, define.ErrInvalidArg)
			}
			sec.Seccomp = string(data)
		case (k == "mask" || k == "unmask") && v != "":
			paths := strings.Split(v, ":")
			for _, p := range paths {
				if p != "ALL" && !strings.HasPrefix(p, "/") {
					return sec, fmt.Errorf("--security-opt %s: %q is not an absolute path: %w", o, p, define.ErrInvalidArg)
				}
			}
			if k == "mask" {
				sec.Mask = append(sec.Mask, paths...)
			} else {
				sec.Unmask = append(sec.Unmask, paths...)
			}
		case (k == "label" || k == "apparmor") && v != "":
			// No SELinux labels or AppArmor profiles are applied by pod.
			logrus.Debugf("--security-opt %s: accepted, nothing to apply", o)
		default:
			return sec, fmt.Errorf("--security-opt %q is not supported: use no-new-privileges, seccomp=unconfined|PROFILE, mask=PATHS, unmask=PATHS|ALL, label=... or apparmor=...: %w",
				o, define.ErrInvalidArg)
		}
	}
	return sec, nil
}
