package cmdutil

import (
	"fmt"
	"os"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/userns"
)

// GlobalOptions are the root command's persistent flags.
type GlobalOptions struct {
	LogLevel      string
	Runtime       string
	StorageDriver string
	Root          string
	RunRoot       string
}

// Factory builds what commands need, lazily: a command that never calls
// Engine never enters the user namespace nor opens the store.
type Factory struct {
	IOStreams *IOStreams
	Global    GlobalOptions
	Version   string
	// Engine enters the user namespace and opens the engine on first use.
	// Tests replace it with a fake.
	Engine func() (Engine, error)

	rt *libpod.Runtime
}

// NewFactory returns a Factory on the process's own streams.
func NewFactory(version string) *Factory {
	f := &Factory{IOStreams: System(), Version: version}
	f.Engine = func() (Engine, error) {
		rt, err := f.openRuntime()
		if err != nil {
			return nil, err
		}
		return rt, nil
	}
	return f
}

// openRuntime enters the user namespace (re-executing the command if
// needed), loads the configuration and opens the engine, once.
func (f *Factory) openRuntime() (*libpod.Runtime, error) {
	if f.rt != nil {
		return f.rt, nil
	}
	if err := userns.Enter(userns.Options{MonitorPIDs: libpod.MonitorPIDs}); err != nil {
		return nil, err
	}
	if err := userns.EnsurePause(); err != nil {
		return nil, err
	}
	rd, err := userns.RuntimeDir()
	if err != nil {
		return nil, err
	}
	cfg, err := libpod.LoadConfig(rd)
	if err != nil {
		return nil, err
	}
	g := f.Global
	if g.Runtime != "" {
		cfg.Runtime = g.Runtime
	}
	if g.StorageDriver != "" {
		cfg.Storage.Driver = g.StorageDriver
	}
	if g.Root != "" {
		cfg.Storage.GraphRoot = g.Root
	}
	if g.RunRoot != "" {
		cfg.Storage.RunRoot = g.RunRoot
	}
	rt, err := libpod.New(cfg)
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	rt.PodPath = exe
	if rt.MonitorPath, err = libpod.FindMonitor(exe); err != nil {
		return nil, err
	}
	f.rt = rt
	logrus.Debugf("engine open (namespace joined, config loaded)")
	return rt, nil
}

// Shutdown closes the engine if it was opened.
func (f *Factory) Shutdown() {
	if f.rt != nil {
		f.rt.Shutdown()
	}
}
