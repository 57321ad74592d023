package e2e

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// inodeFlags reads a directory's inode flags (lsattr's).
func inodeFlags(t testing.TB, dir string) (uint32, bool) {
	t.Helper()
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	return flags, err == nil
}

// The directories that get a subdirectory per layer or container carry
// the top-of-hierarchy attribute once the store was opened (docs/design.md,
// "Where a cold pull spends its time"), and a pull works as before.
func TestStoreDirsSpread(t *testing.T) {
	skipUnderPodman(t, "pod's storage layout")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.MustPod(t, "create", "--name", "spread", "alpine", "true")
	const topDir = 0x00020000 // FS_TOPDIR_FL
	share := filepath.Join(e.Home, ".local/share/pod")
	for _, d := range []string{"storage/overlay", "storage/overlay/tempdirs", "storage/overlay-containers", "containers"} {
		flags, ok := inodeFlags(t, filepath.Join(share, d))
		if !ok {
			t.Skipf("the filesystem of %s has no inode flags", share)
		}
		if flags&topDir == 0 {
			t.Errorf("%s lacks the top-of-hierarchy attribute (flags %#x)", d, flags)
		}
	}
	e.MustPod(t, "rm", "spread")
	e.MustPod(t, "rmi", "alpine")
	e.MustPod(t, "pull", "-q", "alpine")
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "cat", "/etc/alpine-release"), "3.20.3\n")
}
