package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/procfs"
	"github.com/pod-engine/pod/userns"
)

// Filesystem magic numbers (linux/magic.h).
const (
	cgroup2Magic = 0x63677270
	tmpfsMagic   = 0x01021994
)

const (
	tunPath      = "/dev/net/tun"
	fusePath     = "/dev/fuse"
	cgroupRoot   = "/sys/fs/cgroup"
	systemdDir   = "/run/systemd/system"
	userNSClone  = "/proc/sys/kernel/unprivileged_userns_clone"
	maxUserNS    = "/proc/sys/user/max_user_namespaces"
	bootIDPath   = "/proc/sys/kernel/random/boot_id"
	probeTimeout = time.Second
	// noLimits is what a host without delegated cgroups means for users.
	noLimits = "no per-container cgroups: resource limits cannot be enforced"
)

func exists(h *Host, path string) bool {
	_, err := h.Stat(path)
	return err == nil
}

// checkDevice checks that path opens read-write; failing is bad.
func checkDevice(h *Host, check, path, purpose string, bad Status) Result {
	err := h.OpenRW(path)
	if err == nil {
		return Result{Check: check, Status: StatusOK, Message: fmt.Sprintf("%s opens read-write (%s)", path, purpose)}
	}
	r := Result{Check: check, Status: bad, Message: fmt.Sprintf("%s does not open read-write for %s: %v (%s)", path, h.User, err, purpose)}
	if errors.Is(err, fs.ErrNotExist) {
		r.Fix = "sudo modprobe " + filepath.Base(path)
	} else {
		r.Fix = fmt.Sprintf("sudo setfacl -m u:%s:rw %s", h.User, path)
	}
	return r
}

func checkTun(h *Host) Result {
	return checkDevice(h, "tun", tunPath, "pasta and slirp4netns need it for container networks", StatusError)
}

// checkFuse: /dev/fuse matters only for fuse-overlayfs, the first fallback
// when kernel overlay is refused, unless it is the configured driver.
func checkFuse(h *Host, c Config) Result {
	if c.StorageDriver == "fuse-overlayfs" {
		return checkDevice(h, "fuse", fusePath, "the configured storage driver fuse-overlayfs needs it", StatusError)
	}
	return checkDevice(h, "fuse", fusePath, "the fuse-overlayfs storage fallback needs it", StatusWarning)
}

func readTrim(h *Host, path string) (string, error) {
	data, err := h.ReadFile(path)
	return strings.TrimSpace(string(data)), err
}

// checkUserNS reports the kernel and whether unprivileged users may
// create user namespaces.
func checkUserNS(h *Host) Result {
	rel, err := h.KernelRelease()
	if err != nil {
		rel = "(unknown: " + err.Error() + ")"
	}
	r := Result{Check: "userns", Status: StatusError}
	if v, err := readTrim(h, userNSClone); err == nil && v == "0" {
		r.Message = fmt.Sprintf("kernel %s: unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)", rel)
		r.Fix = "sudo sysctl -w kernel.unprivileged_userns_clone=1"
		return r
	}
	v, err := readTrim(h, maxUserNS)
	if err != nil {
		r.Message = fmt.Sprintf("kernel %s: cannot read %s: %v", rel, maxUserNS, err)
		return r
	}
	if n, err := strconv.Atoi(v); err != nil || n <= 0 {
		r.Message = fmt.Sprintf("kernel %s: user namespaces are disabled (user.max_user_namespaces = %s)", rel, v)
		r.Fix = "sudo sysctl -w user.max_user_namespaces=15000"
		return r
	}
	r.Status = StatusOK
	r.Message = fmt.Sprintf("kernel %s: unprivileged user namespaces enabled (user.max_user_namespaces = %s)", rel, v)
	return r
}

// kernelAtLeast reports whether release (uname -r) is at least
// major.minor; an unparsable release counts as new enough.
func kernelAtLeast(release string, major, minor int) bool {
	f := strings.FieldsFunc(release, func(r rune) bool { return r < '0' || r > '9' })
	if len(f) < 2 {
		return true
	}
	ma, err1 := strconv.Atoi(f[0])
	mi, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return true
	}
	return ma > major || (ma == major && mi >= minor)
}

// checkOverlay reports whether kernel overlay works in a user namespace:
// by mounting one in a throwaway namespace when it can, else by the
// kernel version (5.11 allows it). Without it pod falls back, which is
// slower but works: never an error.
func checkOverlay(ctx context.Context, h *Host, userNSOK bool) Result {
	r := Result{Check: "overlay", Status: StatusWarning}
	fallback := "pod falls back to fuse-overlayfs"
	if _, err := h.LookPath("fuse-overlayfs"); err != nil {
		fallback = "pod falls back to vfs (slow, one full copy per layer)"
		r.Fix = "sudo apt-get install fuse-overlayfs"
	}
	if !userNSOK {
		r.Message = "not probed: user namespaces are disabled"
		r.Fix = ""
		return r
	}
	rel, _ := h.KernelRelease()
	if !kernelAtLeast(rel, 5, 11) {
		r.Message = fmt.Sprintf("kernel %s is older than 5.11: no kernel overlay in a user namespace: %s", rel, fallback)
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	err := h.ProbeOverlay(ctx)
	switch {
	case err == nil:
		return Result{Check: "overlay", Status: StatusOK, Message: "kernel overlay mounts in a user namespace (probed with unshare)"}
	case errors.Is(err, ErrNoProbe):
		return Result{Check: "overlay", Status: StatusOK, Message: fmt.Sprintf("kernel %s allows overlay in a user namespace (not probed: %v)", rel, err)}
	}
	r.Message = fmt.Sprintf("kernel overlay refused in a user namespace (%v): %s", err, fallback)
	return r
}

// checkNetwork reports pasta and slirp4netns, and which one is the
// default network; the default must be installed.
func checkNetwork(h *Host, c Config) Result {
	paths := map[protocol.NetworkMode]string{}
	for _, m := range []protocol.NetworkMode{protocol.NetworkPasta, protocol.NetworkSlirp4netns} {
		if p, err := h.LookPath(string(m)); err == nil {
			paths[m] = p
		}
	}
	def, why := c.Network, "the default, from pod.conf"
	if def == protocol.NetworkDefault {
		def, why = protocol.NetworkSlirp4netns, "the default: pasta is not installed"
		if paths[protocol.NetworkPasta] != "" {
			def, why = protocol.NetworkPasta, "the default"
		}
	}
	var parts []string
	for _, m := range []protocol.NetworkMode{protocol.NetworkPasta, protocol.NetworkSlirp4netns} {
		s := string(m) + " not installed"
		if p := paths[m]; p != "" {
			s = string(m) + " " + p
		}
		if m == def {
			s += " (" + why + ")"
		}
		parts = append(parts, s)
	}
	msg := strings.Join(parts, ", ")
	if paths[def] == "" {
		return Result{Check: "network", Status: StatusError, Message: msg + ": containers get no network except with --network none or host",
			Fix: "sudo apt-get install " + def.Package()}
	}
	return Result{Check: "network", Status: StatusOK, Message: msg}
}

// checkRuntime reports crun and runc, and which one pod uses; at least
// that one must be found.
func checkRuntime(h *Host, c Config) Result {
	paths := map[string]string{}
	for _, n := range []string{"crun", "runc"} {
		if p, err := h.FindRuntime(n); err == nil {
			paths[n] = p
		}
	}
	var parts []string
	for _, n := range []string{"crun", "runc"} {
		s := n + " not installed"
		if p := paths[n]; p != "" {
			s = n + " " + p
		}
		parts = append(parts, s)
	}
	msg := strings.Join(parts, ", ")
	used, err := h.FindRuntime(c.Runtime)
	if err != nil {
		r := Result{Check: "runtime", Status: StatusError, Message: fmt.Sprintf("%s: %v", msg, err), Fix: "sudo apt-get install crun"}
		switch c.Runtime {
		case "":
		case "crun", "runc":
			r.Fix = "sudo apt-get install " + c.Runtime
		default:
			r.Message = fmt.Sprintf("%s: runtime %q from pod.conf: %v", msg, c.Runtime, err)
			r.Fix = fmt.Sprintf("sed -i '/^runtime *=/d' %s", c.PodConf)
		}
		return r
	}
	from := "the default"
	if c.Runtime != "" {
		from = "from pod.conf"
	}
	return Result{Check: "runtime", Status: StatusOK, Message: fmt.Sprintf("%s; pod uses %s (%s)", msg, used, from)}
}

// delegateFix makes systemd delegate cgroup controllers to user sessions.
const delegateFix = `sudo mkdir -p /etc/systemd/system/user@.service.d && ` +
	`printf '[Service]\nDelegate=cpu cpuset io memory pids\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && ` +
	`sudo systemctl daemon-reload`

// checkCgroups reports the cgroup version and whether the user's cgroup
// is delegated; without delegation containers run, only without limits,
// so this is never an error.
func checkCgroups(h *Host) Result {
	systemd := exists(h, systemdDir)
	mgr := "no systemd"
	if systemd {
		mgr = "systemd"
	}
	t, err := h.FSType(cgroupRoot)
	if err != nil {
		return Result{Check: "cgroups", Status: StatusWarning, Message: fmt.Sprintf("%s: %v: %s", cgroupRoot, err, noLimits)}
	}
	if t != cgroup2Magic {
		kind := "v1"
		if u, err := h.FSType(cgroupRoot + "/unified"); err == nil && u == cgroup2Magic {
			kind = "v1 (hybrid: cgroup2 at " + cgroupRoot + "/unified)"
		}
		return Result{Check: "cgroups", Status: StatusWarning, Message: fmt.Sprintf("cgroup %s, %s: %s", kind, mgr, noLimits)}
	}
	own := ownCgroup(h)
	dir := filepath.Join(cgroupRoot, own)
	fix := ""
	if systemd {
		fix = delegateFix
	}
	if own == "" || !h.Writable(dir) {
		return Result{Check: "cgroups", Status: StatusWarning,
			Message: fmt.Sprintf("cgroup v2, %s: the cgroup %q is not delegated to %s: %s", mgr, own, h.User, noLimits), Fix: fix}
	}
	ctrl, _ := readTrim(h, filepath.Join(dir, "cgroup.controllers"))
	have := strings.Fields(ctrl)
	var missing []string
	for _, want := range []string{"cpu", "memory", "pids"} {
		if !contains(have, want) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return Result{Check: "cgroups", Status: StatusWarning,
			Message: fmt.Sprintf("cgroup v2, %s: %s is delegated without the %s controllers: those limits cannot be enforced",
				mgr, own, strings.Join(missing, ", ")), Fix: fix}
	}
	return Result{Check: "cgroups", Status: StatusOK, Message: fmt.Sprintf("cgroup v2, %s: %s is delegated with %s", mgr, own, ctrl)}
}

// ownCgroup is this process's cgroup v2 path from /proc/self/cgroup.
func ownCgroup(h *Host) string {
	data, err := h.ReadFile("/proc/self/cgroup")
	if err != nil {
		return ""
	}
	return procfs.UnifiedCgroup(data)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkRuntimeDir checks $XDG_RUNTIME_DIR, or pod's fallback when it is
// unset, as userns.RuntimeDir will use it.
func checkRuntimeDir(h *Host) Result {
	r := Result{Check: "runtime-dir", Status: StatusError}
	rec := recordedRuntimeDir(h)
	x := h.Getenv("XDG_RUNTIME_DIR")
	if x == "" {
		tmp := h.Getenv("TMPDIR")
		if tmp == "" {
			tmp = "/tmp"
		}
		fallback := filepath.Join(tmp, "pod-run-"+itoa(h.UID))
		if rec != "" {
			return Result{Check: "runtime-dir", Status: StatusWarning,
				Message: fmt.Sprintf("XDG_RUNTIME_DIR is not set: pod uses %s, recorded for this boot", rec)}
		}
		if st, err := h.Stat(fallback); err == nil && st.UID != h.UID {
			r.Message = fmt.Sprintf("XDG_RUNTIME_DIR is not set and pod's fallback %s is owned by uid %d, not by %s: pod refuses it", fallback, st.UID, h.User)
			r.Fix = "sudo rm -rf " + fallback
			return r
		}
		r.Status = StatusWarning
		r.Message = fmt.Sprintf("XDG_RUNTIME_DIR is not set: pod falls back to %s and records the choice for this boot", fallback)
		if run := "/run/user/" + itoa(h.UID); dirOwnedBy(h, run, h.UID) {
			r.Fix = "export XDG_RUNTIME_DIR=" + run
		}
		return r
	}
	st, err := h.Stat(x)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Message = fmt.Sprintf("XDG_RUNTIME_DIR=%s does not exist", x)
		r.Fix = fmt.Sprintf("sudo install -d -m 0700 -o %d -g %d %s", h.UID, h.GID, x)
		return r
	case err != nil:
		r.Message = fmt.Sprintf("XDG_RUNTIME_DIR=%s: %v", x, err)
		r.Fix = "unset XDG_RUNTIME_DIR"
		return r
	case !st.Mode.IsDir():
		r.Message = fmt.Sprintf("XDG_RUNTIME_DIR=%s is not a directory", x)
		r.Fix = "unset XDG_RUNTIME_DIR"
		return r
	case st.UID != h.UID:
		r.Message = fmt.Sprintf("XDG_RUNTIME_DIR=%s is owned by uid %d, not by %s: pod refuses it", x, st.UID, h.User)
		r.Fix = "unset XDG_RUNTIME_DIR"
		return r
	}
	r.Status, r.Message = StatusOK, fmt.Sprintf("XDG_RUNTIME_DIR=%s is owned by %s, mode %04o", x, h.User, st.Mode.Perm())
	if st.Mode.Perm() != 0o700 {
		r.Status = StatusWarning
		r.Message = fmt.Sprintf("XDG_RUNTIME_DIR=%s has mode %04o, not 0700: other users can read pod's runtime state", x, st.Mode.Perm())
		r.Fix = "chmod 0700 " + x
	}
	if rec != "" && rec != x {
		r.Message += fmt.Sprintf("; pod uses %s, recorded earlier in this boot", rec)
	}
	return r
}

func dirOwnedBy(h *Host, path string, uid int) bool {
	st, err := h.Stat(path)
	return err == nil && st.Mode.IsDir() && st.UID == uid
}

// recordedRuntimeDir is the runtime directory recorded for this boot in
// the data directory (see userns.RuntimeDir), when it still exists.
func recordedRuntimeDir(h *Host) string {
	rec, err := h.ReadFile(userns.RuntimeDirRecord(userns.DataDirFrom(h.Getenv)))
	if err != nil {
		return ""
	}
	dir, boot, ok := userns.ParseRuntimeDirRecord(rec)
	now, err := readTrim(h, bootIDPath)
	if err != nil || !ok || boot != now || !dirOwnedBy(h, dir, h.UID) {
		return ""
	}
	return dir
}

// checkLogout reports whether logging out kills the user's containers:
// systemd does so unless the user lingers.
func checkLogout(ctx context.Context, h *Host) Result {
	if !exists(h, systemdDir) {
		return Result{Check: "logout", Status: StatusOK, Message: "no systemd: nothing kills containers at logout"}
	}
	linger := ""
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if out, err := h.Output(ctx, "loginctl", "show-user", h.User, "-p", "Linger"); err == nil {
		linger = strings.TrimPrefix(strings.TrimSpace(string(out)), "Linger=")
	} else if exists(h, "/var/lib/systemd/linger/"+h.User) {
		// loginctl knows only users with a session; the file is what
		// enable-linger writes.
		linger = "yes"
	}
	if linger == "yes" {
		return Result{Check: "logout", Status: StatusOK, Message: "systemd, linger enabled: containers survive logout"}
	}
	return Result{Check: "logout", Status: StatusWarning, Message: "systemd, linger disabled: containers are killed at logout",
		Fix: "sudo loginctl enable-linger " + h.User}
}

// checkStorage reports the configured storage driver and what the graph
// root holds.
func checkStorage(h *Host, c Config) Result {
	if c.Err != nil {
		return Result{Check: "storage", Status: StatusError, Message: c.Err.Error()}
	}
	msg := "overlay in the user namespace, with fuse-overlayfs/vfs fallback"
	if c.StorageDriver != "" {
		msg = c.StorageDriver
		if c.DriverSource != "" {
			msg += " (from " + c.DriverSource + ")"
		}
	}
	msg += "; graph root " + c.GraphRoot
	var used []string
	for _, d := range []string{"overlay", "vfs"} {
		if exists(h, filepath.Join(c.GraphRoot, d+"-layers")) {
			used = append(used, d)
		}
	}
	if len(used) > 0 {
		msg += " holds " + strings.Join(used, " and ") + " layers"
	}
	return Result{Check: "storage", Status: StatusOK, Message: msg}
}
