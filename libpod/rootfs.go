package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

// A --rootfs container runs on a host directory instead of an image: its
// storage container has an empty layer and no image (so removal, checks
// and sizes work as for any container), and start, cp, export and mount
// use the directory, or with ":O" an overlay of it whose upper layer lives
// in the container's directory until it is removed. It cannot be
// committed.

// parseRootfs checks a --rootfs argument, DIR or DIR:O, and returns the
// absolute directory.
func parseRootfs(arg string) (dir string, overlay bool, err error) {
	dir = arg
	if d, ok := strings.CutSuffix(arg, ":O"); ok {
		dir, overlay = d, true
	}
	st, err := os.Stat(dir)
	if err != nil {
		return "", false, fmt.Errorf("--rootfs %s: %w: give an existing directory holding the container's root filesystem: %w",
			arg, errors.Unwrap(err), define.ErrInvalidArg)
	}
	if !st.IsDir() {
		return "", false, fmt.Errorf("--rootfs %s: not a directory: give the directory holding the container's root filesystem: %w", arg, define.ErrInvalidArg)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return "", false, fmt.Errorf("--rootfs %s: %w", arg, err)
	}
	return dir, overlay, nil
}

// createImage makes the image of a create available as the pull policy
// says; a --rootfs create has none (an empty reference) and records its
// directory instead.
func (r *Runtime) createImage(ctx context.Context, o *CreateOptions, cfg *ContainerConfig) (*ImageRef, error) {
	if o.Rootfs {
		dir, overlay, err := parseRootfs(o.Image)
		if err != nil {
			return nil, err
		}
		cfg.Image, cfg.Rootfs, cfg.RootfsOverlay = "", dir, overlay
		return &ImageRef{}, nil
	}
	po, err := o.pullOptions(r.cfg.PullPolicy)
	if err != nil {
		return nil, err
	}
	logrus.Debugf("resolving image %s", o.Image)
	return r.PullImage(ctx, o.Image, po)
}

// rootfsOverlayDir holds a ":O" container's upper, work and merged
// directories.
func (c *Container) rootfsOverlayDir() string { return filepath.Join(c.staticDir(), "rootfs") }

// mountRootfs returns the root filesystem of a --rootfs container:
// the directory, or its overlay, mounted here if it is not yet.
func (c *Container) mountRootfs() (string, error) {
	if !c.Config.RootfsOverlay {
		return c.Config.Rootfs, nil
	}
	dir := c.rootfsOverlayDir()
	merged := filepath.Join(dir, "merged")
	if mounted(merged) {
		return merged, nil
	}
	opts, err := prepareOverlay(dir, c.Config.Rootfs)
	if err == nil {
		err = os.MkdirAll(merged, 0o700)
	}
	if err != nil {
		return "", fmt.Errorf("container %s: --rootfs overlay: %w", c.Name(), err)
	}
	if err := unix.Mount("overlay", merged, "overlay", 0, strings.Join(opts, ",")); err != nil {
		return "", fmt.Errorf("container %s: mount the overlay of --rootfs %s: %w (rootless overlay needs Linux 5.11 or later)", c.Name(), c.Config.Rootfs, err)
	}
	return merged, nil
}

// unmountRootfs takes a ":O" container's overlay away.
func (c *Container) unmountRootfs() {
	if !c.Config.RootfsOverlay {
		return
	}
	merged := filepath.Join(c.rootfsOverlayDir(), "merged")
	if mounted(merged) {
		if err := unix.Unmount(merged, unix.MNT_DETACH); err != nil {
			logrus.Debugf("unmount %s: %v", merged, err)
		}
	}
}

// mounted reports whether dir is a mount point (another device than its
// parent's).
func mounted(dir string) bool {
	var st, parent unix.Stat_t
	if unix.Stat(dir, &st) != nil || unix.Stat(filepath.Dir(dir), &parent) != nil {
		return false
	}
	return st.Dev != parent.Dev
}

// checkCommit refuses to commit a --rootfs container.
func (c *Container) checkCommit() error {
	if c.Config.Rootfs != "" {
		return fmt.Errorf("cannot commit container %s: its root filesystem is the host directory %s (--rootfs), not an image's layers: archive it with `pod export`: %w",
			c.Name(), c.Config.Rootfs, define.ErrInvalidArg)
	}
	return nil
}
