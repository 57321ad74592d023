package libpod

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/spec"
)

// ExtraOptions are the run flags of runextras.go as given: --annotation,
// --pidfile, --conmon-pidfile, --personality, --env-merge, --unsetenv,
// --unsetenv-all, --timeout, --requires, --pid, --ipc, --uts and
// --cgroupns.
type ExtraOptions struct {
	Annotations            []string
	PidFile, ConmonPidFile string
	Personality            string
	Env                    spec.EnvExtras
	Timeout                uint
	Requires               []string
	PID, IPC, UTS          string
	CgroupNS               string
}

// RunExtras are the validated extra options, kept in the config.
type RunExtras struct {
	Annotations map[string]string `json:"annotations,omitempty"`
	// PidFile and ConmonPidFile are absolute paths the container's and
	// the monitor's pids are written to at each start.
	PidFile       string                       `json:"pidFile,omitempty"`
	ConmonPidFile string                       `json:"conmonPidFile,omitempty"`
	Personality   specs.LinuxPersonalityDomain `json:"personality,omitempty"`
	Env           spec.EnvExtras               `json:"env,omitempty"`
	// Timeout: the monitor kills the container after this many seconds.
	Timeout uint `json:"timeout,omitempty"`
	// Requires are the ids of the containers started before this one.
	Requires []string       `json:"requires,omitempty"`
	PID      spec.Namespace `json:"pid,omitempty"`
	IPC      spec.Namespace `json:"ipc,omitempty"`
	UTS      spec.Namespace `json:"uts,omitempty"`
	CgroupNS spec.Namespace `json:"cgroupns,omitempty"`
}

// parse validates o (the containers of --requires and container:NAME
// are resolved by resolve).
func (o *ExtraOptions) parse() (RunExtras, error) {
	var x RunExtras
	var err error
	if x.Annotations, err = spec.ParseAnnotations(o.Annotations); err != nil {
		return x, fmt.Errorf("%w: %w", err, define.ErrInvalidArg)
	}
	for _, p := range []struct {
		flag, v string
		dst     *string
	}{{"pidfile", o.PidFile, &x.PidFile}, {"conmon-pidfile", o.ConmonPidFile, &x.ConmonPidFile}} {
		if p.v == "" {
			continue
		}
		if *p.dst, err = filepath.Abs(p.v); err != nil {
			return x, fmt.Errorf("--%s %s: %w: %w", p.flag, p.v, err, define.ErrInvalidArg)
		}
	}
	if o.Personality != "" {
		if x.Personality, err = spec.ParsePersonality(o.Personality); err != nil {
			return x, fmt.Errorf("%w: %w", err, define.ErrInvalidArg)
		}
	}
	for _, kv := range o.Env.Merge {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return x, fmt.Errorf("--env-merge %q: use NAME=VALUE: %w", kv, define.ErrInvalidArg)
		}
	}
	x.Env, x.Timeout, x.Requires = o.Env, o.Timeout, o.Requires
	for _, n := range []struct {
		flag, v string
		dst     *spec.Namespace
		modes   []string
	}{
		{"pid", o.PID, &x.PID, []string{"host", "container", "ns"}},
		{"ipc", o.IPC, &x.IPC, []string{"host", "container", "shareable", "none"}},
		{"uts", o.UTS, &x.UTS, []string{"host", "container", "ns"}},
		{"cgroupns", o.CgroupNS, &x.CgroupNS, []string{"host"}},
	} {
		if *n.dst, err = spec.ParseNamespace(n.flag, n.v, n.modes...); err != nil {
			return x, fmt.Errorf("%w: %w", err, define.ErrInvalidArg)
		}
	}
	if x.IPC.Mode == "shareable" {
		x.IPC = spec.Namespace{}
	}
	return x, nil
}

// resolveExtras turns the container names of --requires and of the
// container:NAME namespaces into ids.
func (r *Runtime) resolveExtras(x *RunExtras) error {
	for i, name := range x.Requires {
		other, err := r.lookupContainer(name)
		if err != nil {
			return fmt.Errorf("--requires %s: %w", name, err)
		}
		x.Requires[i] = other.ID()
	}
	for flag, ns := range map[string]*spec.Namespace{"pid": &x.PID, "ipc": &x.IPC, "uts": &x.UTS} {
		if ns.Mode != "container" {
			continue
		}
		other, err := r.lookupContainer(ns.Target)
		if err != nil {
			return fmt.Errorf("--%s container:%s: %w", flag, ns.Target, err)
		}
		ns.Target = other.ID()
	}
	return nil
}

// dependencies are the containers c needs running: --requires and the
// containers whose namespaces it joins.
func (c *Container) dependencies() []string {
	x := c.Config.Extras
	deps := append([]string(nil), x.Requires...)
	for _, ns := range []spec.Namespace{x.PID, x.IPC, x.UTS} {
		if ns.Mode == "container" {
			deps = append(deps, ns.Target)
		}
	}
	return deps
}

// startRequired starts the containers of --requires that are not running.
func (c *Container) startRequired(ctx context.Context) error {
	for _, id := range c.Config.Extras.Requires {
		other, err := c.r.Container(id)
		if err != nil {
			return fmt.Errorf("container %s requires container %s: %w", c.Name(), id, err)
		}
		if other.State.Status.IsActive() {
			continue
		}
		if _, err := other.start(ctx, nil); err != nil {
			return fmt.Errorf("container %s requires container %s: %w", c.Name(), other.Name(), err)
		}
	}
	return nil
}

// nsPath is the namespace file of type kind (pid, ipc, uts) that ns
// joins ("" for private and host).
func (c *Container) nsPath(kind string, ns spec.Namespace) (string, error) {
	switch ns.Mode {
	case "ns":
		if _, err := os.Stat(ns.Target); err != nil {
			return "", fmt.Errorf("--%s ns:%s: %w: %w", kind, ns.Target, err, define.ErrInvalidArg)
		}
		return ns.Target, nil
	case "container":
		other, err := c.r.Container(ns.Target)
		if err != nil {
			return "", fmt.Errorf("--%s container:%s: %w", kind, ns.Target, err)
		}
		if other.State.Status != define.StatusRunning && other.State.Status != define.StatusPaused {
			return "", fmt.Errorf("container %s joins the %s namespace of container %s, which is not running: start it first (pod start %s): %w",
				c.Name(), kind, other.Name(), other.Name(), define.ErrCtrStateInvalid)
		}
		return fmt.Sprintf("/proc/%d/ns/%s", other.State.Pid, kind), nil
	}
	return "", nil
}

// applyExtras puts the extra options into the generated spec.
func (c *Container) applyExtras(s *specs.Spec) error {
	x := c.Config.Extras
	for k, v := range x.Annotations {
		if s.Annotations == nil {
			s.Annotations = map[string]string{}
		}
		s.Annotations[k] = v
	}
	if x.Personality != "" {
		s.Linux.Personality = &specs.LinuxPersonality{Domain: x.Personality}
	}
	s.Process.Env = x.Env.Adjust(s.Process.Env, c.Config.Env)
	for _, n := range []struct {
		kind string
		t    specs.LinuxNamespaceType
		ns   spec.Namespace
	}{{"pid", specs.PIDNamespace, x.PID}, {"ipc", specs.IPCNamespace, x.IPC}, {"uts", specs.UTSNamespace, x.UTS}, {"cgroup", specs.CgroupNamespace, x.CgroupNS}} {
		p, err := c.nsPath(n.kind, n.ns)
		if err != nil {
			return err
		}
		spec.SetNamespace(s, n.t, p, n.ns.Mode == "host")
	}
	if x.PID.Mode == "host" {
		// A user namespace may not mount the host's proc: bind it.
		spec.ReplaceMount(s, "/proc", &specs.Mount{Destination: "/proc", Type: "bind", Source: "/proc", Options: []string{"rbind", "nosuid", "noexec", "nodev"}})
	}
	switch x.IPC.Mode {
	case "host":
		spec.ReplaceMount(s, "/dev/shm", &specs.Mount{Destination: "/dev/shm", Type: "bind", Source: "/dev/shm", Options: []string{"rbind", "nosuid", "noexec", "nodev"}})
		var mq *specs.Mount
		if _, err := os.Stat("/dev/mqueue"); err == nil {
			mq = &specs.Mount{Destination: "/dev/mqueue", Type: "bind", Source: "/dev/mqueue", Options: []string{"rbind", "nosuid", "noexec", "nodev"}}
		}
		spec.ReplaceMount(s, "/dev/mqueue", mq)
	case "none":
		spec.ReplaceMount(s, "/dev/shm", nil)
	}
	if x.UTS.Mode != "" {
		// The hostname belongs to the namespace joined.
		s.Hostname = ""
	}
	return nil
}

// writeUserPidFiles writes the pids of a started container to --pidfile
// and --conmon-pidfile.
func (c *Container) writeUserPidFiles() error {
	x := c.Config.Extras
	for _, p := range []struct {
		flag, path string
		pid        int
	}{{"pidfile", x.PidFile, c.State.Pid}, {"conmon-pidfile", x.ConmonPidFile, c.State.MonitorPid}} {
		if p.path == "" {
			continue
		}
		if err := fsutil.WriteFileAtomic(p.path, []byte(strconv.Itoa(p.pid)), 0o644); err != nil {
			return fmt.Errorf("container %s: --%s: %w", c.Name(), p.flag, err)
		}
	}
	return nil
}

// inspectExtraModes shows --pid, --ipc, --uts and --cgroupns in inspect's
// modes.
func (c *Container) inspectExtraModes(h *InspectHostModes) {
	x := c.Config.Extras
	if x.PID.Mode != "" {
		h.PidMode = x.PID.String()
	}
	if x.IPC.Mode != "" {
		h.IpcMode = x.IPC.String()
	}
	if x.UTS.Mode != "" {
		h.UTSMode = x.UTS.String()
	}
	if x.CgroupNS.Mode == "host" {
		h.CgroupMode = "host"
	}
}
