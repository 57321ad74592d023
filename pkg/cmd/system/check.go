package system

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CheckOptions are the inputs of `pod system check`.
type CheckOptions struct {
	Factory *cmdutil.Factory
	Force   bool
	Max     time.Duration
	Quick   bool
	Repair  bool
}

// NewCmdCheck returns `pod system check`.
func NewCmdCheck(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	o := &CheckOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "check [options]",
		Short: "Check the storage and pod's records for consistency",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runCheck(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.Force, "force", "f", false, "with --repair, also remove what cannot be fixed otherwise (damaged or foreign containers and images)")
	fl.DurationVarP(&o.Max, "max", "m", 24*time.Hour, "maximum allowed age of unreferenced layers")
	fl.BoolVarP(&o.Quick, "quick", "q", false, "skip the slower checks of layer contents")
	fl.BoolVarP(&o.Repair, "repair", "r", false, "repair what is found")
	return cmd
}

// runCheck prints one line per finding. It exits 0 when nothing is left
// unrepaired, 1 otherwise.
func runCheck(ctx context.Context, o *CheckOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	maxAge := o.Max
	findings, err := e.Check(ctx, libpod.CheckOptions{Repair: o.Repair, Force: o.Force, Quick: o.Quick, MaxAge: &maxAge})
	out := o.Factory.IOStreams.Out
	left := 0
	for _, f := range findings {
		state := ""
		switch {
		case f.Repaired:
			state = " (repaired)"
		case f.Err != nil:
			state = " (repair failed: " + cmdutil.Message(f.Err)[len("Error: "):] + ")"
			left++
		default:
			left++
		}
		fmt.Fprintf(out, "%s: %s%s\n", f.Object, f.Problem, state)
	}
	if err != nil {
		return err
	}
	if left > 0 {
		fix := "run `pod system check --repair`"
		if o.Repair {
			fix = "add --force to remove what cannot be repaired otherwise"
		}
		return &cmdutil.ExitError{Code: 1, Err: fmt.Errorf("%d problem(s) not repaired: %s", left, fix)}
	}
	if len(findings) == 0 {
		fmt.Fprintln(out, "No problems found")
	}
	return nil
}
