package define

import "errors"

// Sentinel errors. Wrap them with fmt.Errorf("verb noun: %w", err); the CLI
// maps them to exit codes at its edge (pkg/cmdutil).
var (
	ErrNoSuchCtr       = errors.New("no such container")
	ErrNoSuchImage     = errors.New("no such image")
	ErrNameInUse       = errors.New("name is in use")
	ErrCtrStateInvalid = errors.New("container state improper")
	ErrImageInUse      = errors.New("image is in use by a container")
	ErrInvalidArg      = errors.New("invalid argument")
	ErrBadReference    = errors.New("invalid image reference")
	ErrCorruptState    = errors.New("corrupt state file")
	ErrNoSubIDs        = errors.New("no subordinate id range")
	ErrMissingTool     = errors.New("required program not found")
	ErrRuntime         = errors.New("OCI runtime error")
	ErrCmdNotFound     = errors.New("OCI runtime attempted to invoke a command that was not found")
	ErrCmdPermission   = errors.New("OCI permission denied")
	ErrTimeout         = errors.New("timed out")
	ErrAmbiguousID     = errors.New("more than one result for the id prefix")
	ErrPullNever       = errors.New("image not known and --pull=never")
	ErrRegistry        = errors.New("registry error")
	ErrNoSpace         = errors.New("no space left on device")
	// ErrPortInUse is a published host port another process holds.
	ErrPortInUse = errors.New("port is already in use")
	// ErrTagNotKnown is untag of a name the image does not have.
	ErrTagNotKnown = errors.New("tag not known")
	// ErrBadArchive is load of a file or directory that is not a complete
	// image archive (truncated, corrupt, or not written by save).
	ErrBadArchive = errors.New("not a valid image archive")
	// ErrNotManifestList is a manifest verb given an image that is not a
	// manifest list.
	ErrNotManifestList = errors.New("image is not a manifest list")
	// ErrDetach ends an attached session whose user typed the detach keys:
	// the container goes on, and the command succeeds.
	ErrDetach = errors.New("detached from container")
	// ErrNoCgroupV2 is what needs a container's own cgroup where rootless
	// containers have none ("stats is not supported in rootless mode
	// without cgroups v2", as podman says).
	ErrNoCgroupV2 = errors.New("not supported in rootless mode without cgroups v2")
	// ErrNoSuchVolume, ErrVolumeExists and ErrVolumeInUse are podman's
	// volume errors ("no such volume", "volume already exists", "volume
	// is being used").
	ErrNoSuchVolume = errors.New("no such volume")
	ErrVolumeExists = errors.New("volume already exists")
	ErrVolumeInUse  = errors.New("volume is being used")
	// ErrNoSuchNetwork, ErrNetworkExists and ErrNetworkInUse are podman's
	// network errors (rm: 1 for a missing network, 2 for one in use).
	ErrNoSuchNetwork = errors.New("network not found")
	ErrNetworkExists = errors.New("network already exists")
	ErrNetworkInUse  = errors.New("network is being used")
)

// ErrNoLogs is `logs` of a container whose log driver writes no log (none,
// passthrough), in podman's words.
var ErrNoLogs = errors.New("this container is not logging output")
