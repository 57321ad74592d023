package cmdutil

import (
	"fmt"

	"github.com/pod-engine/pod/pkg/report"
)

// WriteInspect prints what an inspect verb found (objs, a slice): a JSON
// array when format is empty or json, else the Go template once per
// object. The lookups that failed (errs) are reported after the output.
func WriteInspect(streams *IOStreams, format string, objs any, errs *Errors) error {
	out := streams.Out
	if _, _, isJSON := report.NormalizeFormat(format); isJSON || format == "" {
		if err := report.WriteInspectJSON(out, objs); err != nil {
			return err
		}
		return errs.Err()
	}
	w, err := report.NewWriter(out, "inspect", format)
	if err != nil {
		return FlagErrorf("invalid --format: %w", err)
	}
	if err := w.Write(objs); err != nil {
		return fmt.Errorf("inspect --format: %w", err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return errs.Err()
}
