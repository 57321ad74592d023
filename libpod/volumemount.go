package libpod

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	securejoin "github.com/cyphar/filepath-securejoin"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"go.podman.io/storage/pkg/chrootarchive"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/libpod/volumes"
	"github.com/pod-engine/pod/pkg/spec"
)

// MountOptions are the storage flags of create and run, as given.
type MountOptions struct {
	Volumes     []string // -v/--volume [SRC:]DST[:OPTS]
	Mounts      []string // --mount type=...,...
	Tmpfs       []string // --tmpfs DST[:OPTS]
	VolumesFrom []string // --volumes-from CTR[:ro|rw]
	ReadOnly    bool     // --read-only
	// ReadOnlyTmpfs is --read-only-tmpfs (nil: not given, true).
	ReadOnlyTmpfs *bool
}

// parse checks the flags and returns the user's mounts; bind sources
// must exist.
func (o *MountOptions) parse() ([]spec.Mount, error) {
	var ms []spec.Mount
	for _, v := range o.Volumes {
		m, err := spec.ParseVolume(v)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	for _, v := range o.Mounts {
		m, err := spec.ParseMount(v)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	for _, v := range o.Tmpfs {
		m, err := spec.ParseTmpfs(v)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	ms = spec.DedupMounts(ms)
	if err := spec.CheckDuplicates(ms); err != nil {
		return nil, err
	}
	for _, m := range ms {
		switch m.Type {
		case spec.MountBind:
			if err := checkBindSource(m); err != nil {
				return nil, err
			}
		case spec.MountVolume:
			if !m.Anonymous {
				if err := volumes.ValidateName(m.Source); err != nil {
					return nil, fmt.Errorf("%s: %w", m.Flag, err)
				}
			}
		}
	}
	for _, v := range o.VolumesFrom {
		if _, _, err := parseVolumesFrom(v); err != nil {
			return nil, err
		}
	}
	return ms, nil
}

// checkBindSource requires a bind mount's host path to exist; with O it
// becomes an overlay's lower directory, whose path may not hold the
// option separators.
func checkBindSource(m spec.Mount) error {
	st, err := os.Stat(m.Source)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: statfs %s: no such file or directory: %w", m.Flag, m.Source, define.ErrInvalidArg)
		}
		return fmt.Errorf("%s: %w: %w", m.Flag, err, define.ErrInvalidArg)
	}
	if m.Overlay {
		if !st.IsDir() {
			return fmt.Errorf("%s: the O option needs a directory, %s is not one: %w", m.Flag, m.Source, define.ErrInvalidArg)
		}
		if strings.ContainsAny(m.Source, ":,") {
			return fmt.Errorf("%s: the O option cannot use %s: an overlay's directory may not contain ':' or ',': %w", m.Flag, m.Source, define.ErrInvalidArg)
		}
	}
	return nil
}

// parseVolumesFrom splits a --volumes-from value: CONTAINER[:ro|rw].
func parseVolumesFrom(v string) (ctr, mode string, err error) {
	ctr, mode, _ = strings.Cut(v, ":")
	if ctr == "" || (mode != "" && mode != "ro" && mode != "rw" && mode != "z") {
		return "", "", fmt.Errorf("--volumes-from %s: want CONTAINER[:ro|rw]: %w", v, define.ErrInvalidArg)
	}
	return ctr, mode, nil
}

// preparedMounts are the volumes a create made or locked for its mounts.
type preparedMounts struct {
	r       *Runtime
	vs      *volumes.Store
	locks   []interface{ Close() error }
	created []string
}

// finish releases the volumes' locks; when the create failed the volumes
// it made are removed again.
func (p *preparedMounts) finish(failed bool) {
	if failed {
		for _, name := range p.created {
			_ = p.vs.Remove(name)
		}
	}
	for _, l := range p.locks {
		l.Close()
	}
}

// prepareMounts completes a create's mounts once the image is known:
// --volumes-from copies the other containers' volumes and bind mounts
// (the user's own destinations win), the image's VOLUMEs that nothing
// covers become anonymous volumes, image mounts are resolved to ids, and
// every volume is locked (named ones that do not exist are created,
// anonymous ones named and created) until finish: a volume cannot be
// removed while a container naming it is being made.
func (r *Runtime) prepareMounts(cfg *ContainerConfig, volumesFrom []string, imgVolumes []string) (*preparedMounts, error) {
	dests := map[string]bool{}
	for _, m := range cfg.Mounts {
		dests[m.Destination] = true
	}
	for _, v := range volumesFrom {
		name, mode, _ := parseVolumesFrom(v)
		other, err := r.lookupContainer(name)
		if err != nil {
			return nil, fmt.Errorf("--volumes-from %s: %w", v, err)
		}
		for _, m := range other.Config.Mounts {
			if (m.Type != spec.MountVolume && m.Type != spec.MountBind) || dests[m.Destination] {
				continue
			}
			m.Options = append([]string(nil), m.Options...)
			switch mode {
			case "ro":
				m.ReadOnly = true
			case "rw":
				m.ReadOnly = false
			}
			m.Flag = "--volumes-from " + v
			// A volume shared this way stays the other container's.
			m.Anonymous = false
			dests[m.Destination] = true
			cfg.Mounts = append(cfg.Mounts, m)
		}
		cfg.VolumesFrom = append(cfg.VolumesFrom, v)
	}
	addImageVolumeMounts(cfg, spec.MountVolume, imgVolumes, dests)
	for i := range cfg.Mounts {
		m := &cfg.Mounts[i]
		if m.Type != spec.MountImage {
			continue
		}
		store, err := r.getStore()
		if err != nil {
			return nil, err
		}
		img, err := image.Lookup(store, m.Source)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Flag, err)
		}
		m.Source = img.ID
	}
	vs, err := r.volumeStore()
	if err != nil {
		return nil, err
	}
	p := &preparedMounts{r: r, vs: vs}
	locked := map[string]bool{}
	for i := range cfg.Mounts {
		m := &cfg.Mounts[i]
		if m.Type != spec.MountVolume {
			continue
		}
		if m.Source == "" {
			m.Source = volumes.NewAnonymousName()
		}
		if locked[m.Source] {
			continue // one volume at two places: one lock (flock is per open file)
		}
		locked[m.Source] = true
		l, err := vs.Lock(m.Source)
		if err != nil {
			p.finish(true)
			return nil, err
		}
		p.locks = append(p.locks, l)
		if vs.Exists(m.Source) {
			continue
		}
		vc := &volumes.Config{Name: m.Source, Driver: volumes.DriverLocal, CreatedAt: cfg.Created, Anonymous: m.Anonymous,
			NeedsCopyUp: true, NeedsChown: true}
		if vc.CreatedAt.IsZero() {
			vc.CreatedAt = time.Now()
		}
		if err := vs.Create(vc); err != nil {
			p.finish(true)
			return nil, fmt.Errorf("%s: %w", m.Flag, err)
		}
		p.created = append(p.created, m.Source)
	}
	return p, nil
}

// addMounts puts the container's mounts into the spec options of a start:
// volumes (copied up from the image and given to the container's user on
// first use), bind mounts (checked again; U chowns, O overlays), tmpfs,
// image mounts, and with --read-only the tmpfs of /tmp, /var/tmp and /run.
// Image mounts made before a failure are released again.
func (c *Container) addMounts(o *spec.Options, rootfs string) (retErr error) {
	cfg := c.Config
	o.ReadOnly = cfg.ReadOnly
	if len(cfg.Mounts) == 0 && !(cfg.ReadOnly && cfg.ReadOnlyTmpfs) {
		return nil
	}
	vs, err := c.r.volumeStore()
	if err != nil {
		return err
	}
	defer func() {
		if retErr != nil {
			c.unmountImages()
		}
	}()
	var out []specs.Mount
	dests := map[string]bool{}
	for i, m := range cfg.Mounts {
		if err := checkMountPath(rootfs, m); err != nil {
			return err
		}
		dests[m.Destination] = true
		switch m.Type {
		case spec.MountTmpfs:
			out = append(out, m.TmpfsSpec())
		case spec.MountBind:
			sm, err := c.bindMount(i, m, o.User)
			if err != nil {
				return err
			}
			out = append(out, sm)
		case spec.MountVolume:
			sm, err := c.volumeMount(vs, m, rootfs, o.User)
			if err != nil {
				return err
			}
			out = append(out, sm)
		case spec.MountImage:
			store, err := c.r.getStore()
			if err != nil {
				return err
			}
			p, err := store.MountImage(m.Source, nil, "")
			if err != nil {
				return fmt.Errorf("%s: mount image %s: %w", m.Flag, m.Source, err)
			}
			opts := []string{"rbind", "rprivate"}
			if m.ReadOnly {
				opts = append(opts, "ro")
			}
			out = append(out, specs.Mount{Destination: m.Destination, Type: "bind", Source: p, Options: opts})
		}
	}
	if cfg.ReadOnly && cfg.ReadOnlyTmpfs {
		for _, d := range spec.ReadOnlyTmpfsDirs() {
			if !dests[d] {
				out = append(out, spec.Mount{Type: spec.MountTmpfs, Destination: d}.TmpfsSpec())
			}
		}
	}
	spec.SortMounts(out)
	o.Mounts = append(o.Mounts, out...)
	return nil
}

// unmountImages releases the image mounts of a start.
func (c *Container) unmountImages() {
	c.unmountRootfs() // and a --rootfs container's overlay
	var store interface {
		UnmountImage(id string, force bool) (bool, error)
	}
	for _, m := range c.Config.Mounts {
		if m.Type != spec.MountImage {
			continue
		}
		if store == nil {
			s, err := c.r.getStore()
			if err != nil {
				return
			}
			store = s
		}
		_, _ = store.UnmountImage(m.Source, false)
	}
}

// bindMount is the spec mount of a bind mount: the source must still
// exist; U gives it (recursively) to the container's user, O makes an
// overlay with a fresh upper layer in the container's directory.
func (c *Container) bindMount(i int, m spec.Mount, u spec.User) (specs.Mount, error) {
	if err := checkBindSource(m); err != nil {
		return specs.Mount{}, fmt.Errorf("container %s: %w", c.Name(), err)
	}
	if m.Chown {
		if err := chownTree(m.Source, int(u.UID), int(u.GID)); err != nil {
			return specs.Mount{}, fmt.Errorf("%s: U: %w", m.Flag, err)
		}
	}
	if !m.Overlay {
		return specs.Mount{Destination: m.Destination, Type: "bind", Source: m.Source, Options: m.SpecOptions()}, nil
	}
	dir := filepath.Join(c.staticDir(), "overlay", strconv.Itoa(i))
	if err := os.RemoveAll(dir); err != nil {
		return specs.Mount{}, fmt.Errorf("%s: %w", m.Flag, err)
	}
	opts, err := prepareOverlay(dir, m.Source)
	if err != nil {
		return specs.Mount{}, fmt.Errorf("%s: %w", m.Flag, err)
	}
	opts = append(opts, m.Options...)
	return specs.Mount{Destination: m.Destination, Type: "overlay", Source: "overlay", Options: opts}, nil
}

// prepareOverlay makes the upper and work directories of an overlay of
// lower below dir (the upper one with lower's permissions, so the merged
// root looks like lower's) and returns the overlay's mount options.
func prepareOverlay(dir, lower string) ([]string, error) {
	upper, work := filepath.Join(dir, "upper"), filepath.Join(dir, "work")
	for _, d := range []string{upper, work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	if st, err := os.Stat(lower); err == nil {
		_ = os.Chmod(upper, st.Mode().Perm())
	}
	return []string{"lowerdir=" + lower, "upperdir=" + upper, "workdir=" + work, "userxattr"}, nil
}

// chownTree gives every file below root (root included, symlinks not
// followed) to uid:gid.
func chownTree(root string, uid, gid int) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// volumeMount is the spec mount of a volume. A volume whose options make
// it a tmpfs or a bind of a host directory becomes that mount; a plain one
// binds its data directory, which on the first use is filled with what the
// image holds at the destination (copy-up, unless nocopy) and otherwise
// given to the container's user.
func (c *Container) volumeMount(vs *volumes.Store, m spec.Mount, rootfs string, u spec.User) (specs.Mount, error) {
	vc, err := vs.Get(m.Source)
	if err != nil {
		return specs.Mount{}, fmt.Errorf("container %s: %s: %w", c.Name(), m.Flag, err)
	}
	switch vc.MountType() {
	case "tmpfs":
		tm := spec.Mount{Type: spec.MountTmpfs, Destination: m.Destination, ReadOnly: m.ReadOnly}
		if o := vc.Options["o"]; o != "" {
			parsed, err := spec.ParseTmpfs(m.Destination + ":" + o)
			if err != nil {
				return specs.Mount{}, fmt.Errorf("volume %s: %w", vc.Name, err)
			}
			tm.Options = parsed.Options
		}
		tm.Options = append(tm.Options, "notmpcopyup")
		return tm.TmpfsSpec(), nil
	case "bind", "none":
		return specs.Mount{Destination: m.Destination, Type: "bind", Source: vc.Options["device"], Options: m.SpecOptions()}, nil
	}
	data := vs.DataDir(vc.Name)
	if vc.NeedsCopyUp || vc.NeedsChown {
		if err := c.firstUse(vs, vc.Name, m, rootfs, u); err != nil {
			return specs.Mount{}, err
		}
	}
	return specs.Mount{Destination: m.Destination, Type: "bind", Source: data, Options: m.SpecOptions()}, nil
}

// firstUse copies the image's content at the mount's destination into an
// empty volume (its owner and mode too), or gives the volume to the
// container's user, under the volume's lock, once.
func (c *Container) firstUse(vs *volumes.Store, name string, m spec.Mount, rootfs string, u spec.User) error {
	l, err := vs.Lock(name)
	if err != nil {
		return err
	}
	defer l.Close()
	vc, err := vs.Get(name)
	if err != nil {
		return err
	}
	data := vs.DataDir(name)
	changed := false
	if vc.NeedsCopyUp && !m.NoCopy {
		src, err := securejoin.SecureJoin(rootfs, m.Destination)
		if err != nil {
			return fmt.Errorf("%s: %w", m.Flag, err)
		}
		if st, err := os.Stat(src); err == nil && st.IsDir() {
			if empty, _ := dirEmpty(data); empty {
				if err := chrootarchive.NewArchiver(nil).CopyWithTar(src, data); err != nil {
					// Leave the volume empty, so the next start copies again.
					emptyDir(data)
					return fmt.Errorf("%s: copy the image's %s into volume %s: %w", m.Flag, m.Destination, name, err)
				}
				if err := copyOwnerMode(st, data); err != nil {
					return fmt.Errorf("%s: volume %s: %w", m.Flag, name, err)
				}
			}
			vc.NeedsCopyUp, vc.NeedsChown, changed = false, false, true
		}
	}
	if vc.NeedsChown {
		if vc.UID == nil && vc.GID == nil {
			if err := os.Lchown(data, int(u.UID), int(u.GID)); err != nil {
				return fmt.Errorf("%s: give volume %s to the container's user: %w", m.Flag, name, err)
			}
		}
		vc.NeedsChown, changed = false, true
	}
	if !changed {
		return nil
	}
	return vs.Save(vc)
}

// copyOwnerMode gives dst the owner and mode of the directory st
// describes.
func copyOwnerMode(st fs.FileInfo, dst string) error {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		if err := os.Lchown(dst, int(sys.Uid), int(sys.Gid)); err != nil {
			return err
		}
	}
	return os.Chmod(dst, st.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
}

// dirEmpty reports whether dir has no entries.
func dirEmpty(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	return len(names) == 0 && err != nil, nil
}

// checkMountPath walks a mount's destination inside the root filesystem:
// a symlink on the way whose target climbs above the container's root is
// refused, and so is a destination that resolves into /proc.
func checkMountPath(rootfs string, m spec.Mount) error {
	cur := "/"
	rest := strings.Split(strings.TrimPrefix(m.Destination, "/"), "/")
	hops := 0
	for len(rest) > 0 {
		part := rest[0]
		rest = rest[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if cur == "/" {
				return fmt.Errorf("%s: %s leads out of the container's root filesystem through a symlink: %w", m.Flag, m.Destination, define.ErrInvalidArg)
			}
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, part)
		st, err := os.Lstat(filepath.Join(rootfs, next))
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			cur = next
			if err != nil {
				// The runtime creates what is missing from here on.
				cur = path.Join(append([]string{next}, rest...)...)
				rest = nil
			}
			continue
		}
		if hops++; hops > 40 {
			return fmt.Errorf("%s: %s: too many levels of symbolic links: %w", m.Flag, m.Destination, define.ErrInvalidArg)
		}
		target, err := os.Readlink(filepath.Join(rootfs, next))
		if err != nil {
			return fmt.Errorf("%s: %w", m.Flag, err)
		}
		if path.IsAbs(target) {
			cur = "/"
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	if cur != m.Destination {
		if err := spec.CheckMountTarget(m.Flag, cur); err != nil {
			return fmt.Errorf("%w (%s resolves to %s through a symlink in the image)", err, m.Destination, cur)
		}
	}
	return nil
}

// InspectMount is one entry of inspect's Mounts, as podman prints it.
type InspectMount struct {
	Type        string   `json:"Type"`
	Name        string   `json:"Name,omitempty"`
	Source      string   `json:"Source"`
	Destination string   `json:"Destination"`
	Driver      string   `json:"Driver"`
	Mode        string   `json:"Mode"`
	Options     []string `json:"Options"`
	RW          bool     `json:"RW"`
	Propagation string   `json:"Propagation"`
}

// inspectMounts fills in inspect's Mounts (volumes by name, then bind
// and image mounts by destination; tmpfs mounts are in HostConfig.Tmpfs),
// HostConfig.Binds, Tmpfs, ReadonlyRootfs and VolumesFrom.
func (c *Container) inspectMounts(out *InspectContainer) {
	cfg := c.Config
	vsDir := c.r.cfg.VolumeDir()
	var vols, binds []InspectMount
	out.HostConfig.Binds = []string{}
	out.HostConfig.Tmpfs = map[string]string{}
	for _, m := range cfg.Mounts {
		prop := "rprivate"
		var opts []string
		for _, o := range m.SpecOptions() {
			switch {
			case o == "ro":
			case strings.HasSuffix(o, "shared") || strings.HasSuffix(o, "slave") || strings.HasSuffix(o, "private") || strings.HasSuffix(o, "bindable"):
				prop = o
			default:
				opts = append(opts, o)
			}
		}
		mode := m.Relabel
		if m.Overlay {
			mode = "O"
		}
		im := InspectMount{Type: m.Type, Source: m.Source, Destination: m.Destination, Mode: mode, Options: opts, RW: !m.ReadOnly, Propagation: prop}
		switch m.Type {
		case spec.MountTmpfs:
			if !m.Anonymous { // an image VOLUME's (--image-volume tmpfs): not listed
				out.HostConfig.Tmpfs[m.Destination] = strings.Join(m.TmpfsOptions(), ",")
			}
			continue
		case spec.MountVolume:
			im.Name, im.Driver = m.Source, volumes.DriverLocal
			im.Source = filepath.Join(vsDir, m.Source, "_data")
			vols = append(vols, im)
		default:
			binds = append(binds, im)
		}
		rw := "rw"
		if m.ReadOnly {
			rw = "ro"
		}
		bind := m.Source + ":" + m.Destination + ":"
		if m.Relabel != "" {
			bind += m.Relabel + ","
		}
		out.HostConfig.Binds = append(out.HostConfig.Binds, bind+rw+","+prop+","+strings.Join(opts, ","))
	}
	sort.SliceStable(vols, func(i, j int) bool { return vols[i].Name < vols[j].Name })
	sort.SliceStable(binds, func(i, j int) bool { return binds[i].Destination < binds[j].Destination })
	out.Mounts = []any{}
	for _, m := range append(vols, binds...) {
		out.Mounts = append(out.Mounts, m)
	}
	sort.Strings(out.HostConfig.Binds)
	out.HostConfig.ReadonlyRootfs = cfg.ReadOnly
	out.HostConfig.VolumesFrom = cfg.VolumesFrom
}

// emptyDir removes what dir holds, keeping dir itself.
func emptyDir(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}
