package define

import "fmt"

// ContainerStatus is the lifecycle state of a container.
type ContainerStatus string

// The statuses a container goes through:
//
//	created ──start──▶ running ──exit──▶ exited
//	                    │   ▲   ▲           │
//	              pause │   │   └──start────┘
//	                    ▼   │ unpause
//	                    paused ──exit──▶ exited
//
// A container that exits is "exited" at once: the monitor's exit file is
// the event, and every command folds it into the state when it syncs.
const (
	StatusCreated ContainerStatus = "created"
	StatusRunning ContainerStatus = "running"
	StatusPaused  ContainerStatus = "paused"
	StatusExited  ContainerStatus = "exited"
)

// Valid reports whether s is one of the statuses above.
func (s ContainerStatus) Valid() bool {
	switch s {
	case StatusCreated, StatusRunning, StatusPaused, StatusExited:
		return true
	}
	return false
}

// CanTransition reports whether a container may move from one status to
// another.
func CanTransition(from, to ContainerStatus) bool {
	switch from {
	case StatusCreated, StatusExited:
		return to == StatusRunning
	case StatusRunning:
		return to == StatusExited || to == StatusPaused
	case StatusPaused:
		return to == StatusRunning || to == StatusExited
	}
	return false
}

// CheckTransition returns an error wrapping ErrCtrStateInvalid when
// from → to is not allowed.
func CheckTransition(from, to ContainerStatus) error {
	if !CanTransition(from, to) {
		return fmt.Errorf("container is %s, cannot become %s: %w", from, to, ErrCtrStateInvalid)
	}
	return nil
}

// IsActive reports whether a container has processes (running or paused).
func (s ContainerStatus) IsActive() bool { return s == StatusRunning || s == StatusPaused }
