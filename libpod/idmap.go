package libpod

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.podman.io/storage"
	"go.podman.io/storage/pkg/idtools"
	"go.podman.io/storage/types"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

// UsernsOptions are --userns, --uidmap and --gidmap as given.
type UsernsOptions struct {
	Mode   string   // --userns
	UIDMap []string // --uidmap
	GIDMap []string // --gidmap
}

// UsernsConfig is a container's user namespace, fixed at create.
type UsernsConfig struct {
	// Mode is spec.UsernsKeepID, UsernsAuto or UsernsPrivate; a
	// container without UsernsConfig runs in pod's own namespace.
	Mode string `json:"mode"`
	// Option is the --userns value as given (inspect's UsernsMode).
	Option string `json:"option,omitempty"`
	// UIDMap and GIDMap map the container's ids to pod's namespace's.
	UIDMap []spec.IDMap `json:"uidMap"`
	GIDMap []spec.IDMap `json:"gidMap"`
	// AutoSize is auto's size= (0: the storage library's choice).
	AutoSize uint32 `json:"autoSize,omitempty"`
	// PasswdUser is keep-id's user entry, added to the container's
	// /etc/passwd and /etc/group at each start when its uid has none.
	PasswdUser *PasswdUser `json:"passwdUser,omitempty"`
	// progress receives the message of a slow layer copy (nil: none).
	progress io.Writer
}

// PasswdUser is the host user as keep-id shows it in the container.
type PasswdUser struct {
	Name     string `json:"name"`
	UID, GID uint32
	// NoEntries: only the default user, nothing added to the files.
	NoEntries bool `json:"noEntries,omitempty"`
}

// nsMaps reads pod's own namespace's uid and gid maps.
func nsMaps() (uids, gids []spec.IDMap, err error) {
	read := func(p string) ([]spec.IDMap, error) {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		return spec.ParseNSMap(string(data))
	}
	if uids, err = read("/proc/self/uid_map"); err != nil {
		return nil, nil, err
	}
	gids, err = read("/proc/self/gid_map")
	return uids, gids, err
}

// usernsConfig validates the user namespace flags against pod's namespace
// (nsUID, nsGID): nil is pod's own namespace.
func (o *UsernsOptions) usernsConfig(nsUID, nsGID []spec.IDMap) (*UsernsConfig, error) {
	u, err := spec.ParseUserns(o.Mode)
	if err != nil {
		return nil, err
	}
	if len(o.UIDMap) > 0 || len(o.GIDMap) > 0 {
		if o.Mode != "" {
			return nil, fmt.Errorf("--userns %s and --uidmap/--gidmap are mutually exclusive: %w", o.Mode, define.ErrInvalidArg)
		}
		cfg := &UsernsConfig{Mode: spec.UsernsPrivate, Option: spec.UsernsPrivate}
		// One of the two alone serves for both, as in podman.
		if len(o.UIDMap) > 0 {
			if cfg.UIDMap, err = spec.ParseIDMapFlag("--uidmap", o.UIDMap, nsUID); err != nil {
				return nil, err
			}
		}
		if len(o.GIDMap) > 0 {
			if cfg.GIDMap, err = spec.ParseIDMapFlag("--gidmap", o.GIDMap, nsGID); err != nil {
				return nil, err
			}
		}
		if len(o.GIDMap) == 0 {
			if cfg.GIDMap, err = spec.ParseIDMapFlag("--uidmap (used as --gidmap)", o.UIDMap, nsGID); err != nil {
				return nil, err
			}
		}
		if len(o.UIDMap) == 0 {
			if cfg.UIDMap, err = spec.ParseIDMapFlag("--gidmap (used as --uidmap)", o.GIDMap, nsUID); err != nil {
				return nil, err
			}
		}
		return cfg, nil
	}
	switch u.Mode {
	case "":
		return nil, nil
	case spec.UsernsAuto:
		return &UsernsConfig{Mode: u.Mode, Option: o.Mode, AutoSize: u.Size}, nil
	}
	// keep-id: the user's own ids become uid= and gid= (default: the same
	// numbers as on the host).
	hostUID, _ := spec.ToContainer(invert(nsUID), 0)
	hostGID, _ := spec.ToContainer(invert(nsGID), 0)
	ctrUID, ctrGID := hostUID, hostGID
	if u.UID != nil {
		ctrUID = *u.UID
	}
	if u.GID != nil {
		ctrGID = *u.GID
	}
	size := spec.NSSize(nsUID)
	if ctrUID >= size || ctrGID >= spec.NSSize(nsGID) {
		return nil, fmt.Errorf("--userns %s: uid %d/gid %d is beyond pod's user namespace (%d ids): lower it, or add subordinate ids to /etc/subuid and /etc/subgid: %w",
			o.Mode, ctrUID, ctrGID, size, define.ErrInvalidArg)
	}
	cfg := &UsernsConfig{Mode: u.Mode, Option: o.Mode,
		UIDMap: spec.KeepIDMap(ctrUID, size), GIDMap: spec.KeepIDMap(ctrGID, spec.NSSize(nsGID)),
		PasswdUser: &PasswdUser{Name: hostUserName(hostUID), UID: ctrUID, GID: ctrGID}}
	// With uid= or gid= the ids are the user's choice: no entries are
	// added for them (podman's behaviour).
	cfg.PasswdUser.NoEntries = u.UID != nil || u.GID != nil
	return cfg, nil
}

// invert swaps the sides of a namespace map (host → pod's namespace).
func invert(ms []spec.IDMap) []spec.IDMap {
	out := make([]spec.IDMap, len(ms))
	for i, m := range ms {
		out[i] = spec.IDMap{ContainerID: m.HostID, HostID: m.ContainerID, Size: m.Size}
	}
	return out
}

// hostUserName is the host's name of uid, else the number.
func hostUserName(uid uint32) string {
	if n := os.Getenv("USER"); n != "" {
		return n
	}
	data, err := os.ReadFile("/etc/passwd")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) > 2 && f[2] == strconv.FormatUint(uint64(uid), 10) {
				return f[0]
			}
		}
	}
	return strconv.FormatUint(uint64(uid), 10)
}

// applyUsernsOptions sets the create's default user (keep-id: the host
// user, unless --user is given).
func (u *UsernsConfig) defaultUser(user string) string {
	if u == nil || u.PasswdUser == nil || user != "" {
		return user
	}
	return fmt.Sprintf("%d:%d", u.PasswdUser.UID, u.PasswdUser.GID)
}

// storageIDMappings are the storage library's options for the container's
// layer: the library stores an ownership-shifted copy of the image's top
// layer once per mapping (the image's mapped top layers) and reuses it.
func (u *UsernsConfig) storageIDMappings() types.IDMappingOptions {
	if u == nil {
		return types.IDMappingOptions{}
	}
	if u.Mode == spec.UsernsAuto {
		return types.IDMappingOptions{AutoUserNs: true, AutoUserNsOpts: types.AutoUserNsOptions{Size: u.AutoSize}}
	}
	return types.IDMappingOptions{UIDMap: toStorageMap(u.UIDMap), GIDMap: toStorageMap(u.GIDMap)}
}

func toStorageMap(ms []spec.IDMap) []idtools.IDMap {
	out := make([]idtools.IDMap, len(ms))
	for i, m := range ms {
		out[i] = idtools.IDMap{ContainerID: int(m.ContainerID), HostID: int(m.HostID), Size: int(m.Size)}
	}
	return out
}

func fromStorageMap(ms []idtools.IDMap) []spec.IDMap {
	out := make([]spec.IDMap, len(ms))
	for i, m := range ms {
		out[i] = spec.IDMap{ContainerID: uint32(m.ContainerID), HostID: uint32(m.HostID), Size: uint32(m.Size)}
	}
	return out
}

// recordStorageMaps takes the maps the storage library chose (auto).
func (u *UsernsConfig) recordStorageMaps(c *storage.Container) {
	if u == nil || c == nil || u.Mode != spec.UsernsAuto {
		return
	}
	u.UIDMap, u.GIDMap = fromStorageMap(c.UIDMap), fromStorageMap(c.GIDMap)
}

// needsLayerCopy reports whether creating a container with u makes the
// storage library copy the image's top layer (no mapped copy of it yet).
func needsLayerCopy(store storage.Store, imageID string, u *UsernsConfig) bool {
	if u == nil {
		return false
	}
	if u.Mode == spec.UsernsAuto {
		return true
	}
	img, err := store.Image(imageID)
	if err != nil {
		return false
	}
	want := toStorageMap(u.UIDMap)
	wantG := toStorageMap(u.GIDMap)
	for _, id := range img.MappedTopLayers {
		if l, err := store.Layer(id); err == nil && slices.Equal(l.UIDMap, want) && slices.Equal(l.GIDMap, wantG) {
			return false
		}
	}
	return true
}

// layerCopyProgress tells a terminal user that the first container of a
// mapping waits for the shifted copy of the image; the returned function
// ends the message.
func layerCopyProgress(w io.Writer) func() {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprintf(f, "\rCopying the image with shifted ownership for the user namespace: done (%.1fs)\n", time.Since(start).Seconds())
				}
				return
			case <-t.C:
				if time.Since(start) >= 500*time.Millisecond {
					shown = true
					fmt.Fprintf(f, "\rCopying the image with shifted ownership for the user namespace (once per mapping): %.1fs", time.Since(start).Seconds())
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// userNamespace is the spec's view of c's user namespace.
func (c *Container) userNamespace() spec.UserNamespace {
	u := c.Config.Userns
	if u == nil {
		return spec.UserNamespace{}
	}
	return spec.UserNamespace{UIDMap: u.UIDMap, GIDMap: u.GIDMap}
}

// applyUserns gives the spec the container's user namespace (keep-id's
// passwd and group entries are passwdFiles').
func (c *Container) applyUserns(s *specs.Spec) error {
	u := c.Config.Userns
	if u == nil {
		return nil
	}
	spec.ApplyUserNamespace(s, c.userNamespace())
	if joinsNetns(s) {
		// A network namespace of pod's own user namespace: its sysctls
		// cannot be written from the container's. The default goes; the
		// user's own --sysctl net.* stay and fail with the runtime's
		// message.
		for k := range s.Linux.Sysctl {
			if _, own := c.Config.Sysctl[k]; !own && strings.HasPrefix(k, "net.") {
				delete(s.Linux.Sysctl, k)
			}
		}
	}
	if err := c.makeTraversable(s.Root.Path); err != nil {
		return err
	}
	return nil
}

// makeTraversable lets the container's root, which has no power over
// pod's own files when the user's id is not mapped into its namespace
// (auto, --uidmap), reach the root filesystem and the run directory's
// files: every directory of the user on the way gets o+x (the storage
// library's own directories are 0711 for the same reason).
func (c *Container) makeTraversable(rootfs string) error {
	u := c.Config.Userns
	_, uidMapped := spec.ToContainer(u.UIDMap, 0)
	_, gidMapped := spec.ToContainer(u.GIDMap, 0)
	if uidMapped && gidMapped {
		return nil
	}
	for _, p := range []string{filepath.Dir(rootfs), c.runDir()} {
		for d := p; d != "/" && d != "."; d = filepath.Dir(d) {
			var st unix.Stat_t
			if err := unix.Stat(d, &st); err != nil {
				return fmt.Errorf("stat %s: %w", d, err)
			}
			if st.Uid != uint32(os.Getuid()) || st.Mode&0o001 != 0 {
				continue
			}
			if err := os.Chmod(d, os.FileMode(st.Mode&0o7777|0o011)); err != nil {
				return fmt.Errorf("make %s traversable for the container's user namespace: %w", d, err)
			}
		}
	}
	return nil
}

// usernsAndResources validates the user namespace and resource flags.
func (o *CreateOptions) usernsAndResources() (*UsernsConfig, *spec.Resources, error) {
	var u *UsernsConfig
	if o.Userns.Mode != "" || len(o.Userns.UIDMap) > 0 || len(o.Userns.GIDMap) > 0 {
		nsUID, nsGID, err := nsMaps()
		if err != nil {
			return nil, nil, err
		}
		if u, err = o.Userns.usernsConfig(nsUID, nsGID); err != nil {
			return nil, nil, err
		}
		if u != nil && !o.Quiet {
			u.progress = o.Progress
		}
	}
	r, err := o.resources(o.Progress)
	if err != nil {
		return nil, nil, err
	}
	if r.IsZero() {
		return u, nil, nil
	}
	return u, &r, nil
}

// createStorage creates the container's storage with u's mapping: the
// first container of a mapping waits for the library's shifted copy of the
// image's top layer (announced on a terminal); auto's chosen maps are
// recorded in u.
func (u *UsernsConfig) createStorage(store storage.Store, id, imageID, metadata string, copts *storage.ContainerOptions) error {
	done := func() {}
	if u != nil && needsLayerCopy(store, imageID, u) {
		done = layerCopyProgress(u.progress)
	}
	sc, err := store.CreateContainer(id, nil, imageID, "", metadata, copts)
	done()
	if err != nil {
		return err
	}
	u.recordStorageMaps(sc)
	return nil
}

// joinsNetns reports whether the spec joins an existing network namespace.
func joinsNetns(s *specs.Spec) bool {
	for _, ns := range s.Linux.Namespaces {
		if ns.Type == specs.NetworkNamespace && ns.Path != "" {
			return true
		}
	}
	return false
}
