package fsutil

import (
	"golang.org/x/sys/unix"
)

// topDirFlag is FS_TOPDIR_FL of <linux/fs.h> (x/sys does not name it).
const topDirFlag = 0x00020000

// SpreadSubdirs marks dir as the top of directory hierarchies (ext2/3/4's
// "T" attribute, FS_TOPDIR_FL) unless it is already: the allocator then
// places each new subdirectory, and so the files below it, in a block group
// of its own choosing (one with few directories and many free inodes)
// instead of dir's group. On ext4 without a journal the inode allocator
// steps over every recently freed inode of a group, one inode-table lookup
// each, so creating files in a group where thousands were just deleted
// (removed containers and images) costs up to ten times more; new layers and
// containers placed in other groups do not pay it. Filesystems without the
// attribute, and a directory pod may not change, are left as they are: it
// only ever makes file creation faster.
func SpreadSubdirs(dir string) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if err != nil || flags&topDirFlag != 0 {
		return
	}
	_ = unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, int(flags|topDirFlag))
}
