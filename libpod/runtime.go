package libpod

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"
	"go.podman.io/storage"
	graphdriver "go.podman.io/storage/drivers"
	"go.podman.io/storage/pkg/reexec"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/lock"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/procfs"
)

// Runtime is an open engine: configuration, lazily opened store and OCI
// runtime, and the lock manager.
type Runtime struct {
	cfg   *Config
	store storage.Store
	oci   *ociruntime.Runtime
	locks *lock.Manager
	// signals defers SIGINT, SIGTERM and SIGHUP while a lock is held.
	signals signalHold
	// PodPath is pod's own executable (for the monitor's cleanup command).
	PodPath string
	// Version is pod's version (/run/.containerenv's engine line).
	Version string
	// MonitorPath is the pod-monitor executable.
	MonitorPath string
}

// New opens the engine's directories and refreshes container states after a
// reboot. The store is opened on first use.
func New(cfg *Config) (*Runtime, error) {
	for _, d := range []string{cfg.StaticDir, filepath.Join(cfg.StaticDir, "containers"), filepath.Join(cfg.StaticDir, "names"),
		cfg.RunDir, filepath.Join(cfg.RunDir, "containers")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	lm, err := lock.New(filepath.Join(cfg.RunDir, "locks"))
	if err != nil {
		return nil, err
	}
	return &Runtime{cfg: cfg, locks: lm}, nil
}

// Config returns the configuration the runtime was opened with.
func (r *Runtime) Config() *Config { return r.cfg }

// Store opens the storage store on first use. With no driver configured it
// tries kernel overlay, then fuse-overlayfs, then vfs.
func (r *Runtime) getStore() (storage.Store, error) {
	if r.store != nil {
		return r.store, nil
	}
	s := r.cfg.Storage
	open := func(sc StorageConfig) (storage.Store, error) {
		return storage.GetStore(storage.StoreOptions{
			RunRoot:            sc.RunRoot,
			GraphRoot:          sc.GraphRoot,
			GraphDriverName:    sc.DriverName(),
			GraphDriverOptions: sc.DriverOptions(),
		})
	}
	store, err := open(s)
	if err != nil && s.Driver == "" && isNotSupported(err) {
		logrus.Debugf("kernel overlay refused (%v), trying fallbacks", err)
		if p, lerr := exec.LookPath("fuse-overlayfs"); lerr == nil && fuseUsable() {
			fs := s
			fs.Driver, fs.MountProgram = "fuse-overlayfs", p
			if store, err = open(fs); err == nil {
				r.cfg.Storage = fs
			}
		}
		if store == nil {
			vs := s
			vs.Driver = "vfs"
			if store, err = open(vs); err == nil {
				r.cfg.Storage = vs
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open storage at %s (driver %s): %s: %w", s.GraphRoot, s.DriverName(), oneLine(err), define.ErrInvalidArg)
	}
	if r.cfg.Storage.Driver == "" {
		r.cfg.Storage.Driver = "overlay"
	}
	r.store = store
	r.ensureReserve()
	r.spreadDirs()
	return store, nil
}

func isNotSupported(err error) bool {
	return errors.Is(err, graphdriver.ErrNotSupported) || errors.Is(err, graphdriver.ErrIncompatibleFS) ||
		strings.Contains(err.Error(), "not supported")
}

func fuseUsable() bool {
	f, err := os.OpenFile("/dev/fuse", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// OCIRuntime returns the OCI runtime client, finding the binary on first use.
func (r *Runtime) OCIRuntime() (*ociruntime.Runtime, error) {
	if r.oci != nil {
		return r.oci, nil
	}
	rt, err := ociruntime.Find(r.cfg.Runtime)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, define.ErrMissingTool)
	}
	root := filepath.Join(r.cfg.RunDir, "runtime")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", root, err)
	}
	rt.Root = root
	rt.ExtraArgs = r.cfg.RuntimeFlags
	r.oci = rt
	return r.oci, nil
}

// Shutdown releases the store. A layer still mounted by another process is
// not an error.
func (r *Runtime) Shutdown() {
	if r.store != nil {
		defer logrus.Debugf("store shut down")
		if _, err := r.store.Shutdown(false); err != nil && !errors.Is(err, storage.ErrLayerUsedByContainer) {
			logrus.Debugf("shutdown store: %v", err)
		}
		r.store = nil
	}
}

// MonitorPIDs lists the live monitors of the user's containers, from the
// pid records the monitors write themselves. It runs outside the user
// namespace, before joining, so it only reads files.
func MonitorPIDs(runtimeDir string) []int {
	cfg, err := LoadConfig(runtimeDir)
	if err != nil {
		return nil
	}
	r := &Runtime{cfg: cfg}
	ids, _ := r.containerIDs()
	var pids []int
	for _, id := range ids {
		c := &Container{r: r, Config: &ContainerConfig{ID: id}}
		data, err := os.ReadFile(c.monitorPidFile())
		if err != nil {
			continue
		}
		if rec, err := protocol.ParsePidRecord(data); err == nil && procfs.Alive(rec.Pid, rec.Start) {
			pids = append(pids, rec.Pid)
		}
	}
	return pids
}

// ReexecInit runs a helper registered by the storage library when this
// process was started as one; it reports whether it did.
func ReexecInit() bool { return reexec.Init() }
