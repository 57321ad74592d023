package spec

import specs "github.com/opencontainers/runtime-spec/specs-go"

// InitPath is where --init's binary is mounted in the container, read-only;
// podman's path.
const InitPath = "/run/podman-init"

// InitCandidates are the host paths searched for an init binary when
// --init is given without --init-path, in order: catatonit (podman's), then
// tini.
func InitCandidates() []string {
	return []string{"/usr/libexec/podman/catatonit", "/usr/bin/catatonit", "/usr/bin/tini-static", "/usr/bin/tini"}
}

// InitArgs returns the process arguments with the init in front:
// InitPath -- args....
func InitArgs(args []string) []string {
	return append([]string{InitPath, "--"}, args...)
}

// applyInit mounts the host's init binary and runs the process under it;
// host "" does nothing.
func applyInit(s *specs.Spec, host string) {
	if host == "" {
		return
	}
	s.Process.Args = InitArgs(s.Process.Args)
	s.Mounts = append(s.Mounts, specs.Mount{Destination: InitPath, Type: "bind", Source: host,
		Options: []string{"bind", "rprivate", "ro"}})
}
