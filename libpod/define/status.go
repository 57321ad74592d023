package define

import "fmt"

// ContainerStatus is the lifecycle state of a container.
type ContainerStatus string

const (
	StatusCreated ContainerStatus = "created"
	StatusRunning ContainerStatus = "running"
	StatusPaused  ContainerStatus = "paused"
	StatusStopped ContainerStatus = "stopped" // stopping in progress or stopped without an exit code yet
	StatusExited  ContainerStatus = "exited"
)

// CanTransition reports whether a container may move from one state to another.
func CanTransition(from, to ContainerStatus) bool {
	switch from {
	case StatusCreated:
		return to == StatusRunning || to == StatusExited
	case StatusRunning:
		return to == StatusPaused || to == StatusStopped || to == StatusExited
	case StatusPaused:
		return to == StatusRunning || to == StatusStopped || to == StatusExited
	case StatusStopped:
		return to == StatusExited || to == StatusRunning
	case StatusExited:
		return to == StatusRunning
	}
	return false
}

// CheckTransition returns ErrCtrStateInvalid when from → to is not allowed.
func CheckTransition(from, to ContainerStatus) error {
	if !CanTransition(from, to) {
		return fmt.Errorf("container is %s, cannot become %s: %w", from, to, ErrCtrStateInvalid)
	}
	return nil
}

// IsActive reports whether a container has processes (running or paused).
func (s ContainerStatus) IsActive() bool { return s == StatusRunning || s == StatusPaused }
