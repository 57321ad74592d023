package spec

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestIDNames(t *testing.T) {
	root := writeRootfs(t, map[string]string{"passwd": testPasswd + "again:x:1000:1000::/:/bin/sh\n", "group": testGroup})
	users, groups, err := IDNames(root)
	if err != nil {
		t.Fatal(err)
	}
	wantUsers := map[int]string{0: "root", 1: "daemon", 1000: "alice", 1001: "bob", 1002: "nohome"}
	wantGroups := map[int]string{0: "root", 1: "bin", 10: "wheel", 1000: "alice", 100: "users", 29: "audio"}
	if !reflect.DeepEqual(users, wantUsers) || !reflect.DeepEqual(groups, wantGroups) {
		t.Errorf("IDNames = %v, %v; want %v, %v", users, groups, wantUsers, wantGroups)
	}

	// No files: no names. A link out of the rootfs reads inside it.
	empty := t.TempDir()
	if u, g, err := IDNames(empty); err != nil || len(u) != 0 || len(g) != 0 {
		t.Errorf("IDNames of an empty rootfs = %v, %v, %v", u, g, err)
	}
	host := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(host, []byte("hostonly:x:4242:4242::/:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(empty, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../../../.."+host, filepath.Join(empty, "etc", "passwd")); err != nil {
		t.Fatal(err)
	}
	if u, _, err := IDNames(empty); err != nil || u[4242] != "" {
		t.Errorf("IDNames followed a link out of the rootfs: %v, %v", u, err)
	}
}
