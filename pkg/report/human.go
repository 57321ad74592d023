package report

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/docker/go-units"
)

// HumanDuration renders d the way container listings do: "Less than a
// second", "1 second", "3 seconds", "About a minute", "5 minutes", "About
// an hour", "3 hours", "2 days", "3 weeks", "4 months", "2 years".
// Negative durations render as "Less than a second".
func HumanDuration(d time.Duration) string {
	return units.HumanDuration(d)
}

// TimeAgo renders the age of t relative to now, e.g. "3 seconds ago",
// "About a minute ago", "Less than a second ago".
func TimeAgo(t, now time.Time) string {
	return HumanDuration(now.Sub(t)) + " ago"
}

// ContainerStatus renders the STATUS column of a container listing.
//
//	running          "Up 3 seconds ago" (age of startedAt)
//	exited, stopped  "Exited (0) 2 seconds ago" (age of finishedAt)
//	                 "Exited (0)" when finishedAt is unknown (zero)
//	anything else    the state with its first letter upper-cased:
//	                 "Created", "Paused", "Stopping", "Configured", ...
//
// startedAt and finishedAt are truncated to whole seconds before the age is
// computed, as the listing carries them as Unix seconds.
func ContainerStatus(state string, exitCode int, startedAt, finishedAt, now time.Time) string {
	switch state {
	case "running":
		if startedAt.IsZero() {
			return "Up"
		}
		return "Up " + HumanDuration(now.Sub(time.Unix(startedAt.Unix(), 0))) + " ago"
	case "exited", "stopped":
		if finishedAt.IsZero() {
			return fmt.Sprintf("Exited (%d)", exitCode)
		}
		return fmt.Sprintf("Exited (%d) %s ago", exitCode, HumanDuration(now.Sub(time.Unix(finishedAt.Unix(), 0))))
	default:
		return titleCase(state)
	}
}

// HumanSize renders a byte count with three significant digits and decimal
// (1000-based) units, a space between number and unit: "0 B", "999 B",
// "1.5 kB", "7.8 MB", "1.23 GB".
func HumanSize(n int64) string {
	s := units.HumanSizeWithPrecision(float64(n), 3)
	i := strings.LastIndexFunc(s, unicode.IsDigit)
	return s[:i+1] + " " + s[i+1:]
}

// titleCase upper-cases the first letter of every word of s. A word starts
// after any rune for which isWordSeparator is true, and at the start of s.
func titleCase(s string) string {
	prev := ' '
	return strings.Map(func(r rune) rune {
		if isWordSeparator(prev) {
			prev = r
			return unicode.ToTitle(r)
		}
		prev = r
		return r
	}, s)
}

// isWordSeparator reports whether r separates words for titleCase.
func isWordSeparator(r rune) bool {
	if r <= unicode.MaxASCII {
		switch {
		case '0' <= r && r <= '9', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == '_':
			return false
		}
		return true
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return false
	}
	return unicode.IsSpace(r)
}
