package events

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

// Type is the kind of object an event is about.
type Type string

// The event types pod writes.
const (
	TypeContainer Type = "container"
	TypeImage     Type = "image"
	TypeSystem    Type = "system"
	TypeVolume    Type = "volume"
)

// Status is what happened (podman's name for it).
type Status string

// The statuses pod writes. Container: create, init, start, attach, exec,
// health_status, pause, unpause, kill, stop, died, cleanup, rename, remove, commit.
// Image: pull, push, tag, untag, remove, save, loadfromarchive.
const (
	Attach       Status = "attach"
	Exec         Status = "exec"
	HealthStatus Status = "health_status"
	Cleanup      Status = "cleanup"
	Commit       Status = "commit"
	Create       Status = "create"
	Died         Status = "died"
	Init         Status = "init"
	Kill         Status = "kill"
	Pause        Status = "pause"
	Pull         Status = "pull"
	Push         Status = "push"
	Remove       Status = "remove"
	Rename       Status = "rename"
	Start        Status = "start"
	Stop         Status = "stop"
	Tag          Status = "tag"
	Unpause      Status = "unpause"
	Untag        Status = "untag"
)

// The statuses of save and load: one save event per image saved, named by
// the output; one loadfromarchive event per load, named by the file read.
const (
	Save            Status = "save"
	LoadFromArchive Status = "loadfromarchive"
)

// Event is one line of the events file. Its fields, their order and their
// JSON are podman's, so `--format json` and templates read the same.
type Event struct {
	// ContainerExitCode is the exit code of a died event.
	ContainerExitCode int `json:",omitempty"`
	// ID is the container's or image's full id.
	ID string `json:",omitempty"`
	// Image is the image of a container event.
	Image string `json:",omitempty"`
	// Name is the container's name, or the image name of an image event.
	Name string `json:",omitempty"`
	// Status is what happened.
	Status Status `json:",omitempty"`
	// Time is when it happened.
	Time time.Time
	// Type is the kind of object.
	Type Type
	// Attributes are a container's labels (an empty map when it has none).
	Attributes map[string]string
}

// ToHumanReadable is the event as `pod events` prints it by default:
// "<time> container start <id> (image=<image>, name=<name>, <label>=<value>...)",
// "<time> image pull <id> <name>". With truncate the id is cut to 12
// characters. Labels come sorted by key.
func (e *Event) ToHumanReadable(truncate bool) string {
	id := e.ID
	if truncate {
		id = define.ShortID(id)
	}
	switch e.Type {
	case TypeContainer:
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s %s (image=%s, name=%s", e.Time, e.Type, e.Status, id, e.Image, e.Name)
		keys := make([]string, 0, len(e.Attributes))
		for k := range e.Attributes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, ", %s=%s", k, e.Attributes[k])
		}
		b.WriteString(")")
		return b.String()
	case TypeImage:
		return fmt.Sprintf("%s %s %s %s %s", e.Time, e.Type, e.Status, id, e.Name)
	case TypeVolume:
		return fmt.Sprintf("%s %s %s %s", e.Time, e.Type, e.Status, e.Name)
	default:
		return fmt.Sprintf("%s %s %s", e.Time, e.Type, e.Status)
	}
}
