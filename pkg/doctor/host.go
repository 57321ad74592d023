package doctor

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/pkg/ociruntime"
)

// System returns the real machine, seen by the calling user.
func System() *Host {
	uid := os.Getuid()
	name := strconv.Itoa(uid)
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	return &Host{
		User:          name,
		UID:           uid,
		GID:           os.Getgid(),
		Getenv:        os.Getenv,
		ReadFile:      os.ReadFile,
		Stat:          stat,
		Writable:      func(path string) bool { return unix.Access(path, unix.W_OK) == nil },
		OpenRW:        openRW,
		Getxattr:      getxattr,
		LookPath:      exec.LookPath,
		FindRuntime:   findRuntime,
		FSType:        fsType,
		KernelRelease: kernelRelease,
		Output: func(ctx context.Context, name string, args ...string) ([]byte, error) {
			return exec.CommandContext(ctx, name, args...).Output()
		},
		ProbeOverlay: probeOverlay,
	}
}

func stat(path string) (FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return FileInfo{}, err
	}
	fi := FileInfo{Mode: st.Mode(), UID: -1, GID: -1}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		fi.UID, fi.GID = int(sys.Uid), int(sys.Gid)
	}
	return fi, nil
}

func openRW(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return f.Close()
}

func getxattr(path, name string) ([]byte, error) {
	n, err := unix.Getxattr(path, name, nil)
	if err != nil {
		return nil, &fs.PathError{Op: "getxattr " + name, Path: path, Err: err}
	}
	buf := make([]byte, n)
	n, err = unix.Getxattr(path, name, buf)
	if err != nil {
		return nil, &fs.PathError{Op: "getxattr " + name, Path: path, Err: err}
	}
	return buf[:n], nil
}

func findRuntime(name string) (string, error) {
	r, err := ociruntime.Find(name)
	if err != nil {
		return "", err
	}
	return r.Path, nil
}

func fsType(path string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, &fs.PathError{Op: "statfs", Path: path, Err: err}
	}
	return int64(st.Type), nil
}

func kernelRelease() (string, error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", fmt.Errorf("uname: %w", err)
	}
	return unix.ByteSliceToString(u.Release[:]), nil
}

// probeOverlay mounts a kernel overlay (with userxattr, as the storage
// library does rootless) in a new user and mount namespace that maps only
// the caller, with util-linux unshare. The namespace dies with the mount
// command; the directories are removed.
func probeOverlay(ctx context.Context) error {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		return fmt.Errorf("%w: unshare not found", ErrNoProbe)
	}
	dir, err := os.MkdirTemp("", "pod-doctor-")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoProbe, err)
	}
	defer removeTree(dir)
	var d [4]string
	for i, n := range []string{"lower", "upper", "work", "merged"} {
		d[i] = filepath.Join(dir, n)
		if err := os.Mkdir(d[i], 0o700); err != nil {
			return fmt.Errorf("%w: %v", ErrNoProbe, err)
		}
	}
	opts := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s,userxattr", d[0], d[1], d[2])
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, unshare, "--user", "--map-root-user", "--mount", "mount", "-t", "overlay", "-o", opts, "overlay", d[3])
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 100 * time.Millisecond
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("no answer within %s", probeTimeout)
		}
		if msg := strings.TrimSpace(out.String()); msg != "" {
			return fmt.Errorf("%s", strings.Join(strings.Fields(msg), " "))
		}
		return err
	}
	return nil
}

// removeTree removes dir, also when the overlay left a directory without
// permissions behind (workdir/work).
func removeTree(dir string) {
	if os.RemoveAll(dir) == nil {
		return
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o700)
		}
		return nil
	})
	_ = os.RemoveAll(dir)
}
