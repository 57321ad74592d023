package fsutil

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSpreadSubdirs(t *testing.T) {
	dir := t.TempDir()
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	before, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EINVAL) {
		t.Skipf("%s has no inode flags: %v", dir, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	SpreadSubdirs(dir)
	SpreadSubdirs(dir) // a second call changes nothing
	after, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if err != nil {
		t.Fatal(err)
	}
	if after&topDirFlag == 0 {
		t.Skipf("the filesystem of %s keeps no top-directory flag (flags %#x)", dir, after)
	}
	if after&^topDirFlag != before&^topDirFlag {
		t.Errorf("other flags changed: %#x -> %#x", before, after)
	}
	SpreadSubdirs(dir + "/missing") // no such directory: nothing happens, no panic
}
