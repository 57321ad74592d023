package volumes

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/lock"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// DriverLocal is the one volume driver: a directory on the user's disk.
const DriverLocal = "local"

// Config is a volume's config.json.
type Config struct {
	Name      string            `json:"name"`
	Driver    string            `json:"driver"`
	CreatedAt time.Time         `json:"createdAt"`
	Labels    map[string]string `json:"labels,omitempty"`
	// Options are the driver options (-o): type, device, o.
	Options map[string]string `json:"options,omitempty"`
	// Anonymous volumes are made for `-v /path` and image VOLUMEs; they are
	// removed with their container by `rm -v` and `run --rm`.
	Anonymous bool `json:"anonymous,omitempty"`
	// NeedsCopyUp is true until the first container mounting the volume
	// over a non-empty directory of its image has copied that content in.
	NeedsCopyUp bool `json:"needsCopyUp,omitempty"`
	// NeedsChown is true until the first container mounting the volume has
	// given its data directory to the container's user.
	NeedsChown bool `json:"needsChown,omitempty"`
	// UID and GID are o=uid=N,gid=N: the owner of the data directory.
	UID *int `json:"uid,omitempty"`
	GID *int `json:"gid,omitempty"`
}

// MountType is the kind of mount the volume's options ask for: "" (a
// directory), "tmpfs" or "bind".
func (c *Config) MountType() string { return c.Options["type"] }

var nameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// maxName is the longest volume name: the name is a directory name and,
// with a prefix, a lock file's name.
const maxName = 200

// ValidateName checks a volume name: podman's rule ([a-zA-Z0-9][a-zA-Z0-9_.-]*),
// at most 200 characters.
func ValidateName(name string) error {
	if !nameRe.MatchString(name) {
		return fmt.Errorf("volume name %q: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: %w", name, define.ErrInvalidArg)
	}
	if len(name) > maxName {
		return fmt.Errorf("volume name %.20s...: longer than %d characters: %w", name, maxName, define.ErrInvalidArg)
	}
	return nil
}

// NewAnonymousName returns a random 64-hex-digit name.
func NewAnonymousName() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

// Store is the volume root and the lock manager its locks live in.
type Store struct {
	Dir   string
	Locks *lock.Manager
}

// New returns the store of dir, creating it.
func New(dir string, locks *lock.Manager) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create volume directory %s: %w", dir, err)
	}
	return &Store{Dir: dir, Locks: locks}, nil
}

func lockName(name string) string { return "volume-" + name }

// Lock takes the lock of the volume name (which need not exist).
func (s *Store) Lock(name string) (*fsutil.Lock, error) {
	return s.Locks.Acquire(lockName(name))
}

// Path is the volume's directory; DataDir its content.
func (s *Store) Path(name string) string    { return filepath.Join(s.Dir, name) }
func (s *Store) DataDir(name string) string { return filepath.Join(s.Dir, name, "_data") }
func (s *Store) configPath(name string) string {
	return filepath.Join(s.Dir, name, "config.json")
}

// Exists reports whether the volume exists.
func (s *Store) Exists(name string) bool {
	if ValidateName(name) != nil {
		return false
	}
	_, err := os.Stat(s.configPath(name))
	return err == nil
}

// Get reads a volume's config; a missing one is define.ErrNoSuchVolume.
func (s *Store) Get(name string) (*Config, error) {
	if ValidateName(name) != nil {
		return nil, fmt.Errorf("no volume with name %q found: %w", name, define.ErrNoSuchVolume)
	}
	data, err := os.ReadFile(s.configPath(name))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no volume with name %q found: %w", name, define.ErrNoSuchVolume)
		}
		return nil, fmt.Errorf("read volume %s: %w", name, err)
	}
	cfg := new(Config)
	if err := json.Unmarshal(data, cfg); err != nil || cfg.Name != name {
		return nil, fmt.Errorf("volume %s: %s is corrupt: remove it with `pod volume rm -f %s`: %w",
			name, s.configPath(name), name, define.ErrCorruptState)
	}
	return cfg, nil
}

// List returns every volume, sorted by name. Unreadable ones are skipped.
func (s *Store) List() ([]*Config, error) {
	ents, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	var out []*Config
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		cfg, err := s.Get(e.Name())
		if err != nil {
			continue
		}
		out = append(out, cfg)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Create makes the volume cfg.Name; the caller holds its lock. A volume of
// that name is define.ErrVolumeExists. The directory is built under a
// temporary name and renamed into place.
func (s *Store) Create(cfg *Config) error {
	if err := ValidateName(cfg.Name); err != nil {
		return err
	}
	if s.Exists(cfg.Name) {
		return fmt.Errorf("volume with name %s already exists: %w", cfg.Name, define.ErrVolumeExists)
	}
	final := s.Path(cfg.Name)
	// A directory without config.json is what a killed create or remove
	// left: the lock is ours, so it goes.
	if err := os.RemoveAll(final); err != nil {
		return fmt.Errorf("create volume %s: %w", cfg.Name, err)
	}
	tmp := filepath.Join(s.Dir, ".tmp-"+cfg.Name)
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("create volume %s: %w", cfg.Name, err)
	}
	if err := os.MkdirAll(filepath.Join(tmp, "_data"), 0o700); err != nil {
		return fmt.Errorf("create volume %s: %w", cfg.Name, err)
	}
	// The data directory is what containers see at the mount point.
	if err := os.Chmod(filepath.Join(tmp, "_data"), 0o755); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("create volume %s: %w", cfg.Name, err)
	}
	if cfg.UID != nil || cfg.GID != nil {
		uid, gid := -1, -1
		if cfg.UID != nil {
			uid = *cfg.UID
		}
		if cfg.GID != nil {
			gid = *cfg.GID
		}
		if err := os.Lchown(filepath.Join(tmp, "_data"), uid, gid); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("create volume %s: set the owner of its data: %w", cfg.Name, err)
		}
	}
	if err := fsutil.WriteJSONAtomic(filepath.Join(tmp, "config.json"), cfg, 0o600); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("create volume %s: %w", cfg.Name, err)
	}
	return syncDir(s.Dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// Save rewrites a volume's config; the caller holds its lock.
func (s *Store) Save(cfg *Config) error {
	return fsutil.WriteJSONAtomic(s.configPath(cfg.Name), cfg, 0o600)
}

// Remove deletes a volume and its data; the caller holds its lock. The
// config goes first: without it the volume no longer exists.
func (s *Store) Remove(name string) error {
	if err := os.Remove(s.configPath(name)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no volume with name %q found: %w", name, define.ErrNoSuchVolume)
		}
		return fmt.Errorf("remove volume %s: %w", name, err)
	}
	if err := os.RemoveAll(s.Path(name)); err != nil {
		return fmt.Errorf("remove data of volume %s: %w", name, err)
	}
	s.Locks.Remove(lockName(name))
	return nil
}
