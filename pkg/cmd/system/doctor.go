package system

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/doctor"
	"github.com/pod-engine/pod/pkg/report"
	"github.com/pod-engine/pod/userns"
)

// doctorFailed is the exit code when a check found an error: a failed
// check is not pod failing.
const doctorFailed = 1

// DoctorOptions are the inputs of `pod system doctor`.
type DoctorOptions struct {
	Factory *cmdutil.Factory
	Format  string
}

// NewCmdDoctor returns `pod system doctor` (also `pod doctor`). It never
// enters the user namespace: it diagnoses whether it can be created.
func NewCmdDoctor(f *cmdutil.Factory, runF func(*DoctorOptions) error) *cobra.Command {
	o := &DoctorOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "doctor [options]",
		Short: "Check the host's rootless prerequisites",
		Long: "Check everything rootless containers need (subordinate ids, newuidmap, devices, user namespaces, " +
			"network helpers, OCI runtimes, cgroups, runtime directory, storage) and print one line per check " +
			"with the command that fixes it. Exits 1 when a check fails.",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{noUserns: "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runDoctor(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "", "change the output format to JSON or a Go template")
	return cmd
}

func runDoctor(ctx context.Context, o *DoctorOptions) error {
	if err := outsideNamespace("doctor"); err != nil {
		return err
	}
	rs := doctor.Run(ctx, doctor.System(), doctorConfig(o.Factory.Global))
	if err := writeDoctor(o.Factory.IOStreams.Out, o.Format, rs); err != nil {
		return err
	}
	if doctor.HasError(rs) {
		return &cmdutil.ExitError{Code: doctorFailed}
	}
	return nil
}

// outsideNamespace refuses to run verb inside pod's user namespace (from
// `pod unshare`), where every id and path looks different.
func outsideNamespace(verb string) error {
	if userns.InNamespace() {
		return fmt.Errorf("pod system %s inspects the host from outside pod's user namespace: run it from a normal shell, not from `pod unshare`", verb)
	}
	return nil
}

// doctorConfig reads pod's configuration as the engine would, without
// entering the namespace or creating the runtime directory.
func doctorConfig(g cmdutil.GlobalOptions) doctor.Config {
	rd := os.Getenv("XDG_RUNTIME_DIR")
	if rd == "" {
		rd = filepath.Join(os.TempDir(), "pod-run-"+strconv.Itoa(os.Getuid()))
	}
	cfg, err := libpod.LoadConfig(rd)
	if err != nil {
		return doctor.Config{Err: err}
	}
	c := doctor.Config{
		Runtime:       cfg.Runtime,
		Network:       cfg.Network,
		PodConf:       filepath.Join(cfg.ConfigDir, "pod.conf"),
		StorageDriver: cfg.Storage.Driver,
		GraphRoot:     cfg.Storage.GraphRoot,
	}
	switch {
	case g.Engine.StorageDriver != "":
		c.StorageDriver, c.DriverSource = g.Engine.StorageDriver, "--storage-driver"
	case os.Getenv("STORAGE_DRIVER") != "":
		c.DriverSource = "$STORAGE_DRIVER"
	case os.Getenv("CONTAINERS_STORAGE_CONF") != "":
		c.DriverSource = os.Getenv("CONTAINERS_STORAGE_CONF")
	default:
		c.DriverSource = filepath.Join(cfg.ConfigDir, "storage.conf")
	}
	if g.Engine.Runtime != "" {
		c.Runtime = g.Engine.Runtime
	}
	if g.Engine.Root != "" {
		c.GraphRoot = g.Engine.Root
	}
	return c
}

// writeDoctor prints the results: one line each, as JSON (an array of
// {"check","status","message","fix"}) or through a Go template.
func writeDoctor(out io.Writer, format string, rs []doctor.Result) error {
	if format == "" {
		var b strings.Builder
		for _, r := range rs {
			fmt.Fprintf(&b, "%-8s %-12s %s", r.Status, r.Check, r.Message)
			if r.Fix != "" {
				fmt.Fprintf(&b, "; fix: %s", r.Fix)
			}
			b.WriteByte('\n')
		}
		_, err := io.WriteString(out, b.String())
		return err
	}
	w, err := report.NewWriter(out, "doctor", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	if w.IsJSON() {
		return report.WriteJSON(out, rs)
	}
	if err := w.Write(rs); err != nil {
		return fmt.Errorf("doctor --format: %w", err)
	}
	return w.Flush()
}
