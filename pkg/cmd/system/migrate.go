package system

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/doctor"
	"github.com/pod-engine/pod/pkg/ociruntime"
	"github.com/pod-engine/pod/pkg/procfs"
	"github.com/pod-engine/pod/userns"
)

// pauseExitTimeout bounds the wait for a killed pause process.
const pauseExitTimeout = 2 * time.Second

// MigrateOptions are the inputs of `pod system migrate`.
type MigrateOptions struct {
	Factory    *cmdutil.Factory
	NewRuntime string
}

// NewCmdMigrate returns `pod system migrate`: after /etc/subuid or
// /etc/subgid changed, restart the pause process so that the next command
// maps the new ranges. It never enters the user namespace.
func NewCmdMigrate(f *cmdutil.Factory, runF func(*MigrateOptions) error) *cobra.Command {
	o := &MigrateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "migrate [options]",
		Short: "Restart the pause process after a change of subordinate ids",
		Long: "Compare the id maps of pod's user namespace with /etc/subuid and /etc/subgid and, when they changed, " +
			"stop the pause process: the next command creates a new namespace with the new ranges. " +
			"Refused while containers run in the old namespace.",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{noUserns: "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runMigrate(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.NewRuntime, "new-runtime", "", "check the OCI runtime `NAME` (crun, runc or a path) that containers should use")
	return cmd
}

func runMigrate(ctx context.Context, o *MigrateOptions) error {
	if err := outsideNamespace("migrate"); err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	if o.NewRuntime != "" {
		// pod's containers take the runtime from pod.conf at each start:
		// there is nothing to rewrite in existing containers.
		r, err := ociruntime.Find(o.NewRuntime)
		if err != nil {
			return fmt.Errorf("--new-runtime %s: %w", o.NewRuntime, err)
		}
		fmt.Fprintf(out, "runtime %s found at %s: containers take the runtime from pod.conf at each start: set runtime = %q there to use it for every container\n",
			o.NewRuntime, r.Path, o.NewRuntime)
	}
	rd, err := userns.RuntimeDir()
	if err != nil {
		return err
	}
	unlock, err := lockPause(rd)
	if err != nil {
		return err
	}
	defer unlock()

	pause := userns.LivePause(rd)
	monitors := libpod.MonitorPIDs(rd)
	// Without a pause process, the next command would join the namespace
	// of a running container's monitor: compare that one.
	nsPID := pause
	if nsPID == 0 && len(monitors) > 0 {
		nsPID = monitors[0]
	}
	if nsPID == 0 {
		fmt.Fprintln(out, "no pause process: the next command creates one with the current subordinate ids")
		return nil
	}
	diffs, err := doctor.CompareMaps(doctor.System(), nsPID)
	if err != nil {
		return fmt.Errorf("compare the user namespace with the subordinate ids: %w", err)
	}
	if len(diffs) == 0 {
		fmt.Fprintln(out, "pause process up to date")
		return nil
	}
	files := make([]string, len(diffs))
	for i, d := range diffs {
		logrus.Debugf("%s", d)
		files[i] = d.File
	}
	if len(monitors) > 0 {
		return fmt.Errorf("subordinate ids changed in %s but %d container(s) still run in the old user namespace: stop them with `pod stop -a`, then run `pod system migrate` again",
			strings.Join(files, " and "), len(monitors))
	}
	if err := stopPause(pause); err != nil {
		return err
	}
	fmt.Fprintln(out, "subordinate ids changed: pause process restarted")
	return nil
}

// lockPause takes the lock userns.Enter takes to choose or create the
// pause process (pause.lock beside the pause pid file), so that no command
// joins the pause process while it is being stopped.
func lockPause(rd string) (func(), error) {
	path := userns.PauseLockFile(rd)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	for {
		if err = unix.Flock(int(f.Fd()), unix.LOCK_EX); err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// stopPause kills the pause process and waits until it is gone (a zombie
// counts as gone: nothing can join it).
func stopPause(pid int) error {
	start := procfs.StartTime(pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && err != syscall.ESRCH {
		return fmt.Errorf("stop the pause process %d: %w", pid, err)
	}
	deadline := time.Now().Add(pauseExitTimeout)
	for procfs.Alive(pid, start) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the pause process %d is still alive %s after SIGKILL", pid, pauseExitTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}
