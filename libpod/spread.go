package libpod

import (
	"os"
	"path/filepath"

	"github.com/pod-engine/pod/pkg/fsutil"
)

// spreadDirs marks the directories that receive a new subdirectory per
// layer or container as tops of hierarchies (fsutil.SpreadSubdirs): the
// driver's directory (one per layer), overlay's staging directory (where a
// pulled layer is unpacked before it is moved into place), the storage
// library's containers directory and pod's containers directories (the
// persistent one and the per-boot one, where a filesystem that has the
// attribute holds it). On ext4 without a journal, unpacking a layer in the
// block group of thousands of just-removed files otherwise costs up to ten
// times more (docs/design.md, "Where a cold pull spends its time").
//
// It runs once per boot and store: a marker in the storage's per-boot run
// root (which `system reset` removes with the store) records that it ran,
// so a store open costs one stat, not a dozen system calls; the per-boot
// containers directory is new after a reboot, and so is the marker.
func (r *Runtime) spreadDirs() {
	marker := filepath.Join(r.cfg.Storage.RunRoot, spreadMarker)
	if _, err := os.Stat(marker); err == nil {
		return
	}
	name := r.cfg.Storage.DriverName()
	dirs := []string{
		filepath.Join(r.cfg.StaticDir, "containers"),
		filepath.Join(r.cfg.RunDir, "containers"),
		filepath.Join(r.cfg.Storage.GraphRoot, name+"-containers"), // the storage library's, one per container
	}
	switch name {
	case "overlay":
		driver := filepath.Join(r.cfg.Storage.GraphRoot, name)
		staging := filepath.Join(driver, "tempdirs") // the storage library's staging root
		if os.MkdirAll(staging, 0o700) == nil {
			dirs = append(dirs, driver, staging)
		}
	case "vfs":
		dirs = append(dirs, filepath.Join(r.cfg.Storage.GraphRoot, name, "dir"))
	}
	for _, d := range dirs {
		fsutil.SpreadSubdirs(d)
	}
	if f, err := os.OpenFile(marker, os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
}

// spreadMarker is the marker's name in the storage run root.
const spreadMarker = "pod-spread-dirs"
