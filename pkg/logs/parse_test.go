package logs

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	utc := time.Date(2026, 11, 23, 10, 11, 12, 123456789, time.UTC)
	tests := []struct {
		in   string
		want Line
	}{
		{"2026-11-23T10:11:12.123456789+00:00 stdout F hello", Line{utc, Stdout, false, "hello"}},
		{"2026-11-23T10:11:12.123456789Z stdout F hello\n", Line{utc, Stdout, false, "hello"}},
		{"2026-11-23T10:11:12.123456789+00:00 stderr P par", Line{utc, Stderr, true, "par"}},
		{"2026-11-23T10:11:12.123456789+00:00 stdout F  two  spaces ", Line{utc, Stdout, false, " two  spaces "}},
		{"2026-11-23T10:11:12.123456789+00:00 stdout F ", Line{utc, Stdout, false, ""}},
		{"2026-11-23T10:11:12.123456789+00:00 stdout F", Line{utc, Stdout, false, ""}},
		{"2026-11-23T10:11:12.123456789+00:00 stdout F:x text", Line{utc, Stdout, false, "text"}},
		{"2026-11-23T10:11:12.123456789+00:00 stdout F tab\there\r", Line{utc, Stdout, false, "tab\there\r"}},
		{"2026-11-23T10:11:12.5+00:00 stdout F short fraction", Line{utc.Truncate(time.Second).Add(500 * time.Millisecond), Stdout, false, "short fraction"}},
		{"2026-11-23T10:11:12+00:00 stdout F no fraction", Line{utc.Truncate(time.Second), Stdout, false, "no fraction"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !got.Time.Equal(tt.want.Time) || got.Stream != tt.want.Stream || got.Partial != tt.want.Partial || got.Text != tt.want.Text {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseKeepsOffset(t *testing.T) {
	l, err := Parse("2026-11-23T10:11:15.100000000+01:00 stdout F a")
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Time.Format(TimeFormat); got != "2026-11-23T10:11:15.100000000+01:00" {
		t.Errorf("time formats as %q", got)
	}
	if got := l.String(); got != "2026-11-23T10:11:15.100000000+01:00 stdout F a" {
		t.Errorf("String() = %q", got)
	}
	l.Partial = true
	l.Time = l.Time.UTC()
	if got := l.String(); got != "2026-11-23T09:11:15.100000000Z stdout P a" {
		t.Errorf("String() = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, msg string
	}{
		{"", "expected"},
		{"garbage line", "expected"},
		{"garbage line with more words", "bad time"},
		{"2026-11-23 10:11:12 stdout F x", "bad time"},
		{"2026-11-23T10:11:12.123456789+00:00 stdin F x", "unknown stream"},
		{"2026-11-23T10:11:12.123456789+00:00 stdout X x", "unknown tag"},
		{"2026-11-23T10:11:12.123456789+00:00 stdout", "expected"},
		{"2026-11-23T10:11:12.123456789+00:00  stdout F x", "unknown stream"},
		{strings.Repeat("x", 500) + " a b c", "bad time"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q): no error", tt.in)
			continue
		}
		if !errors.Is(err, ErrInvalidRecord) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Parse(%q) = %v, want ErrInvalidRecord and %q", tt.in, err, tt.msg)
		}
		if len(err.Error()) > 300 {
			t.Errorf("error message not clipped: %d bytes", len(err.Error()))
		}
	}
}

func TestParseSinceUntil(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in    string
		since time.Time
		until time.Time
	}{
		{"2026-11-23T10:11:12Z", time.Date(2026, 11, 23, 10, 11, 12, 0, time.UTC), time.Date(2026, 11, 23, 10, 11, 12, 0, time.UTC)},
		{"2026-11-23T10:11:12.5+01:00", time.Date(2026, 11, 23, 9, 11, 12, 5e8, time.UTC), time.Date(2026, 11, 23, 9, 11, 12, 5e8, time.UTC)},
		{"2026-11-23T10:11:12", time.Date(2026, 11, 23, 10, 11, 12, 0, time.Local), time.Date(2026, 11, 23, 10, 11, 12, 0, time.Local)},
		{"2026-11-23T10:11:12.25", time.Date(2026, 11, 23, 10, 11, 12, 25e7, time.Local), time.Date(2026, 11, 23, 10, 11, 12, 25e7, time.Local)},
		{"2026-11-23", time.Date(2026, 11, 23, 0, 0, 0, 0, time.Local), time.Date(2026, 11, 23, 0, 0, 0, 0, time.Local)},
		{"2026-11-23+02:00", time.Date(2026, 11, 22, 22, 0, 0, 0, time.UTC), time.Date(2026, 11, 22, 22, 0, 0, 0, time.UTC)},
		{"1700000000", time.Unix(1700000000, 0), time.Unix(1700000000, 0)},
		{"1700000000.25", time.Unix(1700000000, 25e7), time.Unix(1700000000, 25e7)},
		{"1700000000.123456789", time.Unix(1700000000, 123456789), time.Unix(1700000000, 123456789)},
		{"0", time.Unix(0, 0), time.Unix(0, 0)},
		{"10m", now.Add(-10 * time.Minute), now.Add(10 * time.Minute)},
		{"1h30m", now.Add(-90 * time.Minute), now.Add(90 * time.Minute)},
		{"1.5h", now.Add(-90 * time.Minute), now.Add(90 * time.Minute)},
	}
	for _, tt := range tests {
		got, err := ParseSince(tt.in, now)
		if err != nil {
			t.Errorf("ParseSince(%q): %v", tt.in, err)
		} else if !got.Equal(tt.since) {
			t.Errorf("ParseSince(%q) = %v, want %v", tt.in, got, tt.since)
		}
		got, err = ParseUntil(tt.in, now)
		if err != nil {
			t.Errorf("ParseUntil(%q): %v", tt.in, err)
		} else if !got.Equal(tt.until) {
			t.Errorf("ParseUntil(%q) = %v, want %v", tt.in, got, tt.until)
		}
	}
	for _, bad := range []string{"", "yesterday", "10x", "2026-13-01", "1700000000.", ".5", "1700000000.1234567891", "2026-11-23T25:00:00", "-5"} {
		_, err := ParseSince(bad, now)
		if err == nil || !strings.Contains(err.Error(), "--since") || !strings.Contains(err.Error(), "neither a timestamp") {
			t.Errorf("ParseSince(%q) error = %v", bad, err)
		}
		_, err = ParseUntil(bad, now)
		if err == nil || !strings.Contains(err.Error(), "--until") {
			t.Errorf("ParseUntil(%q) error = %v", bad, err)
		}
	}
}
