package image

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"go.podman.io/storage"
	"go.podman.io/storage/pkg/reexec"
	stypes "go.podman.io/storage/types"
)

// envInUserNS marks the test binary re-executed in a user namespace.
const envInUserNS = "POD_IMAGE_TEST_USERNS"

func TestMain(m *testing.M) {
	// Layer extraction re-executes the test binary (chrootarchive).
	if reexec.Init() {
		return
	}
	// Storing layers chowns to the store's root and chroots: without
	// root, run the tests as root of a user namespace that maps only the
	// test user, as pod itself runs.
	if os.Geteuid() != 0 && os.Getenv(envInUserNS) == "" {
		os.Exit(runInUserNS())
	}
	os.Exit(m.Run())
}

func runInUserNS() int {
	cmd := exec.Command("/proc/self/exe", os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The image library then keeps to the user's paths, as in pod.
	cmd.Env = append(os.Environ(), envInUserNS+"=1", "_CONTAINERS_USERNS_CONFIGURED=done",
		"_CONTAINERS_ROOTLESS_UID="+strconv.Itoa(os.Geteuid()), "_CONTAINERS_ROOTLESS_GID="+strconv.Itoa(os.Getegid()))
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:                 syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}},
		GidMappingsEnableSetgroups: false,
	}
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "libpod/image tests: cannot enter a user namespace (%v): run them as root\n", err)
		return 1
	}
	return 0
}

// newStore opens a vfs store in a temporary directory. In the tests' own
// user namespace only one id is mapped: layer files keep it as owner.
func newStore(t *testing.T) storage.Store {
	t.Helper()
	dir := t.TempDir()
	so := stypes.StoreOptions{
		GraphRoot:       filepath.Join(dir, "root"),
		RunRoot:         filepath.Join(dir, "run"),
		GraphDriverName: "vfs",
	}
	if os.Getenv(envInUserNS) != "" {
		so.GraphDriverOptions = []string{"vfs.ignore_chown_errors=true"}
	}
	store, err := storage.GetStore(so)
	if err != nil {
		t.Fatalf("GetStore: %v", err)
	}
	t.Cleanup(func() { _, _ = store.Shutdown(true) })
	return store
}

// createImage creates a layerless image with id, names and creation time
// (minutes after a fixed epoch, so that "newest first" is deterministic).
func createImage(t *testing.T, store storage.Store, id string, minute int, names ...string) *storage.Image {
	t.Helper()
	img, err := store.CreateImage(id, names, "", "", &storage.ImageOptions{
		CreationDate: time.Date(2024, 1, 1, 0, minute, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatalf("CreateImage %s: %v", id, err)
	}
	return img
}

// hexID returns a 64-digit id made of prefix followed by filler.
func hexID(prefix string, filler byte) string {
	b := []byte(prefix)
	for len(b) < 64 {
		b = append(b, filler)
	}
	return string(b)
}
