package libpod

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
)

// runSettings are the validated --sysctl, --group-add, --umask, --tz, --init
// and --device values of a create (see ContainerConfig for their meaning).
type runSettings struct {
	sysctl   map[string]string
	groupAdd []string
	umask    string
	timezone string
	initPath string
	devices  []spec.Device
}

// runFlags validates the run flags of o for a container of the given
// network mode; the host files they name (zone, init binary, devices) are
// checked now.
func (o *CreateOptions) runFlags(mode protocol.NetworkMode) (runSettings, error) {
	var rf runSettings
	var err error
	if rf.sysctl, err = spec.ParseSysctls(o.Sysctl, mode != protocol.NetworkHost); err != nil {
		return rf, err
	}
	if rf.groupAdd, err = spec.ParseGroupAdd(o.GroupAdd); err != nil {
		return rf, err
	}
	if o.Umask != "" {
		u, err := spec.ParseUmask(o.Umask)
		if err != nil {
			return rf, err
		}
		rf.umask = spec.FormatUmask(u)
	}
	if o.Timezone != "" {
		if _, err := zoneFile(o.Timezone); err != nil {
			return rf, err
		}
		rf.timezone = o.Timezone
	}
	if o.Init {
		if rf.initPath, err = findInit(o.InitPath, spec.InitCandidates()); err != nil {
			return rf, err
		}
	}
	for _, v := range o.Devices {
		d, err := spec.ParseDevice(v)
		if err != nil {
			return rf, err
		}
		if err := checkDevice(v, d); err != nil {
			return rf, err
		}
		rf.devices = append(rf.devices, d)
	}
	return rf, nil
}

// zoneFile returns the host's file of a --tz value, which must be a
// time zone file (TZif).
func zoneFile(tz string) (string, error) {
	p, err := spec.ZonePath(spec.ZoneinfoDir, tz)
	if err != nil {
		return "", err
	}
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("--tz %s: unknown time zone: %s does not exist: %w", tz, p, define.ErrInvalidArg)
		}
		return "", fmt.Errorf("--tz %s: %w: %w", tz, err, define.ErrInvalidArg)
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil || !bytes.Equal(magic, []byte("TZif")) {
		return "", fmt.Errorf("--tz %s: %s is not a time zone file: %w", tz, p, define.ErrInvalidArg)
	}
	return p, nil
}

// findInit returns the init binary of --init: --init-path when given, else
// the first statically linked one of candidates (spec.InitCandidates; a
// dynamically linked one may not run in the container's root filesystem).
func findInit(initPath string, candidates []string) (string, error) {
	if initPath != "" {
		if err := checkExecutable(initPath); err != nil {
			return "", fmt.Errorf("container-init binary not found on the host: %w: %w", err, define.ErrInvalidArg)
		}
		return initPath, nil
	}
	for _, p := range candidates {
		if checkExecutable(p) == nil && staticELF(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("--init: no container-init binary found on the host (looked for a static %s): install one with `apt-get install catatonit`, or name one with --init-path: %w",
		strings.Join(candidates, ", "), define.ErrMissingTool)
}

// checkExecutable checks that p is a regular file someone may execute.
func checkExecutable(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() || st.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", p)
	}
	return nil
}

// staticELF reports whether p is an ELF executable without an interpreter.
func staticELF(p string) bool {
	f, err := elf.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return false
		}
	}
	return true
}

// checkDevice checks that a --device source is a device node the user may
// open as its permissions ask: a rootless container gets the host's node
// bind-mounted, with the user's own access to it.
func checkDevice(flag string, d spec.Device) error {
	st, err := os.Stat(d.Source)
	if err != nil {
		return fmt.Errorf("--device %s: %w: %w", flag, err, define.ErrInvalidArg)
	}
	switch {
	case st.IsDir():
		return fmt.Errorf("--device %s: %s is a directory: name its device nodes one by one: %w", flag, d.Source, define.ErrInvalidArg)
	case st.Mode()&fs.ModeDevice == 0:
		return fmt.Errorf("--device %s: %s is not a valid device: not a device node: %w", flag, d.Source, define.ErrInvalidArg)
	}
	mode, want := uint32(unix.F_OK), []string{}
	if strings.Contains(d.Permissions, "r") {
		mode |= unix.R_OK
		want = append(want, "reading")
	}
	if strings.Contains(d.Permissions, "w") {
		mode |= unix.W_OK
		want = append(want, "writing")
	}
	if len(want) == 0 {
		want = append(want, "use")
	}
	if err := unix.Access(d.Source, mode); err != nil {
		return fmt.Errorf("--device %s: %s cannot be opened for %s by the user (%v): grant access (setfacl -m u:%s:rw %s) or ask for less (%s:r): %w",
			flag, d.Source, strings.Join(want, " and "), err, hostUser(), d.Source, d.Source, define.ErrInvalidArg)
	}
	return nil
}

// addRunFlags puts the run flags of c into the spec options of a start:
// group names are resolved in the mounted rootfs, and the host files are
// checked again (a device unplugged, an init binary removed).
func (c *Container) addRunFlags(o *spec.Options, rootfs string) error {
	cfg := c.Config
	o.Sysctl = cfg.Sysctl
	if cfg.Umask != "" {
		u, err := spec.ParseUmask(cfg.Umask)
		if err != nil {
			return err
		}
		o.Umask = &u
	}
	gids, err := spec.ResolveGroups(rootfs, cfg.GroupAdd)
	if err != nil {
		return err
	}
	o.GroupAdd = gids
	if cfg.InitPath != "" {
		if err := checkExecutable(cfg.InitPath); err != nil {
			return fmt.Errorf("--init: container-init binary not found on the host: %w: %w", err, define.ErrMissingTool)
		}
		o.InitPath = cfg.InitPath
	}
	if cfg.Timezone != "" {
		if o.LocaltimePath, err = zoneFile(cfg.Timezone); err != nil {
			return err
		}
	}
	for _, d := range cfg.Devices {
		if err := checkDevice(d.Source, d); err != nil {
			return err
		}
	}
	o.Devices = cfg.Devices
	return nil
}

// InspectDevice is one entry of HostConfig.Devices.
type InspectDevice struct {
	PathOnHost        string `json:"PathOnHost"`
	PathInContainer   string `json:"PathInContainer"`
	CgroupPermissions string `json:"CgroupPermissions"`
}

// inspectRunFlags fills in what the run flags show in inspect: podman's
// Config.Umask, Config.Timezone, HostConfig.GroupAdd, HostConfig.Init (and
// the init in Path and Args), HostConfig.Devices, and docker's
// HostConfig.Sysctls.
func (c *Container) inspectRunFlags(out *InspectContainer) {
	cfg := c.Config
	out.Config.Umask = spec.FormatUmask(spec.DefaultUmask)
	if cfg.Umask != "" {
		out.Config.Umask = cfg.Umask
	}
	out.Config.Timezone = cfg.Timezone
	out.HostConfig.Sysctls = cfg.Sysctl
	if out.HostConfig.Sysctls == nil {
		out.HostConfig.Sysctls = map[string]string{}
	}
	out.HostConfig.GroupAdd = nonNil(cfg.GroupAdd)
	out.HostConfig.Init = cfg.InitPath != ""
	if out.HostConfig.Init && out.Path != "" {
		out.Args = append([]string{"--", out.Path}, out.Args...)
		out.Path = spec.InitPath
	}
	out.HostConfig.Devices = []InspectDevice{}
	for _, d := range cfg.Devices {
		out.HostConfig.Devices = append(out.HostConfig.Devices,
			InspectDevice{PathOnHost: d.Source, PathInContainer: d.Destination, CgroupPermissions: d.Permissions})
	}
}
