package libpod

import (
	"context"
	"maps"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
)

// Events are written to one file per boot, in the runtime directory
// (podman's file backend keeps its log there too): $XDG_RUNTIME_DIR/pod/events/events.log.

// eventLog is this runtime's events file.
func (r *Runtime) eventLog() *events.Log {
	return events.NewLog(filepath.Join(r.cfg.RunDir, "events"))
}

// Events calls fn with the events o selects; with o.Stream it follows the
// log until ctx ends.
func (r *Runtime) Events(ctx context.Context, o events.ReadOptions, fn func(*events.Event) error) error {
	return r.eventLog().Read(ctx, o, fn)
}

// writeEvent appends e to the log. Events never fail a verb: an error is
// only logged.
func (r *Runtime) writeEvent(e events.Event) {
	if r.cfg.EventsBackend == "none" {
		return
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if err := r.eventLog().Write(e); err != nil {
		logrus.Debugf("writing %s %s event: %v", e.Type, e.Status, err)
	}
}

// imageEvent writes an image event.
func (r *Runtime) imageEvent(status events.Status, id, name string) {
	r.writeEvent(events.Event{Type: events.TypeImage, Status: status, ID: id, Name: name})
}

// imageRemoveEvents writes an untag event for every name removed and a
// remove event for every image deleted; id is the image the name given
// to rmi resolved to ("" when unknown).
func (r *Runtime) imageRemoveEvents(id string, untagged, deleted []string) {
	for _, name := range untagged {
		r.imageEvent(events.Untag, id, name)
	}
	for _, d := range deleted {
		name := ""
		if d == id && len(untagged) > 0 {
			name = untagged[len(untagged)-1]
		}
		r.imageEvent(events.Remove, d, name)
	}
}

// containerEvent is an event about c as it is now.
func (c *Container) containerEvent(status events.Status) events.Event {
	image := c.Config.ImageName
	if image == "" {
		image = c.Config.Image
	}
	attrs := map[string]string{}
	maps.Copy(attrs, c.Config.Labels)
	return events.Event{Type: events.TypeContainer, Status: status, ID: c.ID(), Name: c.Name(), Image: image, Attributes: attrs}
}

// newEvent writes an event about c now (verbs: create, kill, stop, rename,
// cleanup, remove).
func (c *Container) newEvent(status events.Status) {
	if c != nil {
		c.r.writeEvent(c.containerEvent(status))
	}
}

// transitionEvents are the events of a status change: created or exited
// to running is init and start, running to paused pause, paused to running
// unpause, and the end of an active container died.
func transitionEvents(from, to define.ContainerStatus) []events.Status {
	switch {
	case to == define.StatusRunning && (from == define.StatusCreated || from == define.StatusExited):
		return []events.Status{events.Init, events.Start}
	case to == define.StatusPaused && from == define.StatusRunning:
		return []events.Status{events.Pause}
	case to == define.StatusRunning && from == define.StatusPaused:
		return []events.Status{events.Unpause}
	case to == define.StatusExited && from.IsActive():
		return []events.Status{events.Died}
	}
	return nil
}

// pendingEvents are the transition events of one ContainerState value
// that no save has written yet. They belong to that value: when the state
// is re-read (lock → sync) the queue of the old one is dropped.
type pendingEvents struct {
	state    *ContainerState
	statuses []events.Status
}

// noteTransition queues the events of a status change (setStatus calls
// it). They are written once the new state is saved (flushEvents), so a
// view that syncs a state without saving it (ps without the lock,
// inspect) never reports one, and the command that saves it reports it
// once.
func (c *Container) noteTransition(from, to define.ContainerStatus) {
	add := transitionEvents(from, to)
	if len(add) == 0 {
		return
	}
	if c.events == nil || c.events.state != c.State {
		c.events = &pendingEvents{state: c.State}
	}
	c.events.statuses = append(c.events.statuses, add...)
}

// flushEvents writes the queued transition events of the state just
// written once the write succeeded (saveErr nil), and drops them either
// way. It returns saveErr.
func (c *Container) flushEvents(saveErr error) error {
	q := c.events
	c.events = nil
	if saveErr != nil || q == nil || q.state != c.State {
		return saveErr
	}
	pending := q.statuses
	for _, s := range pending {
		e := c.containerEvent(s)
		if s == events.Died {
			e.ContainerExitCode = c.State.ExitCode
		}
		c.r.writeEvent(e)
	}
	return nil
}

// cleanupEvent writes a cleanup event when cleanup released something
// (the container was mounted), so the CLI's and the monitor's cleanup of
// one exit report it once.
func (c *Container) cleanupEvent(wasMounted bool) {
	if wasMounted {
		c.newEvent(events.Cleanup)
	}
}

// createdEvent writes c's create event.
func (c *Container) createdEvent() { c.newEvent(events.Create) }

// imageID is the id of the local image nameOrID names, or "" (for the
// events of rmi, which lose the name).
func (r *Runtime) imageID(store storage.Store, nameOrID string) string {
	img, err := image.Lookup(store, nameOrID)
	if err != nil {
		return ""
	}
	return img.ID
}
