package libpod

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/procfs"
)

// storageContainer gives the container id a storage container on an empty
// layer (vfs), as create would on an image, and returns its directory.
func storageContainer(t *testing.T, r *Runtime, id, name string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the storage library needs root (or pod's user namespace) to open a store")
	}
	store, err := r.getStore()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateContainer(id, nil, "", "", "", nil); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, r, id, name, time.Now())
}

func TestMountUnmount(t *testing.T) {
	r := testRuntime(t)
	ctx := context.Background()
	id := hexID("c3")
	storageContainer(t, r, id, "data")
	if m, err := r.MountedContainers(ctx); err != nil || len(m) != 0 {
		t.Fatalf("mounted before any mount: %v, %v", m, err)
	}
	path, err := r.MountContainer(ctx, "data")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := r.MountContainer(ctx, "data"); err != nil || again != path {
		t.Fatalf("second mount: %q, %v; want %q", again, err, path)
	}
	m, err := r.MountedContainers(ctx)
	if err != nil || !reflect.DeepEqual(m, []MountedContainer{{ID: id, Name: "data", Mountpoint: path}}) {
		t.Fatalf("MountedContainers = %+v, %v", m, err)
	}
	// Two mounts: one unmount leaves it mounted, the second unmounts.
	if err := r.UnmountContainer(ctx, "data", false); err != nil {
		t.Fatal(err)
	}
	if m, _ := r.MountedContainers(ctx); len(m) != 1 {
		t.Errorf("after one of two unmounts: %+v", m)
	}
	if err := r.UnmountContainer(ctx, "data", false); err != nil {
		t.Fatal(err)
	}
	if m, _ := r.MountedContainers(ctx); len(m) != 0 {
		t.Errorf("after both unmounts: %+v", m)
	}
	// Unmounting what is not mounted does nothing (the count stays 0).
	if err := r.UnmountContainer(ctx, "data", false); err != nil {
		t.Fatal(err)
	}
	store, _ := r.getStore()
	if n, err := store.Mounted(id); err != nil || n != 0 {
		t.Errorf("mount count after an extra unmount: %d, %v", n, err)
	}
	// Force drops every mount.
	for i := 0; i < 3; i++ {
		if _, err := r.MountContainer(ctx, "data"); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.UnmountContainer(ctx, "data", true); err != nil {
		t.Fatal(err)
	}
	if n, _ := store.Mounted(id); n != 0 {
		t.Errorf("mount count after a forced unmount: %d", n)
	}

	// A running container keeps the mount it runs on.
	self, start := os.Getpid(), procfs.StartTime(os.Getpid())
	writeState(t, r, id, map[string]any{"status": "running", "pid": self, "pidStart": start, "mountpoint": path,
		"monitorPid": self, "monitorStart": start, "bootId": procfs.BootID()})
	if _, err := store.Mount(id, ""); err != nil { // start's own mount
		t.Fatal(err)
	}
	err = r.UnmountContainer(ctx, "data", true)
	if !errors.Is(err, define.ErrCtrStateInvalid) {
		t.Errorf("unmount of a running container's only mount: %v", err)
	}
	if _, err := r.MountContainer(ctx, "data"); err != nil {
		t.Fatal(err)
	}
	if err := r.UnmountContainer(ctx, "data", true); err != nil {
		t.Fatal(err)
	}
	if n, _ := store.Mounted(id); n != 1 {
		t.Errorf("a running container's forced unmount left %d mounts, want its own", n)
	}
	if _, err := r.MountContainer(ctx, "nope"); !errors.Is(err, define.ErrNoSuchCtr) {
		t.Errorf("mount of a missing container: %v", err)
	}
}

func TestDiffContainer(t *testing.T) {
	r := testRuntime(t)
	ctx := context.Background()
	id := hexID("d4")
	storageContainer(t, r, id, "changed")
	path, err := r.MountContainer(ctx, "changed")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"a/b", "etc"} {
		if err := os.MkdirAll(filepath.Join(path, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"a/b/f", "a-c", "etc/hosts", "etc/motd"} {
		writeFile(t, filepath.Join(path, f), "x")
	}
	if err := r.UnmountContainer(ctx, "changed", false); err != nil {
		t.Fatal(err)
	}
	got, err := r.DiffContainer(ctx, "changed")
	if err != nil {
		t.Fatal(err)
	}
	// A layer without a parent: everything is added; /etc/hosts is the
	// runtime's and left out; a directory comes before what it holds.
	want := []Change{{ChangeAdd, "/a"}, {ChangeAdd, "/a/b"}, {ChangeAdd, "/a/b/f"}, {ChangeAdd, "/a-c"},
		{ChangeAdd, "/etc"}, {ChangeAdd, "/etc/motd"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DiffContainer = %v, want %v", got, want)
	}
	if _, err := r.DiffContainer(ctx, "nope"); !errors.Is(err, define.ErrNoSuchCtr) {
		t.Errorf("diff of a missing container: %v", err)
	}
}
