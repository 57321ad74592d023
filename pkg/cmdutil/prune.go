package cmdutil

import (
	"fmt"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
)

// ParsePruneFilters reads the --filter values of the prune verbs (until=,
// label=, label!=) into the engine's options.
func ParsePruneFilters(in []string, now time.Time) (libpod.PruneOptions, error) {
	var o libpod.PruneOptions
	for _, f := range in {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case !ok || v == "":
			return o, FlagErrorf("invalid filter %q: use key=value: %w", f, define.ErrInvalidArg)
		case k == "until":
			t, err := libpod.ParseUntil(v, now)
			if err != nil {
				return o, FlagErrorf("invalid until filter %q: %w", v, err)
			}
			o.Until = t
		case k == "label":
			o.Labels = append(o.Labels, v)
		case k == "label!":
			o.LabelsNot = append(o.LabelsNot, v)
		default:
			return o, FlagErrorf("invalid filter %q: supported keys are until, label and label!: %w", k, define.ErrInvalidArg)
		}
	}
	return o, nil
}

// PruneRequest is one prune verb's run: its flags, its warning and the
// engine call that prunes.
type PruneRequest struct {
	Filters []string
	All     bool
	Force   bool
	Warning string // asked before pruning unless Force
	// Preview, when set, lists what would be removed; the names follow
	// the warning, one per line.
	Preview func(Engine, libpod.PruneOptions) ([]string, error)
	Prune   func(Engine, libpod.PruneOptions) (*libpod.PruneReport, error)
}

// ConfirmPrune parses the filters and asks for confirmation unless Force.
// It returns the engine and the options to prune with, or a nil engine
// when the user said no.
func ConfirmPrune(f *Factory, req PruneRequest) (Engine, libpod.PruneOptions, error) {
	po, err := ParsePruneFilters(req.Filters, time.Now())
	if err != nil {
		return nil, po, err
	}
	po.All = req.All
	if !req.Force {
		warning := req.Warning
		if req.Preview != nil {
			e, err := f.Engine()
			if err != nil {
				return nil, po, err
			}
			names, err := req.Preview(e, po)
			if err != nil {
				return nil, po, err
			}
			if len(names) > 0 {
				warning += "\n" + strings.Join(names, "\n")
			}
		}
		if !f.IOStreams.Confirm(warning) {
			return nil, po, nil
		}
	}
	e, err := f.Engine()
	if err != nil {
		return nil, po, err
	}
	return e, po, nil
}

// RunPrune confirms (see ConfirmPrune) and prunes with req.Prune. It
// returns a nil report when the user said no.
func RunPrune(f *Factory, req PruneRequest) (*libpod.PruneReport, error) {
	e, po, err := ConfirmPrune(f, req)
	if err != nil || e == nil {
		return nil, err
	}
	return req.Prune(e, po)
}

// PrintPruned prints the removed ids, one per line, then reports what could
// not be removed.
func PrintPruned(io *IOStreams, ids []string, failed []error) error {
	for _, id := range ids {
		fmt.Fprintln(io.Out, id)
	}
	errs := NewErrors(io.ErrOut)
	for _, err := range failed {
		errs.Add(err)
	}
	return errs.Err()
}
