package logs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeFormat is the layout of record timestamps, and of the timestamps
// printed by Read with Options.Timestamps.
const TimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// Stream names.
const (
	Stdout = "stdout"
	Stderr = "stderr"
)

// ErrInvalidRecord is wrapped by the errors Parse returns.
var ErrInvalidRecord = errors.New("not a valid container log record")

// Line is one parsed log record.
type Line struct {
	// Time is when the record was written, in the offset it was
	// written with.
	Time time.Time
	// Stream is Stdout or Stderr.
	Stream string
	// Partial is true for a P record: Text does not end the line.
	Partial bool
	// Text is the record's content, without the newline ending the
	// record.
	Text string
}

// String renders l as a record, without the trailing newline.
func (l Line) String() string {
	tag := "F"
	if l.Partial {
		tag = "P"
	}
	return l.Time.Format(TimeFormat) + " " + l.Stream + " " + tag + " " + l.Text
}

// Parse parses one record. A trailing newline is ignored. The text is
// everything after the third space, so it may contain spaces; a record
// with nothing after the tag has empty text. The tag may carry further
// colon-separated flags ("F:x"); only the first is used. Errors wrap
// ErrInvalidRecord.
func Parse(line string) (Line, error) {
	line = strings.TrimSuffix(line, "\n")
	parts := strings.SplitN(line, " ", 4)
	if len(parts) < 3 {
		return Line{}, fmt.Errorf("%q: %w: expected \"TIME STREAM TAG TEXT\"", clip(line), ErrInvalidRecord)
	}
	t, err := time.Parse(time.RFC3339Nano, parts[0])
	if err != nil {
		return Line{}, fmt.Errorf("%q: %w: bad time %q", clip(line), ErrInvalidRecord, clip(parts[0]))
	}
	l := Line{Time: t, Stream: parts[1]}
	if l.Stream != Stdout && l.Stream != Stderr {
		return Line{}, fmt.Errorf("%q: %w: unknown stream %q", clip(line), ErrInvalidRecord, clip(parts[1]))
	}
	tag, _, _ := strings.Cut(parts[2], ":")
	switch tag {
	case "F":
	case "P":
		l.Partial = true
	default:
		return Line{}, fmt.Errorf("%q: %w: unknown tag %q", clip(line), ErrInvalidRecord, clip(parts[2]))
	}
	if len(parts) == 4 {
		l.Text = parts[3]
	}
	return l, nil
}

// clip shortens s for use in an error message.
func clip(s string) string {
	const limit = 80
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}

// ParseSince parses the argument of --since relative to now. Accepted:
//
//   - RFC 3339 timestamps, with or without fractional seconds
//     ("2026-11-23T10:11:12Z", "2026-11-23T10:11:12.5+01:00");
//   - "2006-01-02T15:04:05" (optionally with fractional seconds) and
//     "2006-01-02", in the local time zone; "2006-01-02Z07:00";
//   - Unix seconds, with an optional fraction ("1700000000.25");
//   - a Go duration ("10m", "1h30m"), meaning that long before now.
func ParseSince(s string, now time.Time) (time.Time, error) {
	t, d, err := parseTimeOrDuration(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid --since value: %w", err)
	}
	if t.IsZero() {
		return now.Add(-d), nil
	}
	return t, nil
}

// ParseUntil parses the argument of --until like ParseSince, except that
// a duration means that long after now.
func ParseUntil(s string, now time.Time) (time.Time, error) {
	t, d, err := parseTimeOrDuration(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid --until value: %w", err)
	}
	if t.IsZero() {
		return now.Add(d), nil
	}
	return t, nil
}

// parseTimeOrDuration returns either a non-zero time or a duration.
func parseTimeOrDuration(s string) (time.Time, time.Duration, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, 0, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02", "2006-01-02Z07:00"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, 0, nil
		}
	}
	if t, ok := parseUnix(s); ok {
		return t, 0, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Time{}, d, nil
	}
	return time.Time{}, 0, fmt.Errorf("%q is neither a timestamp (RFC 3339, 2006-01-02, 2006-01-02T15:04:05, Unix seconds) nor a duration (10m, 1h30m)", s)
}

// parseUnix parses Unix seconds with an optional fraction of up to nine
// digits, e.g. "1700000000" or "1700000000.123".
func parseUnix(s string) (time.Time, bool) {
	secStr, fracStr, hasFrac := strings.Cut(s, ".")
	if secStr == "" || strings.IndexFunc(secStr, notDigit) >= 0 {
		return time.Time{}, false
	}
	if hasFrac && (fracStr == "" || len(fracStr) > 9 || strings.IndexFunc(fracStr, notDigit) >= 0) {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(secStr, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var nsec int64
	if hasFrac {
		nsec, _ = strconv.ParseInt(fracStr+strings.Repeat("0", 9-len(fracStr)), 10, 64)
	}
	return time.Unix(sec, nsec), true
}

func notDigit(r rune) bool { return r < '0' || r > '9' }
