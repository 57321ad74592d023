package libpod

import (
	"errors"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParseUntil(t *testing.T) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"24h":                  now.Add(-24 * time.Hour),
		"2026-01-02T03:04:05Z": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"2026-01-02":           time.Date(2026, 1, 2, 0, 0, 0, 0, time.Local),
		"2026-01-02T03:04:05":  time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local),
		"1700000000":           time.Unix(1700000000, 0),
	} {
		got, err := ParseUntil(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseUntil(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "12x"} {
		if _, err := ParseUntil(in, now); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("ParseUntil(%q): %v, want ErrInvalidArg", in, err)
		}
	}
}
