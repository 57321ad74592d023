package libpod

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

func TestDelegatedCgroup(t *testing.T) {
	self := []byte("0::/user.slice/user-1000.slice/user@1000.service/app.slice/term.scope\n")
	parent := "/user.slice/user-1000.slice/user@1000.service/app.slice"
	mk := func(t *testing.T, v2 bool, subtree, offered string) string {
		root := t.TempDir()
		dir := filepath.Join(root, parent)
		if err := os.MkdirAll(filepath.Join(dir, "term.scope"), 0o755); err != nil {
			t.Fatal(err)
		}
		if v2 {
			writeFile(t, filepath.Join(root, "cgroup.controllers"), "cpuset cpu io memory pids\n")
		}
		writeFile(t, filepath.Join(dir, "cgroup.subtree_control"), subtree)
		writeFile(t, filepath.Join(dir, "cgroup.controllers"), offered)
		return root
	}

	// Hybrid or v1 host: the unified hierarchy is not at the mount point.
	if _, err := delegatedCgroup(mk(t, false, "", ""), self, []string{"memory"}); !errors.Is(err, define.ErrNoCgroupV2) {
		t.Errorf("v1: %v, want ErrNoCgroupV2", err)
	}
	// Delegated with the controllers enabled.
	root := mk(t, true, "cpu memory pids\n", "cpu memory pids\n")
	got, err := delegatedCgroup(root, self, []string{"memory", "pids"})
	if err != nil || got != parent {
		t.Fatalf("delegated: %q, %v; want %q", got, err, parent)
	}
	// A controller not yet enabled is enabled by writing +NAME.
	root = mk(t, true, "memory\n", "cpu memory\n")
	if _, err := delegatedCgroup(root, self, []string{"cpu"}); err != nil {
		t.Fatalf("enable cpu: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, parent, "cgroup.subtree_control")); string(data) != "+cpu" {
		t.Errorf("subtree_control = %q, want +cpu written", data)
	}
	// Not writable by the user: not delegated.
	if os.Getuid() != 0 {
		root = mk(t, true, "memory\n", "memory\n")
		if err := os.Chmod(filepath.Join(root, parent), 0o555); err != nil {
			t.Fatal(err)
		}
		if _, err := delegatedCgroup(root, self, []string{"memory"}); err == nil || !strings.Contains(err.Error(), "not delegated") {
			t.Errorf("read-only cgroup: %v", err)
		}
	}
	// No unified line in /proc/self/cgroup.
	if _, err := delegatedCgroup(mk(t, true, "", ""), []byte("4:memory:/x\n"), nil); !errors.Is(err, define.ErrNoCgroupV2) {
		t.Errorf("no 0:: line: %v", err)
	}
}

func TestUsernsConfig(t *testing.T) {
	ns := []spec.IDMap{{ContainerID: 0, HostID: 1001, Size: 1}, {ContainerID: 1, HostID: 100000, Size: 65536}}
	t.Setenv("USER", "alice")
	u, err := (&UsernsOptions{Mode: "keep-id"}).usernsConfig(ns, ns)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(spec.FormatIDMaps(u.UIDMap), " "); got != "0:1:1001 1001:0:1 1002:1002:64535" {
		t.Errorf("keep-id uid map %s", got)
	}
	if u.defaultUser("") != "1001:1001" || u.defaultUser("root") != "root" || u.PasswdUser.Name != "alice" {
		t.Errorf("keep-id user %q %+v", u.defaultUser(""), u.PasswdUser)
	}
	if u.storageIDMappings().UIDMap[1].HostID != 0 {
		t.Errorf("storage maps %+v", u.storageIDMappings())
	}
	u, err = (&UsernsOptions{UIDMap: []string{"0:1:500"}}).usernsConfig(ns, ns)
	if err != nil || u.Mode != spec.UsernsPrivate || len(u.GIDMap) != 1 || u.GIDMap[0].Size != 500 {
		t.Errorf("--uidmap alone: %+v, %v (the gid map follows it)", u, err)
	}
	if _, err := (&UsernsOptions{Mode: "auto", UIDMap: []string{"0:1:5"}}).usernsConfig(ns, ns); err == nil || !strings.Contains(err.Error(), "mutually exclusive") {
		t.Errorf("--userns with --uidmap: %v", err)
	}
	if _, err := (&UsernsOptions{GIDMap: []string{"0:1:70000"}}).usernsConfig(ns, ns); err == nil || !strings.Contains(err.Error(), "--gidmap 0:1:70000") {
		t.Errorf("--gidmap out of range: %v", err)
	}
	if u, err := (&UsernsOptions{Mode: "host"}).usernsConfig(ns, ns); u != nil || err != nil {
		t.Errorf("host: %+v %v", u, err)
	}
	u, err = (&UsernsOptions{Mode: "auto:size=2000"}).usernsConfig(ns, ns)
	if err != nil || !u.storageIDMappings().AutoUserNs || u.storageIDMappings().AutoUserNsOpts.Size != 2000 {
		t.Errorf("auto: %+v %v", u, err)
	}
}
