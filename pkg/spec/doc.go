// Package spec turns container create options and an image's configuration
// into an OCI runtime spec for a rootless container. It owns:
//
//   - Generate: Options → *specs.Spec (process, mounts, namespaces,
//     capabilities, seccomp, masked and read-only paths, sysctls);
//   - ProcessArgs and MergeEnv: the entrypoint/command and environment rules;
//   - ResolveUser: a --user value resolved against the container's own
//     /etc/passwd and /etc/group, opened without following symlinks out of
//     the rootfs;
//   - HostsFile and ResolvConf: the contents of the container's /etc/hosts
//     and /etc/resolv.conf;
//   - the run flags' syntax and podman's rules: ParseSysctls, ParseUmask,
//     ParseGroupAdd and ResolveGroups, ParseDevice, ZonePath; Generate
//     applies them with the init (InitPath) and /etc/localtime mounts;
//   - the default tables (capabilities, masked and read-only paths).
//
// Everything here is a pure function of its inputs except ResolveUser and
// ResolveGroups, which only read /etc/passwd and /etc/group below the given
// rootfs. Nothing is written to disk and no package state is kept. Bad
// input is reported with errors wrapping define.ErrInvalidArg.
package spec
