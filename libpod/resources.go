package libpod

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/spec"
)

// ResourceOptions are the resource flags as given (see spec.ParseResources).
type ResourceOptions = spec.ResourceOptions

// cgroupMount is where the unified cgroup hierarchy is mounted on a pure
// cgroup v2 host.
const cgroupMount = "/sys/fs/cgroup"

// warnV1 is the warning of a create whose cgroup limits cannot be applied
// on a cgroup v1 or hybrid host (podman's words).
const warnV1 = "Resource limits are not supported and ignored on cgroups V1 rootless systems"

// rlimitResources maps the RLIMIT_* names to their resource numbers.
func rlimitResources() map[string]int {
	return map[string]int{
		"RLIMIT_AS": unix.RLIMIT_AS, "RLIMIT_CORE": unix.RLIMIT_CORE, "RLIMIT_CPU": unix.RLIMIT_CPU,
		"RLIMIT_DATA": unix.RLIMIT_DATA, "RLIMIT_FSIZE": unix.RLIMIT_FSIZE, "RLIMIT_LOCKS": unix.RLIMIT_LOCKS,
		"RLIMIT_MEMLOCK": unix.RLIMIT_MEMLOCK, "RLIMIT_MSGQUEUE": unix.RLIMIT_MSGQUEUE, "RLIMIT_NICE": unix.RLIMIT_NICE,
		"RLIMIT_NOFILE": unix.RLIMIT_NOFILE, "RLIMIT_NPROC": unix.RLIMIT_NPROC, "RLIMIT_RSS": unix.RLIMIT_RSS,
		"RLIMIT_RTPRIO": unix.RLIMIT_RTPRIO, "RLIMIT_RTTIME": unix.RLIMIT_RTTIME,
		"RLIMIT_SIGPENDING": unix.RLIMIT_SIGPENDING, "RLIMIT_STACK": unix.RLIMIT_STACK,
	}
}

// ownLimit is the caller's limit of an RLIMIT_* name (-1: unlimited).
func ownLimit(name string) (soft, hard int64, err error) {
	res, ok := rlimitResources()[name]
	if !ok {
		return 0, 0, fmt.Errorf("unknown limit %s", name)
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(res, &rl); err != nil {
		return 0, 0, fmt.Errorf("getrlimit %s: %w", name, err)
	}
	conv := func(v uint64) int64 {
		if v == unix.RLIM_INFINITY {
			return -1
		}
		return int64(v)
	}
	return conv(rl.Cur), conv(rl.Max), nil
}

// hostLimits are all the caller's limits (--ulimit host).
func hostLimits() []spec.Ulimit {
	var out []spec.Ulimit
	for _, short := range []string{"as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
		"nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"} {
		name := spec.RlimitNames()[short]
		soft, hard, err := ownLimit(name)
		if err == nil {
			out = append(out, spec.Ulimit{Name: name, Soft: soft, Hard: hard})
		}
	}
	return out
}

// checkUlimits refuses a hard limit above the caller's own: an unprivileged
// process cannot raise it, so the runtime would fail the start.
func checkUlimits(us []spec.Ulimit) error {
	for _, u := range us {
		_, hard, err := ownLimit(u.Name)
		if err != nil {
			return err
		}
		if hard == -1 || (u.Hard != -1 && u.Hard <= hard) {
			continue
		}
		short := strings.ToLower(strings.TrimPrefix(u.Name, "RLIMIT_"))
		want := strconv.FormatInt(u.Hard, 10)
		if u.Hard == -1 {
			want = "unlimited"
		}
		soft := u.Soft
		if soft == -1 || soft > hard {
			soft = hard
		}
		return fmt.Errorf("--ulimit %s: the hard limit %s is above the user's own (%d): an unprivileged user cannot raise it; use at most %s=%d:%d, or raise the user's limit (limits.conf): %w",
			short, want, hard, short, soft, hard, define.ErrInvalidArg)
	}
	return nil
}

// checkOomScoreAdj refuses a value below the caller's own: lowering it
// needs CAP_SYS_RESOURCE on the host.
func checkOomScoreAdj(v *int) error {
	if v == nil {
		return nil
	}
	data, err := os.ReadFile("/proc/self/oom_score_adj")
	if err != nil {
		return nil
	}
	own, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err == nil && *v < own {
		return fmt.Errorf("--oom-score-adj %d is below the user's own (%d): an unprivileged user can only raise it: %w", *v, own, define.ErrInvalidArg)
	}
	return nil
}

// resources validates the resource flags. Cgroup limits the host cannot
// apply (no delegated cgroup v2) are dropped with a warning to w.
func (o *CreateOptions) resources(w io.Writer) (spec.Resources, error) {
	r, err := spec.ParseResources(o.Resources)
	if err != nil {
		return r, err
	}
	if err := checkUlimits(r.Ulimits); err != nil {
		return r, err
	}
	if err := checkOomScoreAdj(r.OomScoreAdj); err != nil {
		return r, err
	}
	if err := resolveBlkioDevices(&r); err != nil {
		return r, err
	}
	warn := func(msg string) {
		if w != nil {
			fmt.Fprintln(w, msg)
		} else {
			logrus.Warn(msg)
		}
	}
	self, _ := os.ReadFile("/proc/self/cgroup") // unreadable: no cgroup v2 line
	err = fitCgroups(&r, cgroupMount, self, warn)
	return r, err
}

// fitCgroups fits r's cgroup settings to the host (the hierarchy mounted at
// mnt, the caller's /proc/self/cgroup): what it cannot apply is dropped
// with a warning; a --cgroup-parent the user may not use where the host
// delegates a cgroup is an error.
func fitCgroups(r *spec.Resources, mnt string, self []byte, warn func(string)) error {
	unified := isUnified(mnt)
	if r.CgroupsMode == spec.CgroupsDisabled {
		if r.HasCgroupLimits() {
			if unified {
				warn("Resource limits are ignored: the container has no cgroup (--cgroups disabled)")
			} else {
				warn(warnV1)
			}
			dropLimits(r)
		}
		return nil
	}
	if names := r.V1Only(); unified && len(names) > 0 {
		warn(strings.Join(names, ", ") + " not supported on cgroup v2 systems and ignored")
		r.DropV1Only()
	}
	if !r.HasCgroupLimits() && r.CgroupParent == "" {
		return nil
	}
	base, err := delegatedCgroup(mnt, self, r.Controllers())
	if err == nil && r.CgroupParent != "" {
		// The host delegates a cgroup: a parent the user may not use
		// is the user's to fix.
		if _, err := userCgroupParent(mnt, base, r.CgroupParent, r.Controllers()); err != nil {
			return fmt.Errorf("--cgroup-parent %s: %w (use a path below the user's cgroup %s): %w", r.CgroupParent, err, base, define.ErrInvalidArg)
		}
	}
	if err != nil {
		if r.HasCgroupLimits() {
			msg := warnV1
			if !errors.Is(err, define.ErrNoCgroupV2) {
				msg = fmt.Sprintf("Resource limits are ignored: %v", err)
			}
			warn(msg)
		}
		if r.CgroupParent != "" {
			why := "containers get no cgroup of their own on cgroups V1 rootless systems"
			if !errors.Is(err, define.ErrNoCgroupV2) {
				why = err.Error()
			}
			warn(fmt.Sprintf("--cgroup-parent %s is ignored: %s", r.CgroupParent, why))
		}
		dropLimits(r)
	}
	return nil
}

// dropLimits unsets the cgroup limits of r the host cannot apply; r never
// gets a cgroup.
func dropLimits(r *spec.Resources) {
	r.Memory, r.MemorySwap, r.MemoryReservation, r.NanoCPUs, r.CPUShares, r.CpusetCpus, r.PidsLimit = 0, 0, 0, 0, 0, "", 0
	r.DropLimits()
}

// isUnified reports whether a cgroup v2 hierarchy is mounted at mnt.
func isUnified(mnt string) bool {
	_, err := os.Stat(filepath.Join(mnt, "cgroup.controllers"))
	return err == nil
}

// resolveBlkioDevices fills in the major and minor numbers of the block
// devices the --blkio-weight-device and --device-*-bps/iops flags name;
// each must be a block device node of the host.
func resolveBlkioDevices(r *spec.Resources) error {
	for _, l := range []struct {
		flag string
		devs []spec.BlkioDevice
	}{
		{"--blkio-weight-device", r.BlkioWeightDevice}, {"--device-read-bps", r.BlkioReadBps}, {"--device-write-bps", r.BlkioWriteBps},
		{"--device-read-iops", r.BlkioReadIOps}, {"--device-write-iops", r.BlkioWriteIOps},
	} {
		for i := range l.devs {
			d := &l.devs[i]
			var st unix.Stat_t
			if err := unix.Stat(d.Path, &st); err != nil {
				return fmt.Errorf("%s %s: cannot use the device: %w: %w", l.flag, d.Path, &os.PathError{Op: "stat", Path: d.Path, Err: err}, define.ErrInvalidArg)
			}
			if st.Mode&unix.S_IFMT != unix.S_IFBLK {
				return fmt.Errorf("%s %s: not a block device: %w", l.flag, d.Path, define.ErrInvalidArg)
			}
			d.Major, d.Minor = int64(unix.Major(st.Rdev)), int64(unix.Minor(st.Rdev))
		}
	}
	return nil
}

// cgroupParent is the delegated cgroup containers' cgroups go below.
func cgroupParent(controllers []string) (string, error) {
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("read /proc/self/cgroup: %w", err)
	}
	return delegatedCgroup(cgroupMount, self, controllers)
}

// cgroupBase is the cgroup a container's own goes below: the delegated
// one, or --cgroup-parent (an absolute path from the hierarchy's root, a
// relative one below the delegated cgroup).
func cgroupBase(parent string, controllers []string) (string, error) {
	base, err := cgroupParent(controllers)
	if err != nil || parent == "" {
		return base, err
	}
	return userCgroupParent(cgroupMount, base, parent, controllers)
}

// userCgroupParent checks that the user may create the cgroup parent (a
// --cgroup-parent; relative to base when not absolute) with the
// controllers: its deepest existing cgroup must be delegated as
// delegatedCgroup asks (the runtime creates the rest).
func userCgroupParent(mnt, base, parent string, controllers []string) (string, error) {
	p := path.Clean(parent)
	if !path.IsAbs(p) {
		p = path.Join(base, p)
	}
	dir := p
	for dir != "/" {
		if _, err := os.Stat(filepath.Join(mnt, dir)); err == nil {
			break
		}
		dir = path.Dir(dir)
	}
	if err := enableControllers(mnt, dir, controllers); err != nil {
		return "", err
	}
	return p, nil
}

// delegatedCgroup returns the cgroup (a path of the unified hierarchy
// mounted at mnt) that is the parent of the caller's own (selfCgroup is
// /proc/self/cgroup) when the caller may create cgroups in it with the
// controllers enabled: cgroup v2, the directory and its
// cgroup.subtree_control writable, and each controller enabled there
// (enabled by pod when the parent offers it). define.ErrNoCgroupV2 without a
// unified hierarchy at mnt.
func delegatedCgroup(mnt string, selfCgroup []byte, controllers []string) (string, error) {
	if _, err := os.Stat(filepath.Join(mnt, "cgroup.controllers")); err != nil {
		return "", define.ErrNoCgroupV2
	}
	own := ""
	sc := bufio.NewScanner(bytes.NewReader(selfCgroup))
	for sc.Scan() {
		if p, ok := strings.CutPrefix(sc.Text(), "0::"); ok {
			own = p
		}
	}
	if own == "" {
		return "", define.ErrNoCgroupV2
	}
	parent := path.Dir(own)
	if err := enableControllers(mnt, parent, controllers); err != nil {
		return "", err
	}
	return parent, nil
}

// enableControllers checks that the user may create cgroups in the cgroup
// cg (a path of the hierarchy at mnt) and enables the controllers in its
// cgroup.subtree_control when it offers them.
func enableControllers(mnt, cg string, controllers []string) error {
	dir := filepath.Join(mnt, cg)
	ctl := filepath.Join(dir, "cgroup.subtree_control")
	if unix.Access(dir, unix.W_OK) != nil || unix.Access(ctl, unix.W_OK) != nil {
		return fmt.Errorf("the cgroup %s is not delegated to the user (run pod in a systemd user session, or delegate the cgroup)", cg)
	}
	enabled, err := os.ReadFile(ctl)
	if err != nil {
		return fmt.Errorf("read %s: %w", ctl, err)
	}
	have := strings.Fields(string(enabled))
	for _, c := range controllers {
		if contains(have, c) {
			continue
		}
		if err := os.WriteFile(ctl, []byte("+"+c), 0); err != nil {
			return fmt.Errorf("the %s controller is not delegated to the cgroup %s: %w", c, cg, err)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// cgroupsPath is the container's own cgroup at start: below the delegated
// cgroup when it has cgroup limits and the host delegates one, else "".
func (c *Container) cgroupsPath() string {
	p, err := c.limitCgroup()
	if err != nil {
		logrus.Warnf("container %s: resource limits not applied: %v", c.Name(), err)
		return ""
	}
	return p
}

// limitCgroup is the container's own cgroup: "" when it has no cgroup
// limits, an error when the host delegates none.
func (c *Container) limitCgroup() (string, error) {
	r := c.Config.Resources
	if r == nil || r.NoCgroup || r.CgroupsMode == spec.CgroupsDisabled || (!r.HasCgroupLimits() && r.CgroupParent == "") {
		return "", nil
	}
	parent, err := cgroupBase(r.CgroupParent, r.Controllers())
	if err != nil {
		return "", err
	}
	return path.Join(parent, "pod-"+c.ID()+".scope"), nil
}

// applyResources writes c's resource settings into s.
func (c *Container) applyResources(s *specs.Spec) {
	r := c.Config.Resources
	if r == nil {
		return
	}
	rs := spec.ResourceSpec{Resources: *r, Cgroup: s.Linux.CgroupsPath != ""}
	if r.UlimitHost {
		rs.Host = hostLimits()
	}
	spec.ApplyResources(s, rs)
}

// checkCgroupsRuntime refuses --cgroups disabled with a runtime that
// always creates a cgroup (runc): only crun can run a container without.
func (r *Runtime) checkCgroupsRuntime(res *spec.Resources) error {
	if res == nil || res.CgroupsMode != spec.CgroupsDisabled {
		return nil
	}
	oci, err := r.OCIRuntime()
	if err != nil {
		return err
	}
	if oci.Name() != "crun" {
		return fmt.Errorf("--cgroups disabled: the OCI runtime %s always creates a cgroup for the container; use crun (--runtime crun): %w", oci.Name(), define.ErrInvalidArg)
	}
	return nil
}

// runtimeArgs are the runtime's global options for c's monitor: crun runs
// a container of --cgroups disabled with its cgroup manager disabled.
func (c *Container) runtimeArgs(oci *ociruntime.Runtime) []string {
	r := c.Config.Resources
	if r == nil || r.CgroupsMode != spec.CgroupsDisabled {
		return oci.ExtraArgs
	}
	if oci.Name() != "crun" {
		logrus.Warnf("container %s: --cgroups disabled needs crun: %s may create a cgroup for it", c.Name(), oci.Name())
		return oci.ExtraArgs
	}
	return append(slices.Clone(oci.ExtraArgs), "--cgroup-manager=disabled")
}
