package define

import (
	"errors"
	"testing"
)

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to ContainerStatus
		ok       bool
	}{
		{StatusCreated, StatusRunning, true},
		{StatusCreated, StatusPaused, false},
		{StatusRunning, StatusPaused, true},
		{StatusRunning, StatusCreated, false},
		{StatusPaused, StatusRunning, true},
		{StatusExited, StatusRunning, true},
		{StatusExited, StatusPaused, false},
		{StatusStopped, StatusExited, true},
		{"bogus", StatusRunning, false},
	} {
		if got := CanTransition(tc.from, tc.to); got != tc.ok {
			t.Errorf("%s → %s: %v, want %v", tc.from, tc.to, got, tc.ok)
		}
		err := CheckTransition(tc.from, tc.to)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrCtrStateInvalid)) {
			t.Errorf("CheckTransition(%s, %s) = %v", tc.from, tc.to, err)
		}
	}
	if !StatusRunning.IsActive() || !StatusPaused.IsActive() || StatusExited.IsActive() || StatusCreated.IsActive() {
		t.Error("IsActive")
	}
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&ExitCodeError{Code: 3}, 3},
		{ErrCmdNotFound, 127},
		{ErrCmdPermission, 126},
		{ErrNoSuchCtr, 125},
		{errors.New("other"), 125},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
