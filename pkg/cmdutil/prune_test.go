package cmdutil

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func isFlagError(err error) bool {
	var fe *FlagError
	return errors.As(err, &fe)
}

func TestParsePruneFilters(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	o, err := ParsePruneFilters([]string{"until=2h", "label=a=b", "label!=tmp"}, now)
	if err != nil || !o.Until.Equal(now.Add(-2*time.Hour)) || strings.Join(o.Labels, ",") != "a=b" || strings.Join(o.LabelsNot, ",") != "tmp" {
		t.Errorf("parsePruneFilters = %+v, %v", o, err)
	}
	for _, v := range []string{"2026-11-30", "2026-11-30T10:00:00Z", "1796000000"} {
		if o, err := ParsePruneFilters([]string{"until=" + v}, now); err != nil || o.Until.IsZero() {
			t.Errorf("until=%s: %+v, %v", v, o, err)
		}
	}
	for _, bad := range []string{"until", "until=", "until=soon", "dangling=true", "=x"} {
		if _, err := ParsePruneFilters([]string{bad}, now); err == nil || !isFlagError(err) {
			t.Errorf("filter %q: %v, want a usage error", bad, err)
		}
	}
}
