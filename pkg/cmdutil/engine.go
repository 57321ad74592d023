package cmdutil

import (
	"context"
	"io"
	"syscall"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
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
	AttachContainer(nameOrID string, streams *libpod.AttachStreams) (libpod.Attachment, error)
	ExecContainer(nameOrID string, o *libpod.ExecOptions) (libpod.Attachment, error)
	RunHealthcheck(nameOrID string) (bool, error)
	StopContainer(ctx context.Context, nameOrID string, timeout *time.Duration) error
	KillContainer(ctx context.Context, nameOrID string, sig syscall.Signal) error
	PauseContainer(ctx context.Context, nameOrID string) error
	UnpauseContainer(ctx context.Context, nameOrID string) error
	WaitContainer(ctx context.Context, nameOrID string, conditions []define.ContainerStatus) (int, error)
	RenameContainer(ctx context.Context, nameOrID, newName string) error
	PruneContainers(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error)
	PruneImages(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error)
	CleanupContainer(ctx context.Context, nameOrID string) error
	RemoveContainer(ctx context.Context, nameOrID string, o libpod.RemoveOptions) error
	Container(nameOrID string) (*libpod.Container, error)
	ListContainers() (ctrs []*libpod.Container, bad []error, err error)
	CorruptContainers() []string
	ExternalContainers() ([]libpod.ExternalContainer, error)
	InspectContainer(nameOrID string) (*libpod.InspectContainer, error)
	ContainerLogs(ctx context.Context, nameOrID string, o logs.Options, stdout, stderr io.Writer) error
	CopyContainer(ctx context.Context, src, dst libpod.CopyTarget, o libpod.CopyOptions) error
	TopContainer(ctx context.Context, nameOrID string, descriptors []string) ([][]string, error)
	DiffContainer(ctx context.Context, nameOrID string) ([]libpod.Change, error)
	MountContainer(ctx context.Context, nameOrID string) (string, error)
	UnmountContainer(ctx context.Context, nameOrID string, force bool) error
	MountedContainers(ctx context.Context) ([]libpod.MountedContainer, error)
	ContainerStats(ctx context.Context, names []string, all bool) ([]libpod.ContainerStats, error)

	PullImage(ctx context.Context, name string, o image.PullOptions) (*libpod.ImageRef, error)
	Images() ([]image.Summary, error)
	ImageUsers(imageID string) []string
	InspectImage(ctx context.Context, nameOrID string) (*image.InspectData, error)
	RemoveImage(ctx context.Context, nameOrID string, force bool) (untagged, deleted []string, err error)
	TagImage(nameOrID string, names []string) error
	UntagImage(nameOrID string, names []string) error
	ImageHistory(ctx context.Context, nameOrID string) ([]image.HistoryEntry, error)

	Info(ctx context.Context) (*libpod.Info, error)
	Config() *libpod.Config
	Check(ctx context.Context, o libpod.CheckOptions) ([]libpod.Finding, error)
	Prune(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error)
	DiskUsage(ctx context.Context) (*libpod.DiskUsage, error)
	Reset(ctx context.Context) error
	Events(ctx context.Context, o events.ReadOptions, fn func(*events.Event) error) error
}

var _ Engine = (*libpod.Runtime)(nil)
