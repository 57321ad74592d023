package spec

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

const testPasswd = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bob:x:1001:100::/home/bob:/bin/sh
nohome:x:1002:1002:::/bin/sh
# a comment line
`

const testGroup = `root:x:0:root
bin:x:1:root,daemon
wheel:x:10:root,alice
alice:x:1000:
users:x:100:alice,bob
audio:x:29:bob
`

// writeRootfs creates a rootfs with the given /etc files.
func writeRootfs(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(root, "etc", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestResolveUser(t *testing.T) {
	root := writeRootfs(t, map[string]string{"passwd": testPasswd, "group": testGroup})
	tests := []struct {
		spec    string
		want    User
		wantErr string
	}{
		{spec: "", want: User{UID: 0, GID: 0, AdditionalGids: []uint32{0, 1, 10}, Home: "/root"}},
		{spec: "root", want: User{UID: 0, GID: 0, AdditionalGids: []uint32{0, 1, 10}, Home: "/root"}},
		{spec: "0", want: User{UID: 0, GID: 0, AdditionalGids: []uint32{0, 1, 10}, Home: "/root"}},
		{spec: "alice", want: User{UID: 1000, GID: 1000, AdditionalGids: []uint32{1000, 10, 100}, Home: "/home/alice"}},
		{spec: "1000", want: User{UID: 1000, GID: 1000, AdditionalGids: []uint32{1000, 10, 100}, Home: "/home/alice"}},
		{spec: "bob", want: User{UID: 1001, GID: 100, AdditionalGids: []uint32{100, 29}, Home: "/home/bob"}},
		{spec: "nohome", want: User{UID: 1002, GID: 1002, AdditionalGids: []uint32{1002}, Home: "/"}},
		{spec: "alice:users", want: User{UID: 1000, GID: 100, AdditionalGids: []uint32{100}, Home: "/home/alice"}},
		{spec: "alice:29", want: User{UID: 1000, GID: 29, AdditionalGids: []uint32{29}, Home: "/home/alice"}},
		{spec: "1000:1000", want: User{UID: 1000, GID: 1000, AdditionalGids: []uint32{1000}, Home: "/home/alice"}},
		{spec: "4242", want: User{UID: 4242, GID: 0, AdditionalGids: []uint32{0}, Home: "/"}},
		{spec: "4242:4343", want: User{UID: 4242, GID: 4343, AdditionalGids: []uint32{4343}, Home: "/"}},
		{spec: "4242:wheel", want: User{UID: 4242, GID: 10, AdditionalGids: []uint32{10}, Home: "/"}},
		{spec: "4294967294", want: User{UID: 4294967294, AdditionalGids: []uint32{0}, Home: "/"}},
		{spec: "foo", wantErr: "user foo not found in the container's /etc/passwd"},
		{spec: "alice:nogroup", wantErr: "group nogroup not found in the container's /etc/group"},
		{spec: "foo:users", wantErr: "user foo not found"},
		{spec: ":100", wantErr: "user part is empty"},
		{spec: "alice:", wantErr: "group part is empty"},
		{spec: "4294967295", wantErr: "out of range"},
		{spec: "99999999999999999999", wantErr: "out of range"},
		{spec: "1:4294967295", wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ResolveUser(root, tt.spec)
			if tt.wantErr != "" {
				if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrInvalidArg containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestResolveUserMissingFiles(t *testing.T) {
	root := t.TempDir() // no /etc at all
	got, err := ResolveUser(root, "123:456")
	if err != nil {
		t.Fatal(err)
	}
	want := User{UID: 123, GID: 456, AdditionalGids: []uint32{456}, Home: "/"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got, err := ResolveUser(root, ""); err != nil || got.UID != 0 || got.Home != "/" {
		t.Fatalf("root without passwd: %+v, %v", got, err)
	}
	if _, err := ResolveUser(root, "alice"); !errors.Is(err, define.ErrInvalidArg) {
		t.Fatalf("name without passwd: err = %v", err)
	}
	if _, err := ResolveUser("", "0"); !errors.Is(err, define.ErrInvalidArg) {
		t.Fatalf("empty rootfs: err = %v", err)
	}
}

// TestResolveUserSymlinkEscape checks that symlinked passwd and group files
// are resolved inside the rootfs and never read from outside it.
func TestResolveUserSymlinkEscape(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "passwd"), []byte("evil:x:0:0::/evil:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "group"), []byte("evilgrp:x:666:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"absolute", "relative"} {
		t.Run(kind, func(t *testing.T) {
			root := writeRootfs(t, nil)
			target := filepath.Join(outside, "passwd")
			gtarget := filepath.Join(outside, "group")
			if kind == "relative" {
				target = filepath.Join("../../../../../../../../..", target)
				gtarget = filepath.Join("../../../../../../../../..", gtarget)
			}
			if err := os.Symlink(target, filepath.Join(root, "etc", "passwd")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(gtarget, filepath.Join(root, "etc", "group")); err != nil {
				t.Fatal(err)
			}
			if _, err := ResolveUser(root, "evil"); !errors.Is(err, define.ErrInvalidArg) {
				t.Fatalf("user from outside the rootfs resolved: err = %v", err)
			}
			if _, err := ResolveUser(root, "0:evilgrp"); !errors.Is(err, define.ErrInvalidArg) {
				t.Fatalf("group from outside the rootfs resolved: err = %v", err)
			}
		})
	}

	// A symlink resolved inside the rootfs is followed there.
	root := writeRootfs(t, nil)
	if err := os.MkdirAll(filepath.Join(root, "usr", "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "usr", "lib", "passwd"), []byte(testPasswd), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/usr/lib/passwd", filepath.Join(root, "etc", "passwd")); err != nil {
		t.Fatal(err)
	}
	got, err := ResolveUser(root, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if got.UID != 1000 || got.Home != "/home/alice" {
		t.Fatalf("got %+v", got)
	}
}

func TestResolveUserNotRegular(t *testing.T) {
	root := writeRootfs(t, nil)
	if err := os.Mkdir(filepath.Join(root, "etc", "passwd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ResolveUser(root, "alice"); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v", err)
	}
}
