package libpod

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

func TestPasswdFiles(t *testing.T) {
	rootfs := t.TempDir()
	writeFile(t, filepath.Join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh")
	writeFile(t, filepath.Join(rootfs, "etc", "group"), "root:x:0:\nwheel:x:10:root\n")
	for _, tt := range []struct {
		name        string
		cfg         ContainerConfig
		user        string
		passwd, grp string // "" = unchanged
	}{
		{"known user", ContainerConfig{}, "1000", "", ""},
		{"known name", ContainerConfig{}, "bob:5", "", "5:x:5:bob\n"},
		{"numeric user", ContainerConfig{WorkDir: "/w"}, "1234", "1234:*:1234:0:container user:/w:/bin/sh\n", ""},
		{"user and group", ContainerConfig{}, "1234:5678", "1234:*:1234:5678:container user:/:/bin/sh\n", "5678:x:5678:1234\n"},
		{"group name", ContainerConfig{}, "1234:wheel", "1234:*:1234:10:container user:/:/bin/sh\n", ""},
		{"template", ContainerConfig{Passwd: PasswdConfig{Entry: "$USERNAME|$UID|$GID|$NAME|$HOME"}}, "7:8", "7|7|8|container user|/\n", "8:x:8:7\n"},
		{"disabled", ContainerConfig{Passwd: PasswdConfig{Disabled: true}}, "1234:5678", "", ""},
		{"keep-id", ContainerConfig{Userns: &UsernsConfig{PasswdUser: &PasswdUser{Name: "al", UID: 1001, GID: 1001}}}, "1001:1001",
			"al:*:1001:1001::/:/bin/sh\n", "al:x:1001:al\n"},
		{"image user", ContainerConfig{}, "", "", ""},
	} {
		c := &Container{Config: &tt.cfg}
		p, g, err := c.passwdFiles(rootfs, tt.user)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		check := func(what string, got []byte, orig, added string) {
			if added == "" {
				if got != nil {
					t.Errorf("%s: %s changed: %q", tt.name, what, got)
				}
				return
			}
			if want := orig + added; string(got) != want {
				t.Errorf("%s: %s = %q, want %q", tt.name, what, got, want)
			}
		}
		check("passwd", p, "root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n", tt.passwd)
		check("group", g, "root:x:0:\nwheel:x:10:root\n", tt.grp)
		if p != nil {
			u, err := spec.ResolveUserWith(rootfs, tt.user, p, g)
			if err != nil || u.Home != map[bool]string{true: "/w", false: u.Home}[tt.cfg.WorkDir != ""] {
				t.Errorf("%s: resolved %+v, %v", tt.name, u, err)
			}
		}
	}
	// An image without the files gets none.
	c := &Container{Config: &ContainerConfig{}}
	if p, g, err := c.passwdFiles(t.TempDir(), "1234:5678"); p != nil || g != nil || err != nil {
		t.Errorf("no files: %q %q %v", p, g, err)
	}
}

func TestHostUserOption(t *testing.T) {
	if _, err := (PasswdOptions{HostUsers: []string{"root"}}).config(); err != nil {
		t.Errorf("--hostuser root: %v", err)
	}
	if _, err := (PasswdOptions{HostUsers: []string{"0"}}).config(); err != nil {
		t.Errorf("--hostuser 0: %v", err)
	}
	for _, bad := range []string{"no-such-user-x", ""} {
		if _, err := (PasswdOptions{HostUsers: []string{bad}}).config(); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("--hostuser %q: %v", bad, err)
		}
	}
	c := &Container{Config: &ContainerConfig{Passwd: PasswdConfig{HostUsers: []string{"root", "0"}}}}
	rootfs := t.TempDir()
	writeFile(t, filepath.Join(rootfs, "etc", "passwd"), "nobody:x:65534:65534::/:/bin/sh\n")
	p, _, err := c.passwdFiles(rootfs, "")
	if err != nil || string(p) != "nobody:x:65534:65534::/:/bin/sh\nroot:*:0:0:root:/:/bin/sh\nroot:*:0:0:root:/:/bin/sh\n" {
		t.Errorf("--hostuser root,0: %q %v", p, err)
	}
}
