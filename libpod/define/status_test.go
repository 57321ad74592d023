package define

import (
	"errors"
	"testing"
)

func TestTransitions(t *testing.T) {
	all := []ContainerStatus{StatusCreated, StatusRunning, StatusPaused, StatusExited, "stopped", "bogus", ""}
	allowed := map[[2]ContainerStatus]bool{
		{StatusCreated, StatusRunning}: true,
		{StatusRunning, StatusExited}:  true,
		{StatusRunning, StatusPaused}:  true,
		{StatusPaused, StatusRunning}:  true,
		{StatusPaused, StatusExited}:   true,
		{StatusExited, StatusRunning}:  true,
	}
	for _, from := range all {
		for _, to := range all {
			want := allowed[[2]ContainerStatus{from, to}]
			if got := CanTransition(from, to); got != want {
				t.Errorf("%q → %q: %v, want %v", from, to, got, want)
			}
			err := CheckTransition(from, to)
			if (err == nil) != want || (err != nil && !errors.Is(err, ErrCtrStateInvalid)) {
				t.Errorf("CheckTransition(%q, %q) = %v", from, to, err)
			}
		}
	}
}

func TestStatusPredicates(t *testing.T) {
	for _, tc := range []struct {
		s             ContainerStatus
		valid, active bool
	}{
		{StatusCreated, true, false},
		{StatusRunning, true, true},
		{StatusExited, true, false},
		{StatusPaused, true, true},
		{"stopped", false, false},
		{"", false, false},
	} {
		if tc.s.Valid() != tc.valid || tc.s.IsActive() != tc.active {
			t.Errorf("%q: valid %v active %v, want %v %v", tc.s, tc.s.Valid(), tc.s.IsActive(), tc.valid, tc.active)
		}
	}
}
