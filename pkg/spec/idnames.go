package spec

import (
	"bytes"
	"fmt"

	"github.com/moby/sys/user"
)

// IDNames returns the names the container's /etc/passwd and /etc/group
// below rootfs give to user and group ids (the first entry of an id wins),
// read as ResolveUser reads them: symlinks resolved inside rootfs, a
// missing file read as empty.
func IDNames(rootfs string) (users, groups map[int]string, err error) {
	passwd, err := readRootfsFile(rootfs, "/etc/passwd")
	if err != nil {
		return nil, nil, err
	}
	group, err := readRootfsFile(rootfs, "/etc/group")
	if err != nil {
		return nil, nil, err
	}
	us, err := user.ParsePasswd(bytes.NewReader(passwd))
	if err != nil {
		return nil, nil, fmt.Errorf("parse the container's /etc/passwd: %w", err)
	}
	gs, err := user.ParseGroup(bytes.NewReader(group))
	if err != nil {
		return nil, nil, fmt.Errorf("parse the container's /etc/group: %w", err)
	}
	users, groups = make(map[int]string, len(us)), make(map[int]string, len(gs))
	for _, u := range us {
		if _, dup := users[u.Uid]; !dup && u.Name != "" {
			users[u.Uid] = u.Name
		}
	}
	for _, g := range gs {
		if _, dup := groups[g.Gid]; !dup && g.Name != "" {
			groups[g.Gid] = g.Name
		}
	}
	return users, groups, nil
}
