package libpod

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

// PasswdOptions are --passwd, --passwd-entry and --hostuser as given.
type PasswdOptions struct {
	// Disable is --passwd=false: nothing is added to the container's
	// /etc/passwd and /etc/group.
	Disable bool
	// Entry is --passwd-entry: the template of each line added to
	// /etc/passwd, with $USERNAME, $UID, $GID, $NAME and $HOME replaced.
	Entry string
	// HostUsers are --hostuser: host accounts (names or uids) copied into
	// the container's /etc/passwd.
	HostUsers []string
}

// PasswdConfig is what a container adds to its /etc/passwd and /etc/group
// at each start, beside the lines of its user (a numeric --user the image
// does not know, keep-id's host user).
type PasswdConfig struct {
	Disabled  bool     `json:"disabled,omitempty"`
	Entry     string   `json:"entry,omitempty"`
	HostUsers []string `json:"hostUsers,omitempty"`
}

// config validates the options: every --hostuser must exist on the host.
func (o PasswdOptions) config() (PasswdConfig, error) {
	for _, name := range o.HostUsers {
		if _, err := lookupHostUser(name); err != nil {
			return PasswdConfig{}, err
		}
	}
	return PasswdConfig{Disabled: o.Disable, Entry: o.Entry, HostUsers: o.HostUsers}, nil
}

// lookupHostUser finds a host account by name, else by uid.
func lookupHostUser(name string) (*user.User, error) {
	if name == "" {
		return nil, fmt.Errorf("--hostuser: empty user name: give a host user's name or uid: %w", define.ErrInvalidArg)
	}
	u, err := user.Lookup(name)
	if err != nil {
		if _, nerr := strconv.ParseUint(name, 10, 32); nerr == nil {
			u, err = user.LookupId(name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("--hostuser %s: no such user on the host: give a name or uid of the host's /etc/passwd: %w", name, define.ErrInvalidArg)
	}
	return u, nil
}

// passwdLine is one line added to /etc/passwd: the --passwd-entry
// template filled in, else the default form.
func (p PasswdConfig) passwdLine(username, uid, gid, name, home string) string {
	if p.Entry == "" {
		return fmt.Sprintf("%s:*:%s:%s:%s:%s:/bin/sh\n", username, uid, gid, name, home)
	}
	r := strings.NewReplacer("$USERNAME", username, "$UID", uid, "$GID", gid, "$NAME", name, "$HOME", home)
	return r.Replace(p.Entry) + "\n"
}

// hasEntry reports whether a passwd or group file has a line whose name
// (first field) or id (third field) is s.
func hasEntry(data []byte, s string) bool {
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, ":"); len(f) > 2 && (f[0] == s || f[2] == s) {
			return true
		}
	}
	return false
}

// groupID resolves the group part of a --user value in a group file;
// ok is false for an unknown name.
func groupID(group []byte, g string) (string, bool) {
	if _, err := strconv.ParseUint(g, 10, 32); err == nil {
		return g, true
	}
	for _, line := range strings.Split(string(group), "\n") {
		if f := strings.Split(line, ":"); len(f) > 2 && f[0] == g {
			return f[2], true
		}
	}
	return "", false
}

// passwdFiles returns the container's /etc/passwd and /etc/group as they
// are to be at this start (nil: the image's file is used as it is). Added,
// when the image has no entry for them: the --hostuser accounts, keep-id's
// host user, and a numeric user of userSpec (with its numeric group).
// Nothing is added with --passwd=false or to a file the image lacks.
func (c *Container) passwdFiles(rootfs, userSpec string) (passwd, group []byte, err error) {
	pc := c.Config.Passwd
	if pc.Disabled {
		return nil, nil, nil
	}
	origP, err := spec.RootfsFile(rootfs, "/etc/passwd")
	if err != nil {
		return nil, nil, err
	}
	origG, err := spec.RootfsFile(rootfs, "/etc/group")
	if err != nil {
		return nil, nil, err
	}
	home := firstNonEmpty(c.Config.WorkDir, c.Config.ImageConfig.WorkingDir, "/")
	var lines, glines []string
	for _, name := range pc.HostUsers {
		hu, err := lookupHostUser(name)
		if err != nil {
			return nil, nil, err
		}
		if hasEntry(origP, hu.Username) || hasEntry(origP, hu.Uid) {
			continue
		}
		lines = append(lines, pc.passwdLine(hu.Username, hu.Uid, hu.Gid, hu.Name, home))
	}
	addedUID, addedGID := "", ""
	if u := c.Config.Userns; u != nil && u.PasswdUser != nil && !u.PasswdUser.NoEntries {
		p := u.PasswdUser
		uid, gid := strconv.FormatUint(uint64(p.UID), 10), strconv.FormatUint(uint64(p.GID), 10)
		if !hasIDField(origP, uid) {
			lines = append(lines, pc.passwdLine(p.Name, uid, gid, "", home))
			addedUID = uid
		}
		if !hasIDField(origG, gid) {
			glines = append(glines, fmt.Sprintf("%s:x:%s:%s\n", p.Name, gid, p.Name))
			addedGID = gid
		}
	}
	userPart, groupPart, hasGroup := strings.Cut(userSpec, ":")
	if _, err := strconv.ParseUint(userPart, 10, 32); err == nil && userPart != addedUID && !hasEntry(origP, userPart) {
		gid := "0"
		if hasGroup {
			if gid, _ = groupID(origG, groupPart); gid == "" {
				gid = "0" // an unknown name: resolving the user reports it
			}
		}
		lines = append(lines, pc.passwdLine(userPart, userPart, gid, "container user", home))
	}
	if _, err := strconv.ParseUint(groupPart, 10, 32); hasGroup && err == nil && groupPart != addedGID && !hasEntry(origG, groupPart) {
		glines = append(glines, fmt.Sprintf("%s:x:%s:%s\n", groupPart, groupPart, userPart))
	}
	return extendEtcFile(origP, lines), extendEtcFile(origG, glines), nil
}

// hasIDField reports whether a passwd or group file has a line whose id
// (third field) is id.
func hasIDField(data []byte, id string) bool {
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, ":"); len(f) > 2 && f[2] == id {
			return true
		}
	}
	return false
}

// extendEtcFile appends lines to a file's contents; nil when there is
// nothing to add or no file.
func extendEtcFile(data []byte, lines []string) []byte {
	if data == nil || len(lines) == 0 {
		return nil
	}
	out := slices.Clone(data)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	for _, l := range lines {
		out = append(out, l...)
	}
	return out
}

// mountPasswdFiles writes the extended /etc/passwd and /etc/group to the
// run directory and binds them over the image's (read-only with
// --read-only), unless the user mounts something there.
func (c *Container) mountPasswdFiles(s *specs.Spec, passwd, group []byte) error {
	for _, f := range []struct {
		name string
		data []byte
	}{{"passwd", passwd}, {"group", group}} {
		dest := "/etc/" + f.name
		if f.data == nil || slices.ContainsFunc(s.Mounts, func(m specs.Mount) bool { return filepath.Clean(m.Destination) == dest }) {
			continue
		}
		dst := filepath.Join(c.runDir(), f.name)
		if err := os.WriteFile(dst, f.data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
		opts := []string{"bind", "rprivate"}
		if c.Config.ReadOnly {
			opts = append(opts, "ro")
		}
		s.Mounts = append(s.Mounts, specs.Mount{Destination: dest, Type: "bind", Source: dst, Options: opts})
	}
	return nil
}
