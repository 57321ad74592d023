package spec

import (
	"slices"
	"strings"
)

// Security are a container's security settings beyond the defaults: what
// --privileged, --cap-add, --cap-drop and --security-opt ask for.
type Security struct {
	// Privileged grants every capability (up to the kernel's last) and
	// drops seccomp and the masked and read-only paths; it stays confined
	// to the user namespace.
	Privileged bool
	// CapAdd and CapDrop change the default capability set, drops first;
	// "ALL" stands for every capability. Names are normalized (see
	// ParseCapabilities).
	CapAdd, CapDrop []string
	// NoNewPrivileges sets the process's no_new_privs bit.
	NoNewPrivileges bool
	// Seccomp is "" for the default profile, "unconfined" for none, else a
	// profile in the JSON format of the default one.
	Seccomp string
	// Mask adds masked paths; Unmask removes masked and read-only paths
	// ("ALL": every one).
	Mask, Unmask []string
}

// ParseCapabilities normalizes capability names as the CLI accepts them:
// any case, with or without "CAP_", or "ALL". An unknown name is an error
// wrapping define.ErrInvalidArg.
func ParseCapabilities(in []string) ([]string, error) {
	var out []string
	for _, c := range in {
		for _, name := range strings.Split(c, ",") {
			n := strings.ToUpper(strings.TrimSpace(name))
			if n == "" {
				continue
			}
			if n == "ALL" {
				out = append(out, n)
				continue
			}
			if !strings.HasPrefix(n, "CAP_") {
				n = "CAP_" + n
			}
			if !slices.Contains(AllCapabilities(), n) {
				return nil, invalidArg("unknown capability %q", name)
			}
			out = append(out, n)
		}
	}
	return out, nil
}

// CapabilitySet is the capability set a container's process gets with sec
// (bounding, effective and permitted alike); last is the kernel's last
// capability (0: every one pod knows).
func CapabilitySet(sec Security, last int) []string {
	return capabilitySet(sec, last)
}

// capabilitySet applies the security settings to the default set; last is
// the kernel's last capability (0: every one pod knows).
func capabilitySet(sec Security, last int) []string {
	all := AllCapabilities()
	if last > 0 && last < len(all)-1 {
		all = all[:last+1]
	}
	if sec.Privileged {
		return all
	}
	set := DefaultCapabilities()
	if slices.Contains(sec.CapDrop, "ALL") {
		set = nil
	} else {
		set = slices.DeleteFunc(set, func(c string) bool { return slices.Contains(sec.CapDrop, c) })
	}
	if slices.Contains(sec.CapAdd, "ALL") {
		return all
	}
	for _, c := range sec.CapAdd {
		if !slices.Contains(set, c) && slices.Contains(all, c) {
			set = append(set, c)
		}
	}
	return set
}

// maskedPaths and readonlyPaths are the defaults with Mask and Unmask
// applied.
func maskedPaths(sec Security) []string {
	if sec.Privileged {
		return nil
	}
	return unmask(append(DefaultMaskedPaths(), sec.Mask...), sec.Unmask)
}

func readonlyPaths(sec Security) []string {
	if sec.Privileged {
		return nil
	}
	return unmask(DefaultReadonlyPaths(), sec.Unmask)
}

func unmask(paths, remove []string) []string {
	if slices.Contains(remove, "ALL") {
		return nil
	}
	return slices.DeleteFunc(paths, func(p string) bool { return slices.Contains(remove, p) })
}
