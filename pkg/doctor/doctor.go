package doctor

import (
	"context"
	"errors"
	"io/fs"
	"strconv"

	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// Status is the outcome of one check.
type Status string

// The statuses, from good to bad. Only StatusError makes the doctor fail.
const (
	StatusOK      Status = "ok"
	StatusWarning Status = "warning"
	StatusError   Status = "error"
)

// Result is one line of the doctor's report.
type Result struct {
	// Check names what was checked ("subuid", "cgroups", ...).
	Check  string `json:"check"`
	Status Status `json:"status"`
	// Message says what was found.
	Message string `json:"message"`
	// Fix is the exact command that fixes it; "" when ok or when no
	// command can.
	Fix string `json:"fix"`
}

// HasError reports whether any result is an error.
func HasError(rs []Result) bool {
	for _, r := range rs {
		if r.Status == StatusError {
			return true
		}
	}
	return false
}

// FileInfo is what the checks need of a stat: the type and permission
// bits (with fs.ModeSetuid) and the owner.
type FileInfo struct {
	Mode     fs.FileMode
	UID, GID int
}

// ErrNoProbe means the overlay probe could not run (no unshare program).
var ErrNoProbe = errors.New("overlay probe not available")

// Host is the machine as the checks see it. System returns the real one;
// tests fill the fields with fakes. Paths are absolute host paths.
type Host struct {
	// User is the user's name (its uid as a string when it has none).
	User     string
	UID, GID int

	Getenv   func(name string) string
	ReadFile func(path string) ([]byte, error)
	// Stat follows symbolic links.
	Stat func(path string) (FileInfo, error)
	// Writable reports whether the user may write path (access(2) W_OK).
	Writable func(path string) bool
	// OpenRW opens path read-write and closes it again.
	OpenRW func(path string) error
	// Getxattr returns the value of an extended attribute; an attribute
	// that is not set is an error.
	Getxattr func(path, name string) ([]byte, error)
	// LookPath finds a program on $PATH.
	LookPath func(name string) (string, error)
	// FindRuntime finds an OCI runtime as pod does ("" picks crun, then
	// runc; a name is searched on $PATH and in the sbin directories; a
	// path is used as is).
	FindRuntime func(name string) (string, error)
	// FSType is statfs(2)'s f_type of path.
	FSType func(path string) (int64, error)
	// KernelRelease is uname -r.
	KernelRelease func() (string, error)
	// Output runs a program and returns its standard output.
	Output func(ctx context.Context, name string, args ...string) ([]byte, error)
	// ProbeOverlay mounts a kernel overlay in a throwaway user namespace
	// (not pod's); ErrNoProbe when it cannot try.
	ProbeOverlay func(ctx context.Context) error
}

// Config is what the command read of pod's configuration with
// libpod.LoadConfig, and how.
type Config struct {
	// Err is LoadConfig's error: the other fields are then empty.
	Err error
	// Runtime is pod.conf's runtime ("" picks crun, then runc).
	Runtime string
	// Network is pod.conf's network ("" picks pasta when installed).
	Network protocol.NetworkMode
	// PodConf is the path of pod.conf.
	PodConf string
	// StorageDriver is the configured driver, "" for none.
	StorageDriver string
	// DriverSource says where StorageDriver comes from (a file, the
	// environment, a flag).
	DriverSource string
	// GraphRoot is the storage directory.
	GraphRoot string
}

// Run runs every check and returns one result per line of the report, in
// a fixed order.
func Run(ctx context.Context, h *Host, c Config) []Result {
	var rs []Result
	if h.UID == 0 {
		rs = append(rs, Result{Check: "user", Status: StatusWarning,
			Message: "running as root: root needs no user namespace; run `pod system doctor` as the user who runs pod for the rootless checks"})
	} else {
		rs = append(rs, checkSubIDs(h)...)
		rs = append(rs, checkIDMapper(h, "newuidmap", capSetUID), checkIDMapper(h, "newgidmap", capSetGID))
	}
	rs = append(rs, checkTun(h), checkFuse(h, c))
	userNS := checkUserNS(h)
	rs = append(rs, userNS, checkOverlay(ctx, h, userNS.Status != StatusError))
	rs = append(rs, checkNetwork(h, c), checkRuntime(h, c), checkCgroups(h))
	if h.UID != 0 {
		rs = append(rs, checkRuntimeDir(h))
	}
	rs = append(rs, checkLogout(ctx, h), checkStorage(h, c))
	return rs
}

func itoa(i int) string { return strconv.Itoa(i) }
