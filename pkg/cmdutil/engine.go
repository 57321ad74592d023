package cmdutil

import (
	"context"
	"io"
	"syscall"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/logs"
)

// Engine is what the commands use of the engine, and all of it: every
// verb takes a name, full id or unique id prefix and does its whole job
// (create validates its options and pulls; rm removes corrupt containers
// with force). *libpod.Runtime implements it; run tests use fakes.
type Engine interface {
	CreateContainer(ctx context.Context, o *libpod.CreateOptions) (*libpod.Container, error)
	StartContainer(ctx context.Context, nameOrID string, attach *libpod.AttachStreams) (libpod.Attachment, error)
	StopContainer(ctx context.Context, nameOrID string, timeout *time.Duration) error
	KillContainer(ctx context.Context, nameOrID string, sig syscall.Signal) error
	PauseContainer(ctx context.Context, nameOrID string) error
	UnpauseContainer(ctx context.Context, nameOrID string) error
	WaitContainer(ctx context.Context, nameOrID string, conditions []define.ContainerStatus) (int, error)
	RenameContainer(ctx context.Context, nameOrID, newName string) error
	PruneContainers(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error)
	CleanupContainer(ctx context.Context, nameOrID string) error
	RemoveContainer(ctx context.Context, nameOrID string, o libpod.RemoveOptions) error
	Container(nameOrID string) (*libpod.Container, error)
	ListContainers() (ctrs []*libpod.Container, bad []error, err error)
	CorruptContainers() []string
	ExternalContainers() ([]libpod.ExternalContainer, error)
	InspectContainer(nameOrID string) (*libpod.InspectContainer, error)
	ContainerLogs(ctx context.Context, nameOrID string, o logs.Options, stdout, stderr io.Writer) error

	PullImage(ctx context.Context, name string, o image.PullOptions) (*libpod.ImageRef, error)
	Images() ([]image.Summary, error)
	ImageUsers(imageID string) []string
	InspectImage(ctx context.Context, nameOrID string) (*image.InspectData, error)
	RemoveImage(ctx context.Context, nameOrID string, force bool) (untagged, deleted []string, err error)

	Info(ctx context.Context) (*libpod.Info, error)
	Config() *libpod.Config
	Check(ctx context.Context, o libpod.CheckOptions) ([]libpod.Finding, error)
	Prune(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error)
	DiskUsage(ctx context.Context) (*libpod.DiskUsage, error)
	Reset(ctx context.Context) error
}

var _ Engine = (*libpod.Runtime)(nil)
