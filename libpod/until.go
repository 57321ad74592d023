package libpod

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

// ParseUntil reads the value of an until= filter (prune verbs, volume
// filters): a duration back from now ("24h"), RFC 3339, a local date or
// date and time, or Unix seconds.
func ParseUntil(v string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(v); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(sec, 0), nil
	}
	return time.Time{}, fmt.Errorf("want a duration (24h), a date (2006-01-02), RFC 3339 or Unix seconds: %w", define.ErrInvalidArg)
}
