package libpod

import (
	"context"
	"fmt"
	"io"

	"go.podman.io/storage/pkg/archive"
)

// ExportContainer writes the container's whole file system to w as an
// uncompressed tar archive. The container may be in any state: it is
// mounted for the export (again, when it runs: the storage library counts
// mounts), and no lock is held while the archive is written. Owners are
// the container's own ids.
func (r *Runtime) ExportContainer(ctx context.Context, nameOrID string, w io.Writer) error {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return err
	}
	root, release, err := c.mountForCopy()
	if err != nil {
		return err
	}
	defer release()
	rc, err := archive.TarWithOptions(root, &archive.TarOptions{Compression: archive.Uncompressed})
	if err != nil {
		return fmt.Errorf("export %s: %w", c.Name(), err)
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return fmt.Errorf("export %s: %w", c.Name(), err)
	}
	return nil
}
