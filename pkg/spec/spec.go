package spec

import (
	"fmt"
	"maps"
	"path"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// ImageConfig is the part of an image's configuration a container uses.
type ImageConfig struct {
	Env, Entrypoint, Cmd []string
	WorkingDir           string
	User                 string
	StopSignal           string
	Labels               map[string]string
	// ExposedPorts are the image's EXPOSE ports ("80/tcp").
	ExposedPorts []string `json:",omitempty"`
	// Volumes are the image's VOLUME paths, sorted.
	Volumes []string `json:",omitempty"`
}

// Rlimit is a soft and hard resource limit.
type Rlimit struct {
	Soft, Hard uint64
}

// Options describes the container to generate a spec for.
type Options struct {
	ID, Name string
	// Rootfs is the mounted root filesystem (spec root.path), read-only
	// with ReadOnly (--read-only).
	Rootfs   string
	ReadOnly bool
	Image    ImageConfig
	// Command is what followed the image on the command line; it replaces
	// the image's CMD.
	Command []string
	// Entrypoint is --entrypoint: nil = the image's, "" = none, a JSON array
	// string is parsed as an array, anything else is a single word.
	Entrypoint *string
	// Env holds the -e/--env and --env-file values in order; "FOO" without
	// '=' takes FOO from HostEnv (see MergeEnv).
	Env []string
	// HostEnv is the caller's environment, for Env entries without '='.
	HostEnv []string
	// WorkDir is -w; empty = the image's working directory, else "/".
	WorkDir string
	// User is the already resolved identity (see ResolveUser).
	User User
	// Terminal allocates a pseudo-terminal for the process.
	Terminal bool
	// Stdin is carried for the caller: the spec has no setting for it.
	Stdin bool
	// Hostname is the container's hostname; empty = the first 12
	// characters of ID.
	Hostname string
	// NetworkMode is the container's network. Every mode but the host's
	// gives the container its own network namespace (pasta or slirp4netns
	// are attached to it by the monitor).
	NetworkMode protocol.NetworkMode
	// HostsPath, ResolvConfPath and HostnamePath are bind-mounted to
	// /etc/hosts, /etc/resolv.conf and /etc/hostname when not empty;
	// ContainerEnvPath to /run/.containerenv (see ContainerEnv).
	HostsPath, ResolvConfPath, HostnamePath, ContainerEnvPath string
	// Mounts are extra mounts (volumes) added after the defaults; one whose
	// destination is that of a default mount replaces it.
	Mounts []specs.Mount
	// Labels are carried for the caller: Generate does not write them into
	// the spec (copy them into Annotations to have them there).
	Labels map[string]string
	// Annotations are written to the spec as is.
	Annotations map[string]string
	// CgroupsPath is the container's cgroup; "" = no cgroup, no cgroup
	// namespace and no /sys/fs/cgroup mount.
	CgroupsPath string
	// Security holds --privileged, --cap-add, --cap-drop and
	// --security-opt.
	Security Security
	// CapLastCap is the highest capability number the kernel knows
	// (/proc/sys/kernel/cap_last_cap), bounding the privileged set; 0 = every
	// capability in AllCapabilities.
	CapLastCap int
	// RlimitNofile is RLIMIT_NOFILE for the process, usually the caller's
	// current limits; a zero Hard value omits the rlimit.
	RlimitNofile Rlimit
	// Sysctl are --sysctl values (see ParseSysctls); they win over the
	// defaults.
	Sysctl map[string]string
	// Umask is --umask; nil = DefaultUmask.
	Umask *uint32
	// GroupAdd are --group-add gids (see ResolveGroups), added to User's.
	GroupAdd []uint32
	// InitPath is the host's init binary (--init), mounted at InitPath and
	// run in front of the process; "" = none.
	InitPath string
	// LocaltimePath is a host file mounted read-only at /etc/localtime
	// (--tz); "" keeps the image's.
	LocaltimePath string
	// Devices are host device nodes bind-mounted into the container
	// (--device).
	Devices []Device
}

// Generate returns the OCI runtime spec of a rootless container. It runs
// inside the caller's user namespace, so the spec has no user namespace, no
// id mappings, no devices and no resources (the runtime binds the default
// devices itself; --device nodes are bind mounts).
func Generate(o *Options) (*specs.Spec, error) {
	if o == nil {
		return nil, invalidArg("generate spec: no options")
	}
	if o.Rootfs == "" || !path.IsAbs(o.Rootfs) {
		return nil, invalidArg("generate spec: the rootfs %q is not an absolute path", o.Rootfs)
	}
	ownNet, err := ownNetwork(o.NetworkMode)
	if err != nil {
		return nil, err
	}
	args, err := ProcessArgs(o.Image, o.Entrypoint, o.Command)
	if err != nil {
		return nil, fmt.Errorf("generate spec: %w", err)
	}
	cwd, err := workDir(o.WorkDir, o.Image.WorkingDir)
	if err != nil {
		return nil, fmt.Errorf("generate spec: %w", err)
	}
	hostname := o.Hostname
	if hostname == "" {
		hostname = o.ID
		if len(hostname) > 12 {
			hostname = hostname[:12]
		}
	}
	home := o.User.Home
	if home == "" {
		home = "/"
	}
	umask := DefaultUmask

	s := &specs.Spec{
		Version: OCIVersion,
		Process: &specs.Process{
			Terminal: o.Terminal,
			User: specs.User{
				UID:            o.User.UID,
				GID:            o.User.GID,
				Umask:          &umask,
				AdditionalGids: append([]uint32(nil), o.User.AdditionalGids...),
			},
			Args:         args,
			Env:          MergeEnv(DefaultEnv(hostname, home), o.Image.Env, o.Env, o.HostEnv),
			Cwd:          cwd,
			Capabilities: capabilities(o),
		},
		Root:     &specs.Root{Path: o.Rootfs, Readonly: o.ReadOnly},
		Hostname: hostname,
		Mounts:   mounts(o, ownNet),
		Linux: &specs.Linux{
			CgroupsPath: o.CgroupsPath,
			Namespaces:  namespaces(ownNet, o.CgroupsPath != ""),
		},
	}
	if o.RlimitNofile.Hard != 0 {
		s.Process.Rlimits = []specs.POSIXRlimit{{
			Type: "RLIMIT_NOFILE",
			Soft: o.RlimitNofile.Soft,
			Hard: o.RlimitNofile.Hard,
		}}
	}
	if len(o.Annotations) > 0 {
		s.Annotations = maps.Clone(o.Annotations)
	}
	if ownNet {
		s.Linux.Sysctl = map[string]string{"net.ipv4.ping_group_range": "0 0"}
	}
	applyRunFlags(s, o)
	sec := o.Security
	s.Process.NoNewPrivileges = sec.NoNewPrivileges
	s.Linux.MaskedPaths = maskedPaths(sec)
	s.Linux.ReadonlyPaths = readonlyPaths(sec)
	switch {
	case sec.Privileged || sec.Seccomp == "unconfined":
	case sec.Seccomp != "":
		sc, err := seccomp.LoadProfile(sec.Seccomp, s)
		if err != nil {
			return nil, invalidArg("seccomp profile: %v", err)
		}
		s.Linux.Seccomp = sc
	default:
		sc, err := seccomp.GetDefaultProfile(s)
		if err != nil {
			return nil, fmt.Errorf("generate spec: default seccomp profile: %w", err)
		}
		s.Linux.Seccomp = sc
	}
	return s, nil
}

// ownNetwork reports whether a network mode gives the container its own
// network namespace.
func ownNetwork(mode protocol.NetworkMode) (bool, error) {
	switch mode {
	case protocol.NetworkHost:
		return false, nil
	case protocol.NetworkDefault, protocol.NetworkNone, protocol.NetworkPasta, protocol.NetworkSlirp4netns,
		protocol.NetworkContainer, protocol.NetworkNS:
		return true, nil
	}
	return false, invalidArg("generate spec: unsupported network mode %q", mode)
}

// workDir picks -w, else the image's working directory, else "/".
func workDir(flag, image string) (string, error) {
	if flag != "" {
		if !path.IsAbs(flag) {
			return "", invalidArg("the working directory %q is not an absolute path", flag)
		}
		return path.Clean(flag), nil
	}
	if image != "" {
		return path.Join("/", image), nil
	}
	return "/", nil
}

// capabilities returns the process capabilities: the default set as the
// security settings change it (all of them when privileged) in the bounding
// set, and in the effective and permitted sets only for uid 0.
func capabilities(o *Options) *specs.LinuxCapabilities {
	set := capabilitySet(o.Security, o.CapLastCap)
	c := &specs.LinuxCapabilities{Bounding: set}
	if o.User.UID == 0 {
		c.Effective = append([]string(nil), set...)
		c.Permitted = append([]string(nil), set...)
	}
	return c
}

// namespaces returns pid, network (unless the host's), ipc, uts, mount and,
// with a cgroup, cgroup.
func namespaces(ownNet, cgroup bool) []specs.LinuxNamespace {
	ns := []specs.LinuxNamespace{{Type: specs.PIDNamespace}}
	if ownNet {
		ns = append(ns, specs.LinuxNamespace{Type: specs.NetworkNamespace})
	}
	ns = append(ns,
		specs.LinuxNamespace{Type: specs.IPCNamespace},
		specs.LinuxNamespace{Type: specs.UTSNamespace},
		specs.LinuxNamespace{Type: specs.MountNamespace},
	)
	if cgroup {
		ns = append(ns, specs.LinuxNamespace{Type: specs.CgroupNamespace})
	}
	return ns
}

// mounts returns the default mounts, the bind mounts of the generated /etc
// files and the extra mounts, parents before children.
func mounts(o *Options, ownNet bool) []specs.Mount {
	ro := "ro"
	if o.Security.Privileged {
		ro = "rw"
	}
	ms := []specs.Mount{
		{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
		{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "noexec", "strictatime", "mode=755", "size=65536k"}},
		{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}},
		{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
		{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
	}
	if ownNet {
		ms = append(ms, specs.Mount{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", ro}})
	} else {
		// sysfs can only be mounted by the owner of the network namespace:
		// with the host's, bind the host's /sys instead.
		ms = append(ms, specs.Mount{Destination: "/sys", Type: "bind", Source: "/sys", Options: []string{"rbind", "rprivate", "nosuid", "noexec", "nodev", ro}})
	}
	if o.CgroupsPath != "" {
		ms = append(ms, specs.Mount{Destination: "/sys/fs/cgroup", Type: "cgroup", Source: "cgroup", Options: []string{"rprivate", "nosuid", "noexec", "nodev", "relatime", ro}})
	}
	for _, f := range []struct{ dst, src string }{
		{"/etc/hosts", o.HostsPath},
		{"/etc/resolv.conf", o.ResolvConfPath},
		{"/etc/hostname", o.HostnamePath},
		{"/run/.containerenv", o.ContainerEnvPath},
	} {
		if f.src != "" {
			ms = append(ms, specs.Mount{Destination: f.dst, Type: "bind", Source: f.src, Options: []string{"bind", "rprivate"}})
		}
	}
	for _, m := range o.Mounts {
		m.Options = append([]string(nil), m.Options...)
		dst := path.Clean(m.Destination)
		m.Destination = dst
		replaced := false
		for i := range ms {
			if ms[i].Destination == dst {
				ms[i], replaced = m, true
				break
			}
		}
		if !replaced {
			ms = append(ms, m)
		}
	}
	return ms
}
