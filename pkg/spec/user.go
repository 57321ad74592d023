package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	securejoin "github.com/cyphar/filepath-securejoin"
	"github.com/moby/sys/user"
	"golang.org/x/sys/unix"
)

// User is the identity the container's first process runs as.
type User struct {
	UID, GID       uint32
	AdditionalGids []uint32 // primary group first, then the supplementary groups
	Home           string   // from /etc/passwd; "/" when unknown
}

// maxUserFileSize bounds what is read of the container's passwd and group
// files.
const maxUserFileSize = 16 << 20

// ResolveUser resolves a --user value against the container's /etc/passwd
// and /etc/group below rootfs. Accepted forms: "" (root), "name", "uid",
// "name:group", "uid:gid", "name:gid" and "uid:group".
//
// Numeric ids need not exist in the files; names must. When no group is
// given, the primary group comes from passwd (0 when the uid has no entry)
// and the supplementary groups are those of /etc/group listing the user.
// AdditionalGids holds the primary group followed by the supplementary ones.
//
// The files are looked up with symlinks resolved inside rootfs, so a link
// pointing outside it never reads a host file, and are opened without
// following a final symlink. Unknown names are errors wrapping
// define.ErrInvalidArg.
func ResolveUser(rootfs, spec string) (User, error) {
	return ResolveUserWith(rootfs, spec, nil, nil)
}

// ResolveUserWith is ResolveUser with the contents of the container's
// /etc/passwd and /etc/group given (nil: read below rootfs), for files the
// engine extends before the container starts.
func ResolveUserWith(rootfs, spec string, passwdData, groupData []byte) (User, error) {
	read := func(name string, data []byte) ([]byte, error) {
		if data != nil {
			return data, nil
		}
		return readRootfsFile(rootfs, name)
	}
	userPart, groupPart, hasGroup := strings.Cut(spec, ":")
	if userPart == "" && hasGroup {
		return User{}, invalidArg("invalid user %q: the user part is empty", spec)
	}
	if hasGroup && groupPart == "" {
		return User{}, invalidArg("invalid user %q: the group part is empty", spec)
	}
	if userPart == "" {
		userPart = "0"
	}

	passwd, err := read("/etc/passwd", passwdData)
	if err != nil {
		return User{}, err
	}
	uid, uidIsNum, err := parseID(userPart)
	if err != nil {
		return User{}, invalidArg("invalid user %q: %v", spec, err)
	}
	users, err := user.ParsePasswdFilter(bytes.NewReader(passwd), func(u user.User) bool {
		if uidIsNum {
			return u.Uid >= 0 && uint64(u.Uid) == uint64(uid)
		}
		return u.Name == userPart
	})
	if err != nil {
		return User{}, fmt.Errorf("parse the container's /etc/passwd: %w", err)
	}

	res := User{UID: uid, Home: "/"}
	matchedName := ""
	switch {
	case len(users) > 0:
		u := users[0]
		if u.Uid < 0 || u.Gid < 0 || uint64(u.Uid) > maxID || uint64(u.Gid) > maxID {
			return User{}, invalidArg("user %s has invalid ids in the container's /etc/passwd", userPart)
		}
		res.UID, res.GID = uint32(u.Uid), uint32(u.Gid)
		if u.Home != "" {
			res.Home = u.Home
		}
		matchedName = u.Name
	case !uidIsNum:
		return User{}, invalidArg("user %s not found in the container's /etc/passwd", userPart)
	}

	var group []byte
	if hasGroup || matchedName != "" {
		if group, err = read("/etc/group", groupData); err != nil {
			return User{}, err
		}
	}
	if hasGroup {
		gid, err := lookupGroup(group, groupPart)
		if err != nil {
			return User{}, err
		}
		res.GID = gid
		res.AdditionalGids = []uint32{gid}
		return res, nil
	}

	res.AdditionalGids = []uint32{res.GID}
	if matchedName == "" {
		return res, nil
	}
	groups, err := user.ParseGroupFilter(bytes.NewReader(group), func(g user.Group) bool {
		for _, m := range g.List {
			if m == matchedName {
				return true
			}
		}
		return false
	})
	if err != nil {
		return User{}, fmt.Errorf("parse the container's /etc/group: %w", err)
	}
	for _, g := range groups {
		if g.Gid < 0 || uint64(g.Gid) > maxID {
			continue
		}
		res.AdditionalGids = appendUnique(res.AdditionalGids, uint32(g.Gid))
	}
	return res, nil
}

// maxID is the largest valid uid or gid; 2^32-1 means "no id".
const maxID = 1<<32 - 2

// parseID parses a numeric uid or gid; ok is false when s is a name.
func parseID(s string) (id uint32, ok bool, err error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, true, fmt.Errorf("id %s out of range", s)
		}
		return 0, false, nil
	}
	if n > maxID {
		return 0, true, fmt.Errorf("id %s out of range", s)
	}
	return uint32(n), true, nil
}

// lookupGroup resolves a group name or number against group file contents.
func lookupGroup(group []byte, spec string) (uint32, error) {
	gid, isNum, err := parseID(spec)
	if err != nil {
		return 0, invalidArg("invalid group %q: %v", spec, err)
	}
	if isNum {
		return gid, nil
	}
	groups, err := user.ParseGroupFilter(bytes.NewReader(group), func(g user.Group) bool {
		return g.Name == spec
	})
	if err != nil {
		return 0, fmt.Errorf("parse the container's /etc/group: %w", err)
	}
	if len(groups) == 0 {
		return 0, invalidArg("group %s not found in the container's /etc/group", spec)
	}
	g := groups[0]
	if g.Gid < 0 || uint64(g.Gid) > maxID {
		return 0, invalidArg("group %s has an invalid id in the container's /etc/group", spec)
	}
	return uint32(g.Gid), nil
}

func appendUnique(ids []uint32, id uint32) []uint32 {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

// readRootfsFile reads name (an absolute path inside the container) below
// rootfs. Symlinks are resolved as if rootfs were "/", the final component is
// opened with O_NOFOLLOW and must be a regular file. A missing file reads as
// empty.
func readRootfsFile(rootfs, name string) ([]byte, error) {
	if rootfs == "" {
		return nil, invalidArg("read the container's %s: no rootfs given", name)
	}
	p, err := securejoin.SecureJoin(filepath.Clean(rootfs), name)
	if err != nil {
		return nil, fmt.Errorf("resolve the container's %s: %w", name, err)
	}
	f, err := os.OpenFile(p, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, unix.ENOTDIR) {
			return nil, nil
		}
		return nil, fmt.Errorf("open the container's %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat the container's %s: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return nil, invalidArg("the container's %s is not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxUserFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read the container's %s: %w", name, err)
	}
	if len(data) > maxUserFileSize {
		return nil, invalidArg("the container's %s is larger than %d bytes", name, maxUserFileSize)
	}
	return data, nil
}
