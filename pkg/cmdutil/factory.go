package cmdutil

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/userns"
)

// GlobalOptions are the root command's persistent flags.
type GlobalOptions struct {
	LogLevel string
	// Engine are the options that override the engine's configuration.
	Engine libpod.Overrides
	// Conmon is --conmon: the path of the container monitor (pod-monitor).
	Conmon string
	// Noout discards everything written to stdout.
	Noout bool
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
	if err := cfg.Apply(f.Global.Engine); err != nil {
		return nil, err
	}
	rt, err := libpod.New(cfg)
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	rt.PodPath, rt.Version = exe, f.Version
	if rt.MonitorPath, err = f.monitorPath(exe); err != nil {
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

// monitorPath is --conmon's program, else pod-monitor beside exe or in PATH.
func (f *Factory) monitorPath(exe string) (string, error) {
	p := f.Global.Conmon
	if p == "" {
		return libpod.FindMonitor(exe)
	}
	st, err := os.Stat(p)
	if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("--conmon %s: not an executable file: give the path of pod-monitor: %w", p, define.ErrInvalidArg)
	}
	return filepath.Abs(p)
}
