package system

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// PruneOptions are the inputs of `pod system prune`.
type PruneOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Volumes bool
	Filters []string
	Force   bool
}

// NewCmdPrune returns `pod system prune`.
func NewCmdPrune(f *cmdutil.Factory, runF func(*PruneOptions) error) *cobra.Command {
	o := &PruneOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "prune [options]",
		Short: "Remove stopped containers and unused images",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPrune(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "remove all unused images, not only dangling ones")
	fl.BoolVar(&o.Volumes, "volumes", false, "prune volumes (pod has none yet)")
	fl.StringArrayVar(&o.Filters, "filter", nil, "provide filter values (until=, label=, label!=)")
	fl.BoolVarP(&o.Force, "force", "f", false, "do not prompt for confirmation")
	return cmd
}

// parsePruneFilters reads --filter values into the engine's options.
func parsePruneFilters(in []string, now time.Time) (libpod.PruneOptions, error) {
	var o libpod.PruneOptions
	for _, f := range in {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case !ok || v == "":
			return o, cmdutil.FlagErrorf("invalid filter %q: use key=value: %w", f, define.ErrInvalidArg)
		case k == "until":
			t, err := parseUntil(v, now)
			if err != nil {
				return o, cmdutil.FlagErrorf("invalid until filter %q: %w", v, err)
			}
			o.Until = t
		case k == "label":
			o.Labels = append(o.Labels, v)
		case k == "label!":
			o.LabelsNot = append(o.LabelsNot, v)
		default:
			return o, cmdutil.FlagErrorf("invalid filter %q: supported keys are until, label and label!: %w", k, define.ErrInvalidArg)
		}
	}
	return o, nil
}

// parseUntil reads a duration back from now ("24h") or a time (RFC 3339,
// a date, Unix seconds).
func parseUntil(v string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(v); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	var sec int64
	if _, err := fmt.Sscanf(v, "%d", &sec); err == nil && fmt.Sprint(sec) == v {
		return time.Unix(sec, 0), nil
	}
	return time.Time{}, fmt.Errorf("want a duration (24h), a date (2006-01-02), RFC 3339 or Unix seconds: %w", define.ErrInvalidArg)
}

func runPrune(ctx context.Context, o *PruneOptions) error {
	po, err := parsePruneFilters(o.Filters, time.Now())
	if err != nil {
		return err
	}
	po.All = o.All
	io := o.Factory.IOStreams
	if !o.Force {
		what := "all dangling images"
		if o.All {
			what = "all images without at least one container associated with them"
		}
		if !io.Confirm("WARNING! This command removes:\n\t- all stopped containers\n\t- " + what + "\n") {
			return nil
		}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	rep, err := e.Prune(ctx, po)
	if err != nil {
		return err
	}
	if len(rep.Containers) > 0 {
		fmt.Fprintln(io.Out, "Deleted Containers")
		for _, id := range rep.Containers {
			fmt.Fprintln(io.Out, id)
		}
	}
	if len(rep.Images) > 0 {
		fmt.Fprintln(io.Out, "Deleted Images")
		for _, id := range rep.Images {
			fmt.Fprintln(io.Out, id)
		}
	}
	fmt.Fprintf(io.Out, "Total reclaimed space: %s\n", strings.ReplaceAll(report.HumanSize(rep.Reclaimed), " ", ""))
	errs := cmdutil.NewErrors(io.ErrOut)
	for _, err := range rep.Errors {
		errs.Add(err)
	}
	return errs.Err()
}
