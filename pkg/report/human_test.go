package report

import (
	"testing"
	"time"
)

func TestHumanDuration(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-5 * time.Second, "Less than a second"},
		{0, "Less than a second"},
		{999 * time.Millisecond, "Less than a second"},
		{time.Second, "1 second"},
		{1999 * time.Millisecond, "1 second"},
		{2 * time.Second, "2 seconds"},
		{3 * time.Second, "3 seconds"},
		{59 * time.Second, "59 seconds"},
		{60 * time.Second, "About a minute"},
		{119 * time.Second, "About a minute"},
		{2 * time.Minute, "2 minutes"},
		{5 * time.Minute, "5 minutes"},
		{59 * time.Minute, "59 minutes"},
		{60 * time.Minute, "About an hour"},
		{89 * time.Minute, "About an hour"},
		{90 * time.Minute, "2 hours"},
		{3 * time.Hour, "3 hours"},
		{47 * time.Hour, "47 hours"},
		{48 * time.Hour, "2 days"},
		{13 * day, "13 days"},
		{14 * day, "2 weeks"},
		{21 * day, "3 weeks"},
		{59 * day, "8 weeks"},
		{60 * day, "2 months"},
		{120 * day, "4 months"},
		{729 * day, "24 months"},
		{730 * day, "2 years"},
		{3 * 365 * day, "3 years"},
	}
	for _, tt := range tests {
		if got := HumanDuration(tt.d); got != tt.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestTimeAgo(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want string
	}{
		{now, "Less than a second ago"},
		{now.Add(-3 * time.Second), "3 seconds ago"},
		{now.Add(-70 * time.Second), "About a minute ago"},
		{now.Add(-26 * time.Hour), "26 hours ago"},
		{now.Add(time.Hour), "Less than a second ago"},
	}
	for _, tt := range tests {
		if got := TimeAgo(tt.t, now); got != tt.want {
			t.Errorf("TimeAgo(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestContainerStatus(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 500_000_000, time.UTC)
	var zero time.Time
	tests := []struct {
		name     string
		state    string
		code     int
		started  time.Time
		finished time.Time
		want     string
	}{
		{"created", "created", 0, zero, zero, "Created"},
		{"configured", "configured", 0, zero, zero, "Configured"},
		{"running", "running", 0, now.Add(-3 * time.Second), zero, "Up 3 seconds ago"},
		{"running just started", "running", 0, now.Add(-100 * time.Millisecond), zero, "Up Less than a second ago"},
		// The start time is truncated to whole seconds: started at
		// 09:59:59.9, now 10:00:00.5 gives 1.5s.
		{"running truncated", "running", 0, now.Add(-600 * time.Millisecond), zero, "Up 1 second ago"},
		{"running minute", "running", 0, now.Add(-90 * time.Second), zero, "Up About a minute ago"},
		{"paused", "paused", 0, now.Add(-time.Hour), zero, "Paused"},
		{"exited", "exited", 0, now.Add(-time.Hour), now.Add(-2 * time.Second), "Exited (0) 2 seconds ago"},
		{"exited code", "exited", 137, now.Add(-time.Hour), now.Add(-3 * time.Hour), "Exited (137) 3 hours ago"},
		{"stopped", "stopped", 1, now.Add(-time.Hour), now.Add(-5 * time.Minute), "Exited (1) 5 minutes ago"},
		{"negative code", "exited", -1, zero, now.Add(-19 * time.Hour), "Exited (-1) 19 hours ago"},
		{"exit time unknown", "exited", 0, now.Add(-time.Hour), zero, "Exited (0)"},
		{"start time unknown", "running", 0, zero, zero, "Up"},
		{"stopping", "stopping", 0, zero, zero, "Stopping"},
		{"removing", "removing", 0, zero, zero, "Removing"},
		{"unknown", "unknown", 0, zero, zero, "Unknown"},
		{"empty", "", 0, zero, zero, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ContainerStatus(tt.state, tt.code, tt.started, tt.finished, now); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{999, "999 B"},
		{1000, "1 kB"},
		{1500, "1.5 kB"},
		{12345, "12.3 kB"},
		{7_800_000, "7.8 MB"},
		{77_812_345, "77.8 MB"},
		{1_234_567_890, "1.23 GB"},
		{5_000_000_000_000, "5 TB"},
	}
	for _, tt := range tests {
		if got := HumanSize(tt.n); got != tt.want {
			t.Errorf("HumanSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestTitleCase(t *testing.T) {
	tests := map[string]string{
		"":            "",
		"abc def":     "Abc Def",
		"paused":      "Paused",
		"a-b_c d.e":   "A-B_c D.E",
		"élan vital":  "Élan Vital",
		"ALREADY up":  "ALREADY Up",
		"x1y 2z":      "X1y 2z",
		"tab\tsep":    "Tab\tSep",
		"o'neil":      "O'Neil",
		"multi  sp":   "Multi  Sp",
		"über-straße": "Über-Straße",
	}
	for in, want := range tests {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q, want %q", in, got, want)
		}
	}
}
