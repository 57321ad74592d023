package userns

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pod-engine/pod/pkg/procfs"
)

// InNamespace reports whether this process runs inside pod's user namespace.
func InNamespace() bool {
	return os.Getenv("_POD_USERNS_CONFIGURED") != "" || cgetenv("_POD_USERNS_CONFIGURED") != ""
}

// RootlessUID is the user's uid on the host, also inside the namespace.
func RootlessUID() int {
	if v := os.Getenv("_POD_ROOTLESS_UID"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return os.Getuid()
}

// DataDir is pod's persistent per-user directory: $XDG_DATA_HOME/pod, else
// $HOME/.local/share/pod. (userns/join.c computes the same path.)
func DataDir() string { return DataDirFrom(os.Getenv) }

// DataDirFrom is DataDir for the environment getenv reads.
func DataDirFrom(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "pod")
	}
	return filepath.Join(getenv("HOME"), ".local", "share", "pod")
}

// runtimeDirRecord is the file in DataDir that names the runtime directory
// the user's containers use in this boot: "path\nbootid\n".
func runtimeDirRecord() string { return RuntimeDirRecord(DataDir()) }

// RuntimeDirRecord is the runtime directory record in the data directory
// dataDir.
func RuntimeDirRecord(dataDir string) string { return filepath.Join(dataDir, "runtime-dir") }

// ParseRuntimeDirRecord reads a runtime directory record: the directory
// and the boot id it was recorded in.
func ParseRuntimeDirRecord(data []byte) (dir, boot string, ok bool) {
	dir, boot, _ = strings.Cut(strings.TrimSpace(string(data)), "\n")
	boot = strings.TrimSpace(boot)
	return dir, boot, filepath.IsAbs(dir) && boot != ""
}

// RuntimeDir returns the per-user runtime directory. Every command of one
// boot uses the same one, whatever its environment: the first choice is
// recorded in the data directory (runtime-dir), and a recorded directory of
// this boot that still exists and belongs to the user wins over
// $XDG_RUNTIME_DIR. Otherwise it is $XDG_RUNTIME_DIR, or /tmp/pod-run-$UID
// (created 0700) when that is unset, and becomes the record. A directory
// owned by another user is refused. The result is exported as
// XDG_RUNTIME_DIR, so that code running inside the namespace (where
// getuid() is 0) uses it too.
func RuntimeDir() (string, error) {
	if dir := recordedRuntimeDir(); dir != "" {
		os.Setenv("XDG_RUNTIME_DIR", dir)
		return dir, nil
	}
	uid := RootlessUID()
	dir := os.Getenv("XDG_RUNTIME_DIR")
	fromEnv := dir != ""
	if !fromEnv {
		dir = filepath.Join(os.TempDir(), "pod-run-"+strconv.Itoa(uid))
		if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
			return "", fmt.Errorf("create runtime directory %s: %w", dir, err)
		}
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("runtime directory %s: %w: create it or unset XDG_RUNTIME_DIR", dir, err)
	}
	if owner := dirOwner(st); !st.IsDir() || owner != ownUID() {
		fix := "unset XDG_RUNTIME_DIR or point it at a directory you own"
		if !fromEnv {
			fix = "remove it (it is not yours) or set XDG_RUNTIME_DIR to a directory you own"
		}
		return "", fmt.Errorf("runtime directory %s is owned by uid %d, not by you (uid %d): %s", dir, owner, uid, fix)
	}
	os.Setenv("XDG_RUNTIME_DIR", dir)
	recordRuntimeDir(dir)
	return dir, nil
}

// ownUID is the uid the user's own files have as seen from here: the
// user's uid outside the namespace, 0 inside.
func ownUID() int {
	if InNamespace() {
		return 0
	}
	return RootlessUID()
}

func dirOwner(st os.FileInfo) int {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(sys.Uid)
	}
	return -1
}

// recordedRuntimeDir returns the recorded runtime directory when it is of
// this boot, still exists and belongs to the user, else "".
func recordedRuntimeDir() string {
	data, err := os.ReadFile(runtimeDirRecord())
	if err != nil {
		return ""
	}
	dir, boot, ok := ParseRuntimeDirRecord(data)
	if !ok || boot != procfs.BootID() {
		return ""
	}
	st, err := os.Lstat(dir)
	if err != nil || !st.IsDir() || dirOwner(st) != ownUID() {
		return ""
	}
	return dir
}

// recordRuntimeDir records dir as this boot's runtime directory. Failing
// to record is not an error: the next command chooses the same way.
func recordRuntimeDir(dir string) {
	rec := runtimeDirRecord()
	want := dir + "\n" + procfs.BootID() + "\n"
	if data, err := os.ReadFile(rec); err == nil && string(data) == want {
		return
	}
	if err := os.MkdirAll(filepath.Dir(rec), 0o700); err != nil {
		return
	}
	tmp := fmt.Sprintf("%s.%d.tmp", rec, os.Getpid())
	if err := os.WriteFile(tmp, []byte(want), 0o600); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, rec); err != nil {
		os.Remove(tmp)
	}
}
