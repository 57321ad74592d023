package libpod

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// NewID returns a random 64-hex-digit id.
func NewID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

func randomName() string {
	adj := [...]string{"admiring", "brave", "calm", "clever", "dreamy", "eager", "elegant", "festive", "gallant", "happy",
		"jolly", "keen", "lucid", "modest", "nifty", "optimistic", "pensive", "quirky", "relaxed", "serene", "stoic", "trusting", "vibrant", "zealous"}
	noun := [...]string{"albattani", "babbage", "curie", "darwin", "euclid", "fermat", "galileo", "hopper", "hypatia", "kepler",
		"lovelace", "meitner", "newton", "noether", "pascal", "ramanujan", "shannon", "tesla", "turing", "wozniak", "yalow", "zhukovsky"}
	pick := func(n int) int {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
		if err != nil {
			return 0
		}
		return int(v.Int64())
	}
	return adj[pick(len(adj))] + "_" + noun[pick(len(noun))]
}

// CreateContainer creates the container's writable layer and its config and
// state files. On any failure everything already made is undone.
func (r *Runtime) CreateContainer(cfg *ContainerConfig) (_ *Container, retErr error) {
	store, err := r.Store()
	if err != nil {
		return nil, err
	}
	cfg.ID = NewID()
	cfg.Created = time.Now()
	if cfg.StopTimeout == 0 {
		cfg.StopTimeout = 10
	}
	// Held until config.json exists: it marks the name reservation as live.
	l, err := r.locks.Acquire(cfg.ID)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	if cfg.Name != "" {
		if err := ValidateName(cfg.Name); err != nil {
			return nil, err
		}
		if err := r.reserveName(cfg.Name, cfg.ID); err != nil {
			return nil, err
		}
	} else {
		for i := 0; ; i++ {
			cfg.Name = randomName()
			if i > 5 {
				cfg.Name += fmt.Sprintf("_%d", i)
			}
			err := r.reserveName(cfg.Name, cfg.ID)
			if err == nil {
				break
			}
			if !errors.Is(err, define.ErrNameInUse) || i > 50 {
				return nil, err
			}
		}
	}
	defer func() {
		if retErr != nil {
			r.releaseName(cfg.Name, cfg.ID)
		}
	}()
	dir := filepath.Join(r.cfg.StaticDir, "containers", cfg.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create container directory: %w", err)
	}
	defer func() {
		if retErr != nil {
			os.RemoveAll(dir)
		}
	}()
	copts := &storage.ContainerOptions{}
	if cfg.AutoRemove && r.cfg.Storage.DriverName() == "overlay" {
		// A --rm container's upper layer is thrown away: skip the sync
		// the kernel does when a normal overlay mount goes away.
		copts.Volatile = true
	}
	if _, err := store.CreateContainer(cfg.ID, nil, cfg.ImageID, "", "", copts); err != nil {
		return nil, fmt.Errorf("create container storage for %s: %w", cfg.Name, err)
	}
	defer func() {
		if retErr != nil {
			_ = store.DeleteContainer(cfg.ID)
		}
	}()
	// No state.json yet: a missing state file reads as "created".
	c := &Container{r: r, Config: cfg, State: &ContainerState{Status: define.StatusCreated}}
	// config.json last: its presence is what makes the container exist.
	if err := fsutil.WriteJSONAtomic(filepath.Join(dir, "config.json"), cfg, 0o600); err != nil {
		return nil, err
	}
	return c, nil
}
