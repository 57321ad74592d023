package cmdtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/logs"
)

var _ cmdutil.Engine = (*FakeEngine)(nil)

// errNotImplemented is what the methods no run test needs return.
var errNotImplemented = errors.New("not implemented in FakeEngine")

// FakeEngine is an in-memory cmdutil.Engine for the tests of the runX
// functions. It holds containers, records every container call in Calls
// (whether it succeeds or not) and fails the calls a test names in Err.
//
// Calls look like "create alpine", "start <id> attached", "start web
// detached", "finish <id>" (the attachment's Finish), "stop web",
// "stop web 3s", "kill web SIGKILL", "wait web", "cleanup web",
// "remove web", "remove web force 0s", "logs web". The name is the one the
// command passed; a timeout is only shown when one was given.
//
// It is not safe for concurrent use.
type FakeEngine struct {
	// Containers are the engine's containers; a name, full id or unique id
	// prefix finds one. ListContainers returns them newest first.
	Containers []*libpod.Container
	// Bad are the unreadable containers ListContainers reports; Corrupt
	// are the ids CorruptContainers returns (RemoveContainer with Force
	// removes them).
	Bad     []error
	Corrupt []string
	// External are the storage containers ExternalContainers returns.
	External []libpod.ExternalContainer

	// Err fails calls: the key is a call's verb and the name the command
	// passed, or the container's name or id ("start web", "create
	// alpine", "remove 0123..."), or the verb alone for every call of it
	// ("list" for ListContainers). The call is still recorded.
	Err map[string]error

	// ExitCode is what the attachment of an attached start returns from
	// Wait (and the exit code the container gets), WaitErr its error.
	ExitCode int
	WaitErr  error
	// Unhealthy makes RunHealthcheck report a failed check.
	Unhealthy bool
	// PrunedImages is what PruneImages reports as removed.
	PrunedImages []string

	// LogStdout and LogStderr, keyed by container name, are what
	// ContainerLogs writes to its stdout and stderr.
	LogStdout, LogStderr map[string]string

	// Calls records the calls made, in order; LastCreate and LogOptions
	// the options of CreateContainer and ContainerLogs.
	Calls      []string
	LastCreate *libpod.CreateOptions
	LogOptions []logs.Options

	// History, keyed by the name given, is what ImageHistory returns.
	History map[string][]image.HistoryEntry

	// Now is the time the fake stamps on created, started and finished
	// containers (zero: time.Now()).
	Now time.Time

	// TopRows, Changes and Stats, keyed by container name, are what
	// TopContainer, DiffContainer and ContainerStats return; Mounts counts
	// the mounts of each container by name (see fakeviews.go).
	TopRows map[string][][]string
	Changes map[string][]libpod.Change
	Stats   map[string]libpod.ContainerStats
	Mounts  map[string]int

	// EventLog is what Events delivers, oldest first.
	EventLog []events.Event

	// Volumes are the engine's volumes (see fake_volume.go).
	Volumes []*libpod.InspectVolume

	created int
}

// FakeContainer returns a container as the engine would hold it, of image
// alpine running "sleep 100": id is repeated to 64 characters ("ab" gives
// "abab...ab"), status is its status.
func FakeContainer(name, id string, status define.ContainerStatus) *libpod.Container {
	if id != "" && len(id) < 64 {
		id = strings.Repeat(id, 64/len(id)+1)[:64]
	}
	return &libpod.Container{
		Config: &libpod.ContainerConfig{ID: id, Name: name, Image: "alpine", ImageName: "docker.io/library/alpine:latest",
			ImageID: strings.Repeat("ab", 32), Command: []string{"sleep", "100"}, Created: time.Now()},
		State: &libpod.ContainerState{Status: status},
	}
}

// FactoryWithEngine returns a Factory on buffer streams (see Factory)
// whose Engine returns e, and its stdout and stderr buffers. The streams
// have no files: nothing touches the real terminal.
func FactoryWithEngine(e cmdutil.Engine) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	f, out, errOut := Factory("test")
	f.Engine = func() (cmdutil.Engine, error) { return e, nil }
	return f, out, errOut
}

func (e *FakeEngine) now() time.Time {
	if e.Now.IsZero() {
		return time.Now()
	}
	return e.Now
}

// record appends call to Calls and returns the error Err holds for the
// call's verb with any of names, or for the verb alone.
func (e *FakeEngine) record(call string, names ...string) error {
	e.Calls = append(e.Calls, call)
	verb, _, _ := strings.Cut(call, " ")
	for _, n := range names {
		if err := e.Err[verb+" "+n]; err != nil {
			return err
		}
	}
	return e.Err[verb]
}

// lookup finds a container by name, full id or unique id prefix.
func (e *FakeEngine) lookup(nameOrID string) (*libpod.Container, error) {
	var match *libpod.Container
	for _, c := range e.Containers {
		if c.Name() == nameOrID || c.ID() == nameOrID {
			return c, nil
		}
	}
	for _, c := range e.Containers {
		if nameOrID != "" && strings.HasPrefix(c.ID(), nameOrID) {
			if match != nil {
				return nil, fmt.Errorf("%q matches more than one container: %w", nameOrID, define.ErrAmbiguousID)
			}
			match = c
		}
	}
	if match == nil {
		return nil, fmt.Errorf("no container with name or ID %q found: %w", nameOrID, define.ErrNoSuchCtr)
	}
	return match, nil
}

// do records call on nameOrID, then looks the container up and returns
// the injected error, if any.
func (e *FakeEngine) do(call, nameOrID string) (*libpod.Container, error) {
	c, lerr := e.lookup(nameOrID)
	names := []string{nameOrID}
	if c != nil {
		names = append(names, c.Name(), c.ID())
	}
	if err := e.record(call, names...); err != nil {
		return nil, err
	}
	return c, lerr
}

func (e *FakeEngine) delete(c *libpod.Container) {
	for i, x := range e.Containers {
		if x == c {
			e.Containers = append(e.Containers[:i], e.Containers[i+1:]...)
			return
		}
	}
}

func (e *FakeEngine) exit(c *libpod.Container, code int) {
	c.State.Status, c.State.ExitCode, c.State.FinishedAt, c.State.Pid = define.StatusExited, code, e.now(), 0
}

func durationSuffix(d *time.Duration) string {
	if d == nil {
		return ""
	}
	return " " + d.String()
}

// CreateContainer adds a created container named o.Name (or ctrN) with
// the next id: "c001c001...", "c002c002...".
func (e *FakeEngine) CreateContainer(ctx context.Context, o *libpod.CreateOptions) (*libpod.Container, error) {
	e.LastCreate = o
	names := []string{o.Image}
	if o.Name != "" {
		names = append(names, o.Name)
	}
	if err := e.record("create "+o.Image, names...); err != nil {
		return nil, err
	}
	e.created++
	name := o.Name
	if name == "" {
		name = fmt.Sprintf("ctr%d", e.created)
	}
	if _, err := e.lookup(name); err == nil {
		return nil, fmt.Errorf("the container name %q is already in use: %w", name, define.ErrNameInUse)
	}
	c := FakeContainer(name, fmt.Sprintf("c%03x", e.created), define.StatusCreated)
	c.Config.Image, c.Config.ImageName, c.Config.Command = o.Image, o.Image, o.Command
	c.Config.Terminal, c.Config.Stdin, c.Config.AutoRemove = o.Terminal, o.Stdin, o.AutoRemove
	c.Config.Created = e.now()
	e.Containers = append(e.Containers, c)
	return c, nil
}

// StartContainer makes the container running. Attached, it returns a
// FakeAttachment whose Wait returns ExitCode; detached, nil. Starting a
// running container detached does nothing.
func (e *FakeEngine) StartContainer(ctx context.Context, nameOrID string, attach *libpod.AttachStreams) (libpod.Attachment, error) {
	how := " detached"
	if attach != nil {
		how = " attached"
	}
	c, err := e.do("start "+nameOrID+how, nameOrID)
	if err != nil {
		return nil, err
	}
	if c.State.Status == define.StatusRunning {
		if attach == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("container %s is running: %w", c.Name(), define.ErrCtrStateInvalid)
	}
	c.State.Status, c.State.StartedAt, c.State.Pid = define.StatusRunning, e.now(), 4242
	if attach == nil {
		return nil, nil
	}
	return &FakeAttachment{e: e, c: c, name: nameOrID}, nil
}

// AttachContainer attaches to a running container: its FakeAttachment's
// Wait returns ExitCode, or WaitErr (define.ErrDetach for a detach).
func (e *FakeEngine) AttachContainer(nameOrID string, streams *libpod.AttachStreams) (libpod.Attachment, error) {
	how := ""
	if streams.Stdin == nil {
		how = " no-stdin"
	}
	c, err := e.do("attach "+nameOrID+how, nameOrID)
	if err != nil {
		return nil, err
	}
	if c.State.Status != define.StatusRunning {
		return nil, fmt.Errorf("you can only attach to running containers: %s is %s: %w", c.Name(), c.State.Status, define.ErrCtrStateInvalid)
	}
	return &FakeAttachment{e: e, c: c, name: nameOrID}, nil
}

// ExecContainer runs nothing: a running container's FakeAttachment (nil
// when detached) returns ExitCode; any other gives podman's state error.
func (e *FakeEngine) ExecContainer(nameOrID string, o *libpod.ExecOptions) (libpod.Attachment, error) {
	c, err := e.do("exec "+nameOrID+" "+strings.Join(o.Cmd, " "), nameOrID)
	if err != nil {
		return nil, err
	}
	if c.State.Status != define.StatusRunning {
		return nil, fmt.Errorf("can only create exec sessions on running containers: %w", define.ErrCtrStateInvalid)
	}
	if o.Detach {
		return nil, nil
	}
	return &FakeAttachment{e: e, c: c, name: nameOrID, exec: true}, nil
}

// RunHealthcheck reports HealthyErr's outcome: healthy unless Unhealthy.
func (e *FakeEngine) RunHealthcheck(nameOrID string) (bool, error) {
	if _, err := e.do("healthcheck "+nameOrID, nameOrID); err != nil {
		return false, err
	}
	return !e.Unhealthy, nil
}

// StopContainer makes a running container exited (code 143); it leaves
// any other container as it is.
func (e *FakeEngine) StopContainer(ctx context.Context, nameOrID string, timeout *time.Duration) error {
	c, err := e.do("stop "+nameOrID+durationSuffix(timeout), nameOrID)
	if err != nil {
		return err
	}
	if c.State.Status == define.StatusRunning {
		e.exit(c, 128+int(syscall.SIGTERM))
	}
	return nil
}

// KillContainer makes a running container exited (code 128+sig); a
// container that is not running is an ErrCtrStateInvalid error.
func (e *FakeEngine) KillContainer(ctx context.Context, nameOrID string, sig syscall.Signal) error {
	c, err := e.do("kill "+nameOrID+" "+unix.SignalName(sig), nameOrID)
	if err != nil {
		return err
	}
	if c.State.Status != define.StatusRunning {
		return fmt.Errorf("container %s is not running: %w", c.Name(), define.ErrCtrStateInvalid)
	}
	e.exit(c, 128+int(sig))
	return nil
}

// WaitContainer returns the exit code of a container that is not running;
// it refuses to block on a running one.
func (e *FakeEngine) WaitContainer(ctx context.Context, nameOrID string, conditions []define.ContainerStatus) (int, error) {
	c, err := e.do("wait "+nameOrID, nameOrID)
	if err != nil {
		return -1, err
	}
	if len(conditions) == 0 {
		conditions = []define.ContainerStatus{define.StatusExited}
	}
	if !slices.Contains(conditions, c.State.Status) {
		return -1, errors.New("FakeEngine: WaitContainer would block")
	}
	if c.State.Status != define.StatusExited {
		return -1, nil
	}
	return c.State.ExitCode, nil
}

// CleanupContainer removes an exited --rm container.
func (e *FakeEngine) CleanupContainer(ctx context.Context, nameOrID string) error {
	c, err := e.do("cleanup "+nameOrID, nameOrID)
	if err != nil {
		return err
	}
	if c.Config.AutoRemove && c.State.Status != define.StatusRunning {
		e.delete(c)
	}
	return nil
}

// RemoveContainer deletes a container; a running one only with Force
// (else an ErrCtrStateInvalid error), a corrupt one (in Corrupt) only with
// Force.
func (e *FakeEngine) RemoveContainer(ctx context.Context, nameOrID string, o libpod.RemoveOptions) error {
	call := "remove " + nameOrID
	if o.Force {
		call += " force"
	}
	c, err := e.do(call+durationSuffix(o.Timeout), nameOrID)
	if err != nil {
		if o.Force && errors.Is(err, define.ErrNoSuchCtr) {
			for i, id := range e.Corrupt {
				if id == nameOrID {
					e.Corrupt = append(e.Corrupt[:i], e.Corrupt[i+1:]...)
					return nil
				}
			}
		}
		return err
	}
	if c.State.Status == define.StatusRunning && !o.Force {
		return fmt.Errorf("cannot remove container %s as it is running - running or paused containers cannot be removed without force: %w",
			c.ID(), define.ErrCtrStateInvalid)
	}
	e.delete(c)
	return nil
}

// Container returns the container nameOrID finds (not recorded).
func (e *FakeEngine) Container(nameOrID string) (*libpod.Container, error) {
	return e.lookup(nameOrID)
}

// ListContainers returns the containers oldest first and Bad (not
// recorded; Err["list"] fails it).
func (e *FakeEngine) ListContainers() ([]*libpod.Container, []error, error) {
	if err := e.Err["list"]; err != nil {
		return nil, nil, err
	}
	ctrs := append([]*libpod.Container(nil), e.Containers...)
	sort.SliceStable(ctrs, func(i, j int) bool { return ctrs[i].Config.Created.Before(ctrs[j].Config.Created) })
	return ctrs, e.Bad, nil
}

// CorruptContainers returns Corrupt.
func (e *FakeEngine) CorruptContainers() []string { return append([]string(nil), e.Corrupt...) }

// InspectContainer is not implemented.
func (e *FakeEngine) InspectContainer(nameOrID string) (*libpod.InspectContainer, error) {
	return nil, errNotImplemented
}

// ContainerLogs records o in LogOptions and writes LogStdout and LogStderr
// of the container to stdout and stderr.
func (e *FakeEngine) ContainerLogs(ctx context.Context, nameOrID string, o logs.Options, stdout, stderr io.Writer) error {
	c, err := e.do("logs "+nameOrID, nameOrID)
	if err != nil {
		return err
	}
	e.LogOptions = append(e.LogOptions, o)
	if _, err := io.WriteString(stdout, e.LogStdout[c.Name()]); err != nil {
		return err
	}
	_, err = io.WriteString(stderr, e.LogStderr[c.Name()])
	return err
}

// PullImage is not implemented.
func (e *FakeEngine) PullImage(ctx context.Context, name string, o image.PullOptions) (*libpod.ImageRef, error) {
	return nil, errNotImplemented
}

// ImageUsers returns no users.
func (e *FakeEngine) ImageUsers(imageID string) []string { return nil }

// InspectImage is not implemented.
func (e *FakeEngine) InspectImage(ctx context.Context, nameOrID string) (*image.InspectData, error) {
	return nil, errNotImplemented
}

// TagImage records "tag IMAGE NAME..." and fails as Err says.
func (e *FakeEngine) TagImage(nameOrID string, names []string) error {
	return e.record(strings.Join(append([]string{"tag", nameOrID}, names...), " "), nameOrID)
}

// UntagImage records "untag IMAGE [NAME...]" and fails as Err says.
func (e *FakeEngine) UntagImage(nameOrID string, names []string) error {
	return e.record(strings.Join(append([]string{"untag", nameOrID}, names...), " "), nameOrID)
}

// ImageHistory records "history IMAGE" and returns History[IMAGE], or an
// error wrapping define.ErrNoSuchImage when it has no entry.
func (e *FakeEngine) ImageHistory(ctx context.Context, nameOrID string) ([]image.HistoryEntry, error) {
	if err := e.record("history "+nameOrID, nameOrID); err != nil {
		return nil, err
	}
	h, ok := e.History[nameOrID]
	if !ok {
		return nil, fmt.Errorf("%s: image not known%.0w", nameOrID, define.ErrNoSuchImage)
	}
	return h, nil
}

// Info is not implemented.
func (e *FakeEngine) Info(ctx context.Context) (*libpod.Info, error) { return nil, errNotImplemented }

// Config returns nil: the fake has no configuration.
func (e *FakeEngine) Config() *libpod.Config { return nil }

// FakeAttachment is the attachment of an attached start: Wait makes the
// container exited with the engine's ExitCode, Finish records "finish
// <name>" and removes a --rm container.
type FakeAttachment struct {
	e        *FakeEngine
	c        *libpod.Container
	name     string
	exec     bool // an exec session: the container goes on after Wait
	Waited   bool
	Finished bool
}

// Pid returns the container's fake pid.
func (a *FakeAttachment) Pid() int { return 4242 }

// Resize does nothing.
func (a *FakeAttachment) Resize(rows, cols uint16) {}

// Wait returns the engine's ExitCode and WaitErr.
func (a *FakeAttachment) Wait() (int, error) {
	a.Waited = true
	if a.e.WaitErr != nil {
		return -1, a.e.WaitErr
	}
	if !a.exec {
		a.e.exit(a.c, a.e.ExitCode)
	}
	return a.e.ExitCode, nil
}

// Finish records "finish <name>" and removes an exited --rm container.
func (a *FakeAttachment) Finish() error {
	a.Finished = true
	if err := a.e.record("finish "+a.name, a.name, a.c.Name(), a.c.ID()); err != nil {
		return err
	}
	if a.c.Config.AutoRemove && a.c.State.Status != define.StatusRunning {
		a.e.delete(a.c)
	}
	return nil
}

// ExternalContainers returns External (recorded as "external").
func (e *FakeEngine) ExternalContainers() ([]libpod.ExternalContainer, error) {
	if err := e.record("external"); err != nil {
		return nil, err
	}
	return e.External, nil
}

// Check is not needed by the run tests.
func (e *FakeEngine) Check(ctx context.Context, o libpod.CheckOptions) ([]libpod.Finding, error) {
	return nil, errNotImplemented
}

// Prune is not needed by the run tests.
func (e *FakeEngine) Prune(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error) {
	return nil, errNotImplemented
}

// DiskUsage is not needed by the run tests.
func (e *FakeEngine) DiskUsage(ctx context.Context) (*libpod.DiskUsage, error) {
	return nil, errNotImplemented
}

// Reset is not needed by the run tests.
func (e *FakeEngine) Reset(ctx context.Context) error { return errNotImplemented }

// PauseContainer pauses a running container ("pause <name>").
func (e *FakeEngine) PauseContainer(ctx context.Context, nameOrID string) error {
	c, err := e.do("pause "+nameOrID, nameOrID)
	if err != nil {
		return err
	}
	if c.State.Status != define.StatusRunning {
		return fmt.Errorf("%q is not running, can't pause: %w", c.State.Status, define.ErrCtrStateInvalid)
	}
	c.State.Status = define.StatusPaused
	return nil
}

// UnpauseContainer resumes a paused container ("unpause <name>").
func (e *FakeEngine) UnpauseContainer(ctx context.Context, nameOrID string) error {
	c, err := e.do("unpause "+nameOrID, nameOrID)
	if err != nil {
		return err
	}
	if c.State.Status != define.StatusPaused {
		return fmt.Errorf("%q is not paused, can't unpause: %w", c.ID(), define.ErrCtrStateInvalid)
	}
	c.State.Status = define.StatusRunning
	return nil
}

// RenameContainer renames a container ("rename <name> <new>").
func (e *FakeEngine) RenameContainer(ctx context.Context, nameOrID, newName string) error {
	c, err := e.do("rename "+nameOrID+" "+newName, nameOrID)
	if err != nil {
		return err
	}
	if o, _ := e.lookup(newName); o != nil && o != c {
		return fmt.Errorf("the container name %q is already in use: %w", newName, define.ErrNameInUse)
	}
	c.Config.Name = newName
	return nil
}

// PruneContainers removes every container that is not running ("prune").
func (e *FakeEngine) PruneContainers(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error) {
	if err := e.record("prune"); err != nil {
		return nil, err
	}
	rep := &libpod.PruneReport{}
	for _, c := range slices.Clone(e.Containers) {
		if !c.State.Status.IsActive() {
			e.delete(c)
			rep.Containers = append(rep.Containers, c.ID())
		}
	}
	return rep, nil
}

// PruneImages records "prune images" (with " all" for o.All) and
// reports PrunedImages as removed.
func (e *FakeEngine) PruneImages(ctx context.Context, o libpod.PruneOptions) (*libpod.PruneReport, error) {
	verb := "prune images"
	if o.All {
		verb += " all"
	}
	if err := e.record(verb); err != nil {
		return nil, err
	}
	return &libpod.PruneReport{Images: e.PrunedImages}, nil
}

// CopyContainer records "cp SRC DST" (CONTAINER:PATH or PATH each) and
// checks that a named container exists; it copies nothing.
func (e *FakeEngine) CopyContainer(ctx context.Context, src, dst libpod.CopyTarget, o libpod.CopyOptions) error {
	side := func(t libpod.CopyTarget) string {
		if t.Container == "" {
			return t.Path
		}
		return t.Container + ":" + t.Path
	}
	if err := e.record("cp "+side(src)+" "+side(dst), src.Container, dst.Container); err != nil {
		return err
	}
	for _, t := range []libpod.CopyTarget{src, dst} {
		if t.Container != "" {
			if _, err := e.lookup(t.Container); err != nil {
				return err
			}
		}
	}
	return nil
}

// Events delivers e.EventLog, filtered by o's bounds and filter, and
// records "events".
func (e *FakeEngine) Events(ctx context.Context, o events.ReadOptions, fn func(*events.Event) error) error {
	if err := e.record("events"); err != nil {
		return err
	}
	for i := range e.EventLog {
		ev := e.EventLog[i]
		if (!o.Since.IsZero() && ev.Time.Before(o.Since)) || (!o.Until.IsZero() && ev.Time.After(o.Until)) {
			continue
		}
		if o.Filter != nil && !o.Filter(&ev) {
			continue
		}
		if err := fn(&ev); err != nil {
			return err
		}
	}
	return nil
}
