package libpod

import (
	"fmt"
	"path"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

// Image volume modes of --image-volume.
const (
	ImageVolumeBind   = "bind"   // an anonymous volume, filled from the image
	ImageVolumeTmpfs  = "tmpfs"  // a tmpfs, filled from the image
	ImageVolumeIgnore = "ignore" // nothing: the directory stays in the container's layer
)

// checkImageVolume validates an --image-volume value ("" is bind).
func checkImageVolume(mode string) error {
	switch mode {
	case "", ImageVolumeBind, ImageVolumeTmpfs, ImageVolumeIgnore:
		return nil
	}
	return fmt.Errorf("--image-volume %q: want bind, tmpfs or ignore: %w", mode, define.ErrInvalidArg)
}

// imageVolumes are the image's VOLUMEs that become anonymous volumes.
func imageVolumes(mode string, vols []string) []string {
	if mode == ImageVolumeTmpfs || mode == ImageVolumeIgnore {
		return nil
	}
	return vols
}

// addImageTmpfs mounts a tmpfs on each image VOLUME nothing else covers
// (--image-volume tmpfs); like a --tmpfs it starts with the image's
// content there. Inspect does not list these, as it lists no anonymous
// volume's tmpfs.
func addImageTmpfs(cfg *ContainerConfig, mode string, vols []string) {
	if mode != ImageVolumeTmpfs {
		return
	}
	dests := map[string]bool{}
	for _, m := range cfg.Mounts {
		dests[m.Destination] = true
	}
	addImageVolumeMounts(cfg, spec.MountTmpfs, vols, dests)
}

// addImageVolumeMounts adds an anonymous mount of type typ on each image
// VOLUME that no destination in dests covers yet (dests gains them); a
// VOLUME that is no valid mount target is left out.
func addImageVolumeMounts(cfg *ContainerConfig, typ string, vols []string, dests map[string]bool) {
	for _, d := range vols {
		d = path.Clean("/" + d)
		if dests[d] || spec.CheckMountTarget("image VOLUME "+d, d) != nil {
			continue
		}
		dests[d] = true
		cfg.Mounts = append(cfg.Mounts, spec.Mount{Type: typ, Destination: d, Anonymous: true, Flag: "image VOLUME " + d})
	}
}

// parseChrootDirs cleans the --chrootdirs paths (a relative one is taken
// from the container's root).
func parseChrootDirs(dirs []string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		if d == "" {
			return nil, fmt.Errorf("--chrootdirs: empty path: give a directory inside the container: %w", define.ErrInvalidArg)
		}
		out = append(out, path.Clean("/"+d))
	}
	return out, nil
}

// addChrootMounts binds the container's own /etc/resolv.conf and
// /etc/hosts (the run directory's, not a user's mount) below each
// --chrootdirs directory too.
func (c *Container) addChrootMounts(s *specs.Spec) {
	if len(c.Config.ChrootDirs) == 0 {
		return
	}
	var own []specs.Mount
	for _, name := range []string{"resolv.conf", "hosts"} {
		for _, m := range s.Mounts {
			if m.Destination == "/etc/"+name && m.Source == path.Join(c.runDir(), name) {
				own = append(own, m)
			}
		}
	}
	for _, d := range c.Config.ChrootDirs {
		for _, m := range own {
			m.Destination = path.Join(d, m.Destination)
			m.Options = append([]string(nil), m.Options...)
			s.Mounts = append(s.Mounts, m)
		}
	}
}
