package userns

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
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

// RootlessGID is the user's gid on the host, also inside the namespace.
func RootlessGID() int {
	if v := os.Getenv("_POD_ROOTLESS_GID"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return os.Getgid()
}

// RuntimeDir returns the per-user runtime directory: $XDG_RUNTIME_DIR, or
// /tmp/pod-run-$UID (created 0700) when it is unset. A directory owned by
// another user is refused. It exports the result as XDG_RUNTIME_DIR, so that
// code running inside the namespace (where getuid() is 0) uses it too.
func RuntimeDir() (string, error) {
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
	sys, ok := st.Sys().(*syscall.Stat_t)
	owner := -1
	if ok {
		owner = int(sys.Uid)
	}
	inNS := InNamespace()
	if !st.IsDir() || (!inNS && owner != uid) || (inNS && owner != 0) {
		fix := "unset XDG_RUNTIME_DIR or point it at a directory you own"
		if !fromEnv {
			fix = "remove it (it is not yours) or set XDG_RUNTIME_DIR to a directory you own"
		}
		return "", fmt.Errorf("runtime directory %s is owned by uid %d, not by you (uid %d): %s", dir, owner, uid, fix)
	}
	if !fromEnv {
		os.Setenv("XDG_RUNTIME_DIR", dir)
	}
	return dir, nil
}
