package userns

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/procfs"
)

// Options tell Enter where things are.
type Options struct {
	// MonitorPIDs lists live container monitor processes. When the pause
	// process is gone, Enter joins the namespaces through one of them, so
	// that running containers are never stranded in an old namespace.
	MonitorPIDs func(runtimeDir string) []int
	// SubUIDFile and SubGIDFile default to /etc/subuid and /etc/subgid.
	SubUIDFile, SubGIDFile string
}

const readyTimeout = 10 * time.Second

// PausePIDFile is where the pause process pid and the boot id are kept.
func PausePIDFile(runtimeDir string) string {
	return filepath.Join(runtimeDir, "pod", "pause.pid")
}

// PauseLockFile is the lock held while the pause process is made or
// replaced.
func PauseLockFile(runtimeDir string) string {
	return filepath.Join(runtimeDir, "pod", "pause.lock")
}

// Enter makes sure the process runs inside the user's namespace. Inside
// already (the constructor joined), it returns at once. Otherwise it joins
// through a live monitor or creates a new pause process, and re-executes the
// command, which then joins in the constructor: on success it does not return.
func Enter(o Options) error {
	SyncEnv()
	if InNamespace() || os.Geteuid() == 0 {
		return nil
	}
	rd, err := RuntimeDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(rd, "pod"), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Join(rd, "pod"), err)
	}
	lockPath := PauseLockFile(rd)
	lf, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", lockPath, err)
	}
	defer lf.Close()
	for {
		if err = unix.Flock(int(lf.Fd()), unix.LOCK_EX); err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", lockPath, err)
	}
	if pid := LivePause(rd); pid > 0 {
		return reexec(pid, false)
	}
	if o.MonitorPIDs != nil {
		for _, pid := range o.MonitorPIDs(rd) {
			if otherUserNS(pid) {
				return reexec(pid, true)
			}
		}
	}
	pid, err := createPause(o)
	if err != nil {
		return err
	}
	if err := writePausePID(rd, pid); err != nil {
		return err
	}
	return reexec(pid, false)
}

// EnsurePause is called inside the namespace after Enter joined it through a
// monitor: it starts a new pause process in the current namespaces.
func EnsurePause() error {
	if os.Getenv("_POD_NEED_PAUSE") == "" {
		return nil
	}
	os.Unsetenv("_POD_NEED_PAUSE")
	rd, err := RuntimeDir()
	if err != nil {
		return err
	}
	if LivePause(rd) > 0 {
		return nil
	}
	pid, err := startPause("join", nil)
	if err != nil {
		return err
	}
	return writePausePID(rd, pid)
}

// LivePause returns the pid of the live pause process of this boot, or 0.
func LivePause(runtimeDir string) int {
	data, err := os.ReadFile(PausePIDFile(runtimeDir))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) != 2 || f[1] != procfs.BootID() {
		return 0
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 0 {
		return 0
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || strings.TrimSpace(string(comm)) != "pod-pause" || !procfs.Alive(pid, 0) {
		return 0
	}
	return pid
}

func writePausePID(rd string, pid int) error {
	path := PausePIDFile(rd)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf("%d\n%s\n", pid, procfs.BootID())), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// otherUserNS reports whether pid lives in a user namespace other than ours.
func otherUserNS(pid int) bool {
	if !procfs.Alive(pid, 0) {
		return false
	}
	theirs, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", pid))
	if err != nil {
		return false
	}
	ours, err := os.Readlink("/proc/self/ns/user")
	return err == nil && theirs != ours
}

func reexec(pid int, needPause bool) error {
	exe, err := os.Executable()
	if err != nil {
		exe = "/proc/self/exe"
	}
	env := append(os.Environ(), "_POD_JOIN_PID="+strconv.Itoa(pid))
	if needPause {
		env = append(env, "_POD_NEED_PAUSE=1")
	}
	err = syscall.Exec(exe, os.Args, env)
	return fmt.Errorf("re-execute %s in the user namespace: %w", exe, err)
}

// createPause checks the prerequisites and starts a pause process in a new
// user and mount namespace, mapped with newuidmap/newgidmap.
func createPause(o Options) (int, error) {
	uid, gid := os.Getuid(), os.Getgid()
	name := strconv.Itoa(uid)
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	subuid, subgid := o.SubUIDFile, o.SubGIDFile
	if subuid == "" {
		subuid = "/etc/subuid"
	}
	if subgid == "" {
		subgid = "/etc/subgid"
	}
	uranges, err := SubIDs(subuid, name, uid)
	if err != nil {
		return 0, err
	}
	granges, err := SubIDs(subgid, name, uid)
	if err != nil {
		return 0, err
	}
	newuidmap, err := exec.LookPath("newuidmap")
	if err != nil {
		return 0, fmt.Errorf("newuidmap not found: install the uidmap package (sudo apt-get install uidmap): %w", ErrMissingTool)
	}
	newgidmap, err := exec.LookPath("newgidmap")
	if err != nil {
		return 0, fmt.Errorf("newgidmap not found: install the uidmap package (sudo apt-get install uidmap): %w", ErrMissingTool)
	}
	mapper := func(pid int) error {
		if err := runMap(newuidmap, MapArgs(pid, uid, uranges)); err != nil {
			return err
		}
		return runMap(newgidmap, MapArgs(pid, gid, granges))
	}
	return startPause("new", mapper)
}

func runMap(tool string, args []string) error {
	var out bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		return fmt.Errorf("%s %s: %v: %s (check /etc/subuid, /etc/subgid and that %s is setuid root)",
			filepath.Base(tool), strings.Join(args, " "), err, msg, tool)
	}
	return nil
}

// startPause runs this executable as a pause process. mode "new" creates
// new namespaces and waits for mapper; mode "join" stays in ours.
func startPause(mode string, mapper func(pid int) error) (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("find own executable: %w", err)
	}
	syncR, syncW, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	readyR, readyW, err := os.Pipe()
	if err != nil {
		syncR.Close()
		syncW.Close()
		return 0, err
	}
	defer syncW.Close()
	defer readyR.Close()
	cmd := exec.Command(exe)
	cmd.Args = []string{"pod-pause"}
	cmd.Env = []string{"_POD_PAUSE=" + mode}
	cmd.Dir = "/"
	cmd.ExtraFiles = []*os.File{syncR, readyW}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if mode == "new" {
		cmd.SysProcAttr.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS
	}
	err = cmd.Start()
	syncR.Close()
	readyW.Close()
	if err != nil {
		return 0, fmt.Errorf("start pause process: %w", err)
	}
	pid := cmd.Process.Pid
	fail := func(err error) (int, error) {
		cmd.Process.Kill()
		cmd.Wait()
		return 0, err
	}
	if mapper != nil {
		if err := mapper(pid); err != nil {
			return fail(fmt.Errorf("map ids of the user namespace: %w", err))
		}
	}
	if _, err := syncW.Write([]byte("1")); err != nil {
		return fail(fmt.Errorf("start pause process: %w", err))
	}
	readyR.SetReadDeadline(time.Now().Add(readyTimeout))
	buf := make([]byte, 1)
	if n, err := readyR.Read(buf); n != 1 || buf[0] != '1' {
		werr := cmd.Wait()
		return 0, fmt.Errorf("pause process did not start (%v, %v): %w", err, werr, errors.New("check that unprivileged user namespaces are enabled (sysctl kernel.unprivileged_userns_clone=1)"))
	}
	cmd.Process.Release()
	return pid, nil
}
