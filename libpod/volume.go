package libpod

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.podman.io/storage/pkg/archive"
	"go.podman.io/storage/pkg/chrootarchive"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/volumes"
	"github.com/pod-engine/pod/pkg/spec"
)

// The volume verbs of the engine. The volumes themselves are package
// volumes' (directories and configs); what uses them is known here.

// VolumeCreateOptions are `pod volume create`'s inputs, as given.
type VolumeCreateOptions struct {
	Name    string   // "" makes an anonymous-looking random name
	Driver  string   // "" or "local"
	Labels  []string // key=value or key
	Options []string // -o key=value: type, device, o, uid, gid, nocopy
	// Ignore makes creating an existing volume succeed (its name is
	// returned).
	Ignore bool
}

// InspectVolume is what `volume inspect` prints, with podman's fields.
type InspectVolume struct {
	Name        string            `json:"Name"`
	Driver      string            `json:"Driver"`
	Mountpoint  string            `json:"Mountpoint"`
	CreatedAt   time.Time         `json:"CreatedAt"`
	Labels      map[string]string `json:"Labels"`
	Scope       string            `json:"Scope"`
	Options     map[string]string `json:"Options"`
	UID         int               `json:"UID,omitempty"`
	GID         int               `json:"GID,omitempty"`
	Anonymous   bool              `json:"Anonymous,omitempty"`
	MountCount  uint              `json:"MountCount"`
	NeedsCopyUp bool              `json:"NeedsCopyUp,omitempty"`
	NeedsChown  bool              `json:"NeedsChown,omitempty"`
}

func (r *Runtime) volumeStore() (*volumes.Store, error) {
	return volumes.New(r.cfg.VolumeDir(), r.locks)
}

// volumeOptions checks -o values as the local driver takes them.
func volumeOptions(in []string) (map[string]string, *int, *int, error) {
	opts := map[string]string{}
	var uid, gid *int
	num := func(k, v string) (*int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("volume option %s=%s: not a number: %w", k, v, define.ErrInvalidArg)
		}
		return &n, nil
	}
	for _, kv := range in {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch strings.ToLower(k) {
		case "type", "device":
			opts[strings.ToLower(k)] = v
		case "o":
			for _, o := range strings.Split(v, ",") {
				switch ok, ov, _ := strings.Cut(o, "="); ok {
				case "uid":
					uid, err = num(ok, ov)
				case "gid":
					gid, err = num(ok, ov)
				}
				if err != nil {
					return nil, nil, nil, err
				}
			}
			opts["o"] = v
		case "uid":
			uid, err = num(k, v)
			opts["UID"] = v
		case "gid":
			gid, err = num(k, v)
			opts["GID"] = v
		case "nocopy", "copy":
			opts[k] = ""
		default:
			return nil, nil, nil, fmt.Errorf("invalid mount option %s for driver 'local': %w", k, define.ErrInvalidArg)
		}
		if err != nil {
			return nil, nil, nil, err
		}
	}
	switch opts["type"] {
	case "", "tmpfs":
	case "bind", "none":
		if opts["device"] == "" {
			return nil, nil, nil, fmt.Errorf("volume option type=%s needs device=HOST-DIR: %w", opts["type"], define.ErrInvalidArg)
		}
		if !filepath.IsAbs(opts["device"]) {
			return nil, nil, nil, fmt.Errorf("volume option device=%s: not an absolute path: %w", opts["device"], define.ErrInvalidArg)
		}
		if _, err := os.Stat(opts["device"]); err != nil {
			return nil, nil, nil, fmt.Errorf("volume option device=%s: %w: %w", opts["device"], err, define.ErrInvalidArg)
		}
	default:
		return nil, nil, nil, fmt.Errorf("volume option type=%s: the local driver supports type=tmpfs and type=bind only: %w", opts["type"], define.ErrInvalidArg)
	}
	if t := opts["type"]; t == "tmpfs" {
		// The options become a tmpfs mount's: check them now.
		for _, o := range strings.Split(opts["o"], ",") {
			if o == "" {
				continue
			}
			if _, err := spec.ParseTmpfs("/x:" + o); err != nil {
				return nil, nil, nil, fmt.Errorf("volume option o=%s: unknown tmpfs option %q: %w", opts["o"], o, define.ErrInvalidArg)
			}
		}
	}
	return opts, uid, gid, nil
}

// CreateVolume creates a volume and returns its name.
func (r *Runtime) CreateVolume(ctx context.Context, o VolumeCreateOptions) (string, error) {
	if o.Driver != "" && o.Driver != volumes.DriverLocal {
		return "", fmt.Errorf("volume driver %q: only the local driver exists in pod: %w", o.Driver, define.ErrInvalidArg)
	}
	name := o.Name
	if name == "" {
		name = volumes.NewAnonymousName()
	}
	if err := volumes.ValidateName(name); err != nil {
		return "", err
	}
	labels, err := parseLabels(o.Labels)
	if err != nil {
		return "", err
	}
	opts, uid, gid, err := volumeOptions(o.Options)
	if err != nil {
		return "", err
	}
	cfg := &volumes.Config{Name: name, Driver: volumes.DriverLocal, CreatedAt: time.Now(), Labels: labels, Options: opts,
		UID: uid, GID: gid, NeedsCopyUp: true, NeedsChown: uid == nil && gid == nil}
	if _, ok := opts["nocopy"]; ok {
		cfg.NeedsCopyUp = false
	}
	vs, err := r.volumeStore()
	if err != nil {
		return "", err
	}
	defer r.signals.hold()()
	l, err := vs.Lock(name)
	if err != nil {
		return "", err
	}
	defer l.Close()
	if err := vs.Create(cfg); err != nil {
		if o.Ignore && errors.Is(err, define.ErrVolumeExists) {
			return name, nil
		}
		return "", r.noSpace("create volume "+name, err)
	}
	r.volumeEvent(events.Create, name)
	return name, nil
}

// volumeInspect turns a volume's config into its inspect data.
func volumeInspect(vs *volumes.Store, cfg *volumes.Config) *InspectVolume {
	out := &InspectVolume{Name: cfg.Name, Driver: cfg.Driver, Mountpoint: vs.DataDir(cfg.Name), CreatedAt: cfg.CreatedAt,
		Labels: cfg.Labels, Scope: "local", Options: cfg.Options, Anonymous: cfg.Anonymous,
		NeedsCopyUp: cfg.NeedsCopyUp, NeedsChown: cfg.NeedsChown}
	if out.Labels == nil {
		out.Labels = map[string]string{}
	}
	if out.Options == nil {
		out.Options = map[string]string{}
	}
	if cfg.UID != nil {
		out.UID = *cfg.UID
	}
	if cfg.GID != nil {
		out.GID = *cfg.GID
	}
	return out
}

// InspectVolume returns a volume's inspect data.
func (r *Runtime) InspectVolume(name string) (*InspectVolume, error) {
	vs, err := r.volumeStore()
	if err != nil {
		return nil, err
	}
	cfg, err := vs.Get(name)
	if err != nil {
		return nil, err
	}
	return volumeInspect(vs, cfg), nil
}

// VolumeExists reports whether a volume exists.
func (r *Runtime) VolumeExists(name string) (bool, error) {
	vs, err := r.volumeStore()
	if err != nil {
		return false, err
	}
	return vs.Exists(name), nil
}

// volumeUsers maps each volume name to the ids of the containers whose
// mounts name it.
//
// It reads the containers' configs only: unlike ListContainers it reaps and
// removes nothing, so it may run while volume locks are held.
func (r *Runtime) volumeUsers() (map[string][]string, error) {
	ids, err := r.containerIDs()
	if err != nil {
		return nil, err
	}
	users := map[string][]string{}
	for _, id := range ids {
		c, err := r.loadContainer(id)
		if err != nil {
			continue // half-created or unreadable: it mounts nothing
		}
		for _, m := range c.Config.Mounts {
			if m.Type == spec.MountVolume && m.Source != "" {
				users[m.Source] = append(users[m.Source], c.ID())
			}
		}
	}
	return users, nil
}

// volumeFilter is one parsed `volume ls --filter`.
type volumeFilter struct {
	key, value string
	re         *regexp.Regexp
	until      time.Time
}

// volumeFilters are the parsed filters by key.
type volumeFilters map[string][]volumeFilter

func parseVolumeFilters(in []string) (volumeFilters, error) {
	out := volumeFilters{}
	for _, f := range in {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("invalid volume filter %q: use key=value: %w", f, define.ErrInvalidArg)
		}
		vf := volumeFilter{key: k, value: v}
		switch k {
		case "name":
			re, err := regexp.Compile(v)
			if err != nil {
				return nil, fmt.Errorf("invalid volume filter %q: %w: %w", f, err, define.ErrInvalidArg)
			}
			vf.re = re
		case "label", "label!", "driver", "scope", "opt":
		case "dangling":
			if _, err := strconv.ParseBool(v); err != nil {
				return nil, fmt.Errorf("invalid volume filter %q: dangling takes true or false: %w", f, define.ErrInvalidArg)
			}
		case "until":
			t, err := ParseUntil(v, time.Now())
			if err != nil {
				return nil, fmt.Errorf("invalid volume filter %q: %w", f, err)
			}
			vf.until = t
		default:
			return nil, fmt.Errorf("%q is an invalid volume filter: %w", k, define.ErrInvalidArg)
		}
		out[k] = append(out[k], vf)
	}
	return out, nil
}

func hasLabel(labels map[string]string, l string) bool {
	k, v, withValue := strings.Cut(l, "=")
	got, ok := labels[k]
	return ok && (!withValue || got == v)
}

// match reports whether a volume passes the filters: values of one key
// are alternatives, keys must all hold (label!: none of the values).
func (fs volumeFilters) match(cfg *volumes.Config, used bool) bool {
	for key, vals := range fs {
		if key == "label!" {
			for _, f := range vals {
				if hasLabel(cfg.Labels, f.value) {
					return false
				}
			}
			continue
		}
		any := false
		for _, f := range vals {
			switch key {
			case "name":
				any = any || f.re.MatchString(cfg.Name)
			case "label":
				any = any || hasLabel(cfg.Labels, f.value)
			case "driver":
				any = any || cfg.Driver == f.value
			case "scope":
				any = any || f.value == "local"
			case "opt":
				any = any || hasLabel(cfg.Options, f.value)
			case "dangling":
				d, _ := strconv.ParseBool(f.value)
				any = any || d != used
			case "until":
				any = any || cfg.CreatedAt.Before(f.until)
			}
		}
		if !any {
			return false
		}
	}
	return true
}

// ListVolumes returns the volumes the filters pass, sorted by name.
func (r *Runtime) ListVolumes(filters []string) ([]*InspectVolume, error) {
	fs, err := parseVolumeFilters(filters)
	if err != nil {
		return nil, err
	}
	vs, err := r.volumeStore()
	if err != nil {
		return nil, err
	}
	cfgs, err := vs.List()
	if err != nil {
		return nil, err
	}
	var users map[string][]string
	if len(fs["dangling"]) > 0 {
		if users, err = r.volumeUsers(); err != nil {
			return nil, err
		}
	}
	out := []*InspectVolume{}
	for _, cfg := range cfgs {
		if fs.match(cfg, len(users[cfg.Name]) > 0) {
			out = append(out, volumeInspect(vs, cfg))
		}
	}
	return out, nil
}

// VolumeRemoveOptions are `volume rm`'s.
type VolumeRemoveOptions struct {
	// Force removes the containers using the volume first (running ones
	// are stopped with Timeout, nil: their own).
	Force   bool
	Timeout *time.Duration
}

// RemoveVolume removes a volume. One that containers use is refused
// (define.ErrVolumeInUse) unless o.Force, which removes them first.
func (r *Runtime) RemoveVolume(ctx context.Context, name string, o VolumeRemoveOptions) error {
	defer r.freeing()()
	vs, err := r.volumeStore()
	if err != nil {
		return err
	}
	if _, err := vs.Get(name); err != nil && !(o.Force && errors.Is(err, define.ErrCorruptState)) {
		return err
	}
	defer r.signals.hold()()
	// The containers using it are removed without the volume's lock (a
	// starting container holds its own lock and then the volume's), and
	// the check is made again under it.
	for attempt := 0; ; attempt++ {
		l, err := vs.Lock(name)
		if err != nil {
			return err
		}
		users, err := r.volumeUsers()
		if err != nil {
			l.Close()
			return err
		}
		ids := users[name]
		if len(ids) == 0 {
			err := vs.Remove(name)
			l.Close()
			if err == nil {
				r.volumeEvent(events.Remove, name)
			}
			return err
		}
		l.Close()
		if !o.Force || attempt > 5 {
			return fmt.Errorf("volume %s is being used by the following container(s): %s: remove them first or use -f: %w",
				name, strings.Join(ids, ", "), define.ErrVolumeInUse)
		}
		for _, id := range ids {
			if err := r.RemoveContainer(ctx, id, RemoveOptions{Force: true, Timeout: o.Timeout}); err != nil && !errors.Is(err, define.ErrNoSuchCtr) {
				return fmt.Errorf("remove container %s using volume %s: %w", id, name, err)
			}
		}
	}
}

// removeAnonVolumes removes the anonymous volumes of a removed container's
// config that no other container uses; failures are logged only.
func (r *Runtime) removeAnonVolumes(cfg *ContainerConfig) {
	var names []string
	for _, m := range cfg.Mounts {
		if m.Type == spec.MountVolume && m.Anonymous && m.Source != "" {
			names = append(names, m.Source)
		}
	}
	if len(names) == 0 {
		return
	}
	vs, err := r.volumeStore()
	if err != nil {
		return
	}
	defer r.signals.hold()()
	for _, name := range names {
		l, err := vs.Lock(name)
		if err != nil {
			continue
		}
		users, err := r.volumeUsers()
		if err == nil && len(users[name]) == 0 {
			if err := vs.Remove(name); err == nil {
				r.volumeEvent(events.Remove, name)
			}
		}
		l.Close()
	}
}

// PruneVolumes removes every volume no container uses that the filters of
// o (until, label, label!) keep; with DryRun it only lists them.
func (r *Runtime) PruneVolumes(ctx context.Context, o PruneOptions, dryRun bool) ([]string, []error, error) {
	defer r.freeing()()
	vs, err := r.volumeStore()
	if err != nil {
		return nil, nil, err
	}
	cfgs, err := vs.List()
	if err != nil {
		return nil, nil, err
	}
	var removed []string
	var failed []error
	for _, cfg := range cfgs {
		if !o.keep(cfg.CreatedAt, cfg.Labels) {
			continue
		}
		if dryRun {
			users, err := r.volumeUsers()
			if err != nil {
				return nil, nil, err
			}
			if len(users[cfg.Name]) == 0 {
				removed = append(removed, cfg.Name)
			}
			continue
		}
		err := r.RemoveVolume(ctx, cfg.Name, VolumeRemoveOptions{})
		switch {
		case err == nil:
			removed = append(removed, cfg.Name)
		case errors.Is(err, define.ErrVolumeInUse), errors.Is(err, define.ErrNoSuchVolume):
		default:
			failed = append(failed, err)
		}
	}
	return removed, failed, nil
}

// dataVolume checks that the volume name holds its own data (it is not a
// mount of something else) before it is exported or imported into (verb),
// and returns the volume store.
func (r *Runtime) dataVolume(name, verb string) (*volumes.Store, error) {
	vs, err := r.volumeStore()
	if err != nil {
		return nil, err
	}
	cfg, err := vs.Get(name)
	if err != nil {
		return nil, err
	}
	if t := cfg.MountType(); t != "" {
		return nil, fmt.Errorf("volume %s is a %s volume: only volumes holding their own data can be %s: %w", name, t, verb, define.ErrInvalidArg)
	}
	return vs, nil
}

// ExportVolume writes the volume's content to w as a tar archive.
func (r *Runtime) ExportVolume(ctx context.Context, name string, w io.Writer) error {
	vs, err := r.dataVolume(name, "exported")
	if err != nil {
		return err
	}
	rc, err := archive.TarWithOptions(vs.DataDir(name), &archive.TarOptions{Compression: archive.Uncompressed})
	if err != nil {
		return fmt.Errorf("export volume %s: %w", name, err)
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return fmt.Errorf("export volume %s: %w", name, err)
	}
	return nil
}

// ImportVolume extracts a tar archive (possibly compressed) into the
// volume, over what it holds. The archive is checked to be one first.
func (r *Runtime) ImportVolume(ctx context.Context, name string, in io.Reader) error {
	vs, err := r.dataVolume(name, "imported into")
	if err != nil {
		return err
	}
	content, err := tarStream(in)
	if err != nil {
		return fmt.Errorf("import into volume %s: the input is not a tar archive: %w", name, define.ErrInvalidArg)
	}
	defer content.Close()
	data := vs.DataDir(name)
	opts := &archive.TarOptions{InUserNS: true}
	if err := chrootarchive.UntarWithRoot(content, data, opts, data); err != nil {
		return fmt.Errorf("import into volume %s: %s: %w", name, unpackMessage(err), define.ErrInvalidArg)
	}
	return nil
}

// MountVolume returns the volume's data directory; the mount is made in
// pod's mount namespace, so it is only visible inside `pod unshare`.
func (r *Runtime) MountVolume(name string) (string, error) {
	vs, err := r.volumeStore()
	if err != nil {
		return "", err
	}
	cfg, err := vs.Get(name)
	if err != nil {
		return "", err
	}
	if t := cfg.MountType(); t == "bind" || t == "none" {
		return cfg.Options["device"], nil
	}
	return vs.DataDir(name), nil
}

// UnmountVolume releases what MountVolume gave; a local volume's data
// needs no mount, so it only checks that the volume exists.
func (r *Runtime) UnmountVolume(name string) error {
	vs, err := r.volumeStore()
	if err != nil {
		return err
	}
	_, err = vs.Get(name)
	return err
}

// volumeEvent writes a volume event (create, remove) named by the volume.
func (r *Runtime) volumeEvent(status events.Status, name string) {
	r.writeEvent(events.Event{Type: events.TypeVolume, Status: status, Name: name})
}
