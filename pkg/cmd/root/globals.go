package root

import (
	"fmt"
	"io"
	"log/syslog"
	"os"
	"slices"
	"strings"

	"github.com/sirupsen/logrus"
	lsyslog "github.com/sirupsen/logrus/hooks/syslog"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// globalShorthandAnnotation gives a global option a one-letter form that
// only counts before the command: "-c" is --connection there, but
// --cpu-shares after run. cobra cannot hold one letter twice in a command's
// flags, so Main rewrites the letter into the long form before executing.
const globalShorthandAnnotation = "pod.global-shorthand"

// globalFlags holds the values of the global options that are checked
// before any command runs.
type globalFlags struct {
	storageOpts      []string
	hooksDirs        []string
	networkConfigDir string
	namespace        string
	identity, ssh    string
	syslog           bool
	remote           bool
	url, connection  string
}

// addGlobalFlags defines the global options on root's persistent flags.
func addGlobalFlags(root *cobra.Command, g *cmdutil.GlobalOptions, gf *globalFlags) {
	pf := root.PersistentFlags()
	e := &g.Engine
	pf.StringVar(&g.LogLevel, "log-level", "warn", "log messages at and above this level ("+strings.Join(cmdutil.LogLevels(), ", ")+")")
	pf.StringVar(&e.Runtime, "runtime", "", "path or name of the OCI runtime (crun, runc)")
	pf.StringArrayVar(&e.RuntimeFlags, "runtime-flag", nil, "add a global flag of the OCI runtime (\"debug\" is passed as --debug)")
	pf.StringVar(&e.StorageDriver, "storage-driver", "", "storage driver (overlay, fuse-overlayfs, vfs)")
	pf.StringArrayVar(&gf.storageOpts, "storage-opt", nil, "storage driver option, replacing the configured ones (\"\" clears them)")
	pf.StringVar(&e.Root, "root", "", "root directory of a separate store: images, and the containers and volumes in ROOT/pod")
	pf.StringVar(&e.RunRoot, "runroot", "", "storage run root directory")
	pf.StringVar(&e.TmpDir, "tmpdir", "", "directory of pod's per-boot state: locks, exit files, bundles, events")
	pf.StringVar(&e.VolumePath, "volumepath", "", "directory of the named volumes")
	pf.StringVar(&e.NetworkCmdPath, "network-cmd-path", "", "path of the slirp4netns binary")
	pf.StringVar(&gf.networkConfigDir, "network-config-dir", "", "directory of network configurations (not supported yet)")
	pf.StringSliceVar(&gf.hooksDirs, "hooks-dir", nil, "OCI hooks directory (not supported yet: pod runs no hooks)")
	pf.StringVar(&e.CgroupManager, "cgroup-manager", "cgroupfs", "cgroup manager (cgroupfs; pod has no systemd one)")
	pf.StringVar(&e.EventsBackend, "events-backend", "file", "events backend (file, none)")
	pf.StringVar(&g.Conmon, "conmon", "", "path of the container monitor (pod-monitor)")
	pf.StringVar(&gf.namespace, "namespace", "", "libpod namespace (not supported yet)")
	pf.StringVar(&gf.identity, "identity", "", "SSH identity file of remote connections (accepted; pod has none)")
	pf.StringVar(&gf.ssh, "ssh", "golang", "SSH mode of remote connections (accepted; pod has none)")
	pf.BoolVar(&g.Noout, "noout", false, "do not write anything to stdout")
	pf.BoolVar(&gf.syslog, "syslog", false, "send log messages to syslog as well as stderr")
	pf.BoolVar(&gf.remote, "remote", false, "access a remote service (not supported: pod runs containers on this machine)")
	pf.StringVar(&gf.url, "url", "", "URL of a remote service (not supported)")
	pf.StringVar(&gf.connection, "connection", "", "remote connection to use (not supported)")
	for name, short := range map[string]string{"remote": "r", "connection": "c"} {
		_ = pf.SetAnnotation(name, globalShorthandAnnotation, []string{short})
	}
}

// checkGlobals refuses global options pod cannot honour and applies the
// ones that act at once (log level, syslog, --noout).
func checkGlobals(cmd *cobra.Command, f *cmdutil.Factory, gf *globalFlags) error {
	if !slices.Contains(cmdutil.LogLevels(), f.Global.LogLevel) {
		fmt.Fprintf(f.IOStreams.ErrOut, "Log Level %q is not supported, choose from: %s\n", f.Global.LogLevel, strings.Join(cmdutil.LogLevels(), ", "))
		return &cmdutil.ExitError{Code: 1}
	}
	pf := cmd.Flags()
	for _, name := range []string{"remote", "url", "connection"} {
		if pf.Changed(name) {
			return fmt.Errorf("--%s: remote connections are not supported: pod runs containers on this machine only: %w", name, define.ErrInvalidArg)
		}
	}
	for _, name := range []string{"hooks-dir", "network-config-dir", "namespace"} {
		if fl := pf.Lookup(name); fl != nil && fl.Changed && fl.Value.String() != "" && fl.Value.String() != "[]" {
			return unsupportedGlobal(name)
		}
	}
	// Defaults shown in the help must not override the configuration.
	for name, v := range map[string]*string{"cgroup-manager": &f.Global.Engine.CgroupManager, "events-backend": &f.Global.Engine.EventsBackend} {
		if !pf.Changed(name) {
			*v = ""
		}
	}
	if err := f.Global.Engine.Check(); err != nil {
		return err
	}
	if pf.Changed("storage-opt") {
		f.Global.Engine.StorageOpts = append([]string{}, gf.storageOpts...)
	}
	lvl, err := logrus.ParseLevel(f.Global.LogLevel)
	if err != nil {
		return err
	}
	logrus.SetLevel(lvl)
	logrus.SetOutput(f.IOStreams.ErrOut)
	logrus.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: "15:04:05.000000"})
	if gf.syslog {
		if hook, err := lsyslog.NewSyslogHook("", "", syslog.LOG_INFO, "pod"); err == nil {
			logrus.AddHook(hook)
		} else {
			logrus.Debugf("--syslog: %v", err)
		}
	}
	if f.Global.Noout {
		if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
			f.IOStreams.OutFile = null
		}
		f.IOStreams.Out = io.Discard
		cmd.SetOut(io.Discard)
	}
	return nil
}

// unsupportedGlobal is the error of a global option pod parses but cannot
// honour yet.
func unsupportedGlobal(name string) error {
	return fmt.Errorf("not supported yet: --%s: %w", name, define.ErrInvalidArg)
}

// expandGlobalShorthands rewrites the one-letter global options given
// before the command into their long forms (see globalShorthandAnnotation).
func expandGlobalShorthands(root *cobra.Command, args []string) []string {
	short := map[string]*pflag.Flag{}
	root.PersistentFlags().VisitAll(func(fl *pflag.Flag) {
		for _, s := range fl.Annotations[globalShorthandAnnotation] {
			short[s] = fl
		}
	})
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		if strings.HasPrefix(a, "--") {
			if fl := root.PersistentFlags().Lookup(strings.TrimPrefix(a, "--")); fl != nil && takesValue(fl) {
				i++
			}
			continue
		}
		letter, rest := a[1:2], a[2:]
		fl := short[letter]
		if fl == nil {
			if pfl := root.PersistentFlags().ShorthandLookup(letter); pfl != nil && takesValue(pfl) && rest == "" {
				i++
			}
			continue
		}
		switch {
		case rest != "":
			out[i] = "--" + fl.Name + "=" + strings.TrimPrefix(rest, "=")
		default:
			out[i] = "--" + fl.Name
			if takesValue(fl) {
				i++
			}
		}
	}
	return out
}

// takesValue reports whether fl's value is the next argument when not
// written --flag=value.
func takesValue(fl *pflag.Flag) bool {
	return fl.NoOptDefVal == "" && fl.Value.Type() != "bool"
}
