package protocol

// Exit codes shared with podman and the shell. A container's own exit code
// passes through unchanged; these mark failures before it ran.
const (
	// ExitCodePodFailed: pod itself (or the monitor) failed.
	ExitCodePodFailed = 125
	// ExitCodeCannotInvoke: the container's command exists but cannot be
	// executed.
	ExitCodeCannotInvoke = 126
	// ExitCodeNotFound: the container's command was not found.
	ExitCodeNotFound = 127
	// ExitCodeSignalBase: a process killed by signal N exits with
	// ExitCodeSignalBase+N.
	ExitCodeSignalBase = 128
)
