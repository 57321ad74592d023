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
	"github.com/pod-engine/pod/libpod/networks"
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
	ContainerSize(ctx context.Context, nameOrID string) (libpod.ContainerSize, error)
	InspectContainer(nameOrID string) (*libpod.InspectContainer, error)
	ContainerLogs(ctx context.Context, nameOrID string, o logs.Options, stdout, stderr io.Writer) error
	CopyContainer(ctx context.Context, src, dst libpod.CopyTarget, o libpod.CopyOptions) error
	CommitContainer(ctx context.Context, nameOrID, imageName string, o libpod.CommitOptions) (string, error)
	ExportContainer(ctx context.Context, nameOrID string, w io.Writer) error
	TopContainer(ctx context.Context, nameOrID string, descriptors []string) ([][]string, error)
	DiffContainer(ctx context.Context, nameOrID string) ([]libpod.Change, error)
	MountContainer(ctx context.Context, nameOrID string) (string, error)
	UnmountContainer(ctx context.Context, nameOrID string, force bool) error
	MountedContainers(ctx context.Context) ([]libpod.MountedContainer, error)
	ContainerStats(ctx context.Context, names []string, all bool) ([]libpod.ContainerStats, error)

	PullImage(ctx context.Context, name string, o image.PullOptions) (*libpod.ImageRef, error)
	PullAllTags(ctx context.Context, name string, o image.PullOptions) ([]*libpod.ImageRef, error)
	ImageUsers(imageID string) []string
	InspectImage(ctx context.Context, nameOrID string) (*image.InspectData, error)
	TagImage(nameOrID string, names []string) error
	UntagImage(nameOrID string, names []string) error
	ImageHistory(ctx context.Context, nameOrID string) ([]image.HistoryEntry, error)
	ImportImage(ctx context.Context, source, imageName string, o libpod.ImportOptions) (string, error)
	Build(ctx context.Context, o libpod.BuildOptions) (string, error)
	PushImage(ctx context.Context, source, dest string, o image.PushOptions) (*image.PushResult, error)
	Login(ctx context.Context, o image.LoginOptions) (*image.LoginResult, error)
	GetLogin(o image.SystemOptions, registry string) (string, error)
	Logout(o image.SystemOptions, registry string, all bool) (string, error)
	SaveImages(ctx context.Context, names []string, o image.SaveOptions) error
	LoadImages(ctx context.Context, o image.LoadOptions) ([]string, error)
	ListImages(filters []string) ([]image.Summary, error)
	ImageExists(nameOrID string) (bool, error)
	ImageTree(nameOrID string, whatRequires bool) (*image.LayerTree, error)
	RemoveImages(ctx context.Context, o libpod.RemoveImagesOptions) (*libpod.RemoveImagesReport, []error)
	SearchImages(ctx context.Context, term string, o image.SearchOptions) ([]image.SearchResult, error)

	CreateManifestList(ctx context.Context, name string, images []string, o image.ManifestAddOptions, amend bool) (string, error)
	AddToManifestList(ctx context.Context, list string, images []string, o image.ManifestAddOptions) (string, error)
	RemoveFromManifestList(list, instance string) (string, error)
	AnnotateManifestList(list, instance string, o image.InstanceOverrides) (string, error)
	InspectManifestList(ctx context.Context, name string, sys image.SystemOptions) (*image.ManifestListJSON, error)
	ManifestListExists(name string) (bool, error)
	RemoveManifestList(name string) (untagged, deleted []string, err error)
	PushManifestList(ctx context.Context, list, dest string, o image.ManifestPushOptions, rm bool) (string, error)

	CreateVolume(ctx context.Context, o libpod.VolumeCreateOptions) (string, error)
	ListVolumes(filters []string) ([]*libpod.InspectVolume, error)
	InspectVolume(name string) (*libpod.InspectVolume, error)
	VolumeExists(name string) (bool, error)
	RemoveVolume(ctx context.Context, name string, o libpod.VolumeRemoveOptions) error
	PruneVolumes(ctx context.Context, o libpod.PruneOptions, dryRun bool) (removed []string, failed []error, err error)
	ExportVolume(ctx context.Context, name string, w io.Writer) error
	ImportVolume(ctx context.Context, name string, r io.Reader) error
	MountVolume(name string) (string, error)
	UnmountVolume(name string) error

	CreateNetwork(o networks.CreateOptions) (*networks.Network, error)
	ListNetworks(filters []string) ([]*networks.Network, error)
	InspectNetwork(ref string) (*libpod.NetworkReport, error)
	NetworkExists(ref string) (bool, error)
	RemoveNetwork(ctx context.Context, ref string, force bool, timeout *time.Duration) (string, error)
	ConnectNetwork(ctx context.Context, network, container string, o libpod.ConnectOptions) error
	DisconnectNetwork(ctx context.Context, network, container string, force bool) error
	ReloadNetworks(ctx context.Context, containers []string, all bool) ([]string, []error, error)
	ReattachNetworks(ctx context.Context, container string) error
	PruneNetworks(o libpod.PruneOptions, dryRun bool) (removed []string, failed []error, err error)

	Info(ctx context.Context) (*libpod.Info, error)
	Config() *libpod.Config
	Check(ctx context.Context, o libpod.CheckOptions) ([]libpod.Finding, error)
	Prune(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error)
	DiskUsage(ctx context.Context) (*libpod.DiskUsage, error)
	Reset(ctx context.Context) error
	Events(ctx context.Context, o events.ReadOptions, fn func(*events.Event) error) error
}

var _ Engine = (*libpod.Runtime)(nil)
