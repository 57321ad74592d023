package container

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// LogFlags are --log-driver and --log-opt, and --replace, which create
// and run share; the engine validates the values.
type LogFlags struct {
	Driver  string
	Opts    []string
	Replace bool
}

func addLogFlags(fs *pflag.FlagSet, o *LogFlags) {
	fs.StringVar(&o.Driver, "log-driver", "", "logging driver for the container: k8s-file, none, passthrough (default k8s-file)")
	fs.StringArrayVar(&o.Opts, "log-opt", nil, "logging driver options: path=, max-size=, max-file=, tag=")
	fs.BoolVar(&o.Replace, "replace", false, "if a container with the same name exists, replace it")
}

// apply copies the flags into the engine's create options.
func (o *LogFlags) apply(co *libpod.CreateOptions) {
	co.LogDriver, co.LogOpts, co.Replace = o.Driver, o.Opts, o.Replace
}

// passthrough reports whether the container's output goes straight to
// the caller's stdout and stderr.
func (o *LogFlags) passthrough() bool { return o.Driver == libpod.LogDriverPassthrough }

// checkPassthrough applies podman's rule that the passthrough driver is
// not for a terminal (its output would bypass pod's terminal handling),
// and pod's that it needs a caller to pass its stdio through (detach).
func (o *LogFlags) checkPassthrough(io *cmdutil.IOStreams, detach bool) error {
	if !o.passthrough() {
		return nil
	}
	if cmdutil.IsTerminal(io.InFile) || cmdutil.IsTerminal(io.OutFile) || cmdutil.IsTerminal(io.ErrFile) {
		return fmt.Errorf("the '--log-driver passthrough' option cannot be used on a TTY: %w", define.ErrInvalidArg)
	}
	if detach {
		return fmt.Errorf("the '--log-driver passthrough' option cannot be used with --detach: the container's output goes to this command's stdout and stderr: %w", define.ErrInvalidArg)
	}
	return nil
}
