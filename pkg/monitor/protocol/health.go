package protocol

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Restart policies (--restart), carried out by the monitor.
const (
	RestartNo            = "no"
	RestartOnFailure     = "on-failure"
	RestartAlways        = "always"
	RestartUnlessStopped = "unless-stopped"
)

// ParseRestartPolicy reads "no", "on-failure[:N]", "always" or
// "unless-stopped" ("" is "no"); retries (N) counts only for on-failure,
// 0 meaning no limit.
func ParseRestartPolicy(s string) (policy string, retries uint, err error) {
	name, n, hasN := strings.Cut(s, ":")
	switch name {
	case "", RestartNo:
		name = RestartNo
	case RestartOnFailure, RestartAlways, RestartUnlessStopped:
	default:
		return "", 0, fmt.Errorf("invalid restart policy %q: want no, on-failure[:max-retries], always or unless-stopped", s)
	}
	if hasN {
		if name != RestartOnFailure {
			return "", 0, fmt.Errorf("invalid restart policy %q: only on-failure takes a retry count", s)
		}
		v, err := strconv.ParseUint(n, 10, 32)
		if err != nil {
			return "", 0, fmt.Errorf("invalid restart policy %q: the retry count must be a number", s)
		}
		retries = uint(v)
	}
	return name, retries, nil
}

// ShouldRestart reports whether a container that exited with code, after
// restarts restarts, is started again under policy.
func ShouldRestart(policy string, retries uint, restarts int, code int) bool {
	switch policy {
	case RestartAlways, RestartUnlessStopped:
		return true
	case RestartOnFailure:
		return code != 0 && (retries == 0 || restarts < int(retries))
	}
	return false
}

// Health check actions on an unhealthy container (--health-on-failure).
const (
	HealthActionNone    = "none"
	HealthActionKill    = "kill"
	HealthActionRestart = "restart"
	HealthActionStop    = "stop"
)

// Health statuses.
const (
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// Healthcheck is a container's health check as the monitor runs it: Test
// is the command in the image format ("CMD", args... or "CMD-SHELL",
// script).
type Healthcheck struct {
	Test        []string      `json:"test"`
	Interval    time.Duration `json:"interval"` // 0: never on a timer (healthcheck run only)
	Timeout     time.Duration `json:"timeout"`
	StartPeriod time.Duration `json:"startPeriod"`
	Retries     int           `json:"retries"`
	OnFailure   string        `json:"onFailure,omitempty"`
}

// Command returns the process arguments of the check.
func (h *Healthcheck) Command() []string {
	if len(h.Test) == 0 {
		return nil
	}
	switch h.Test[0] {
	case "CMD":
		return h.Test[1:]
	case "CMD-SHELL":
		return []string{"/bin/sh", "-c", strings.Join(h.Test[1:], " ")}
	case "NONE":
		return nil
	}
	return h.Test
}

// HealthLogEntries is how many results the health file keeps.
const HealthLogEntries = 5

// HealthResult is one run of the check.
type HealthResult struct {
	Start    time.Time `json:"Start"`
	End      time.Time `json:"End"`
	ExitCode int       `json:"ExitCode"`
	Output   string    `json:"Output"`
}

// HealthState is the health file: what inspect shows as State.Health.
type HealthState struct {
	Status        string         `json:"Status"`
	FailingStreak int            `json:"FailingStreak"`
	Log           []HealthResult `json:"Log"`
}

// Record folds one result into the state: retries consecutive failures
// make the container unhealthy, except during the start period (inStart),
// when failures do not count; a success makes it healthy.
func (s *HealthState) Record(r HealthResult, retries int, inStart bool) {
	s.Log = append(s.Log, r)
	if len(s.Log) > HealthLogEntries {
		s.Log = s.Log[len(s.Log)-HealthLogEntries:]
	}
	if r.ExitCode == 0 {
		s.Status, s.FailingStreak = HealthHealthy, 0
		return
	}
	if inStart {
		return
	}
	s.FailingStreak++
	if s.FailingStreak >= retries {
		s.Status = HealthUnhealthy
	}
}

// ParseHealthState reads a health file.
func ParseHealthState(data []byte) (HealthState, error) {
	var s HealthState
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("bad health file: %w", err)
	}
	return s, nil
}
