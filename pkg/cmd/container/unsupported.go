package container

import (
	"fmt"
	"slices"

	"github.com/spf13/pflag"
)

// pendingFlag is a flag of podman's run and create that pod parses but does
// not implement yet: given with any value but the ones in accept (what pod
// does anyway), the command fails naming it, and nothing is created.
type pendingFlag struct {
	name, kind, def, usage string
	// accept are the values pod honours as they are ("*": every value).
	accept []string
	// why completes the refusal ("" for none).
	why string
}

// pendingCreateFlags lists them, with their podman types and defaults.
func pendingCreateFlags() []pendingFlag {
	const (
		str, arr, bl, uintK, intK = "string", "stringArray", "bool", "uint", "int"
	)
	noPods := "pod has no pods yet"
	return []pendingFlag{
		{name: "disable-content-trust", kind: bl, def: "false", usage: "accepted for Docker compatibility; does nothing", accept: []string{"*"}},
		{name: "ip6", kind: str, usage: "static IPv6 address of the container", why: "pod's user networks are IPv4 only"},
		{name: "pod", kind: str, usage: "run the container in an existing pod", why: noPods},
		{name: "pod-id-file", kind: str, usage: "read the pod id from the file", why: noPods},
		{name: "sdnotify", kind: str, def: "container", usage: "how to handle NOTIFY_SOCKET (container, conmon, ignore)", accept: []string{"container", "ignore"}},
		{name: "seccomp-policy", kind: str, def: "default", usage: "seccomp policy (default; image is not supported yet)", accept: []string{"default"}},
		{name: "secret", kind: arr, usage: "add a secret to the container"},
		{name: "subgidname", kind: str, usage: "map the container's GIDs with this name of /etc/subgid"},
		{name: "subuidname", kind: str, usage: "map the container's UIDs with this name of /etc/subuid"},
		{name: "systemd", kind: str, def: "true", usage: "systemd mode (pod has none: only false)", accept: []string{"false"}, why: "pod has no systemd mode: use --systemd=false"},
	}
}

// addPendingFlags defines the pending flags on fs.
func addPendingFlags(fs *pflag.FlagSet) {
	for _, p := range pendingCreateFlags() {
		switch p.kind {
		case "bool":
			fs.Bool(p.name, p.def == "true", p.usage)
		case "stringArray":
			fs.StringArray(p.name, nil, p.usage)
		case "uint":
			fs.Uint(p.name, 0, p.usage)
		case "int":
			def := int64(0)
			if p.def == "-1" {
				def = -1
			}
			fs.Int64(p.name, def, p.usage)
		default:
			fs.String(p.name, p.def, p.usage)
		}
	}
}

// checkPendingFlags refuses the first pending flag given with a value pod
// does not honour.
func checkPendingFlags(fs *pflag.FlagSet) error {
	for _, p := range pendingCreateFlags() {
		fl := fs.Lookup(p.name)
		if fl == nil || !fl.Changed {
			continue
		}
		if slices.Contains(p.accept, "*") {
			continue
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			if len(sv.GetSlice()) == 0 {
				continue
			}
		} else if slices.Contains(p.accept, fl.Value.String()) {
			continue
		}
		return notSupportedYet(p.name, p.why)
	}
	return nil
}

// notSupportedYet is the refusal of a flag pod parses but cannot honour.
func notSupportedYet(flag, why string) error {
	if why != "" {
		return fmt.Errorf("not supported yet: --%s (%s)", flag, why)
	}
	return fmt.Errorf("not supported yet: --%s", flag)
}
