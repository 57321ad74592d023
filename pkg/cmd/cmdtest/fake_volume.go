package cmdtest

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
)

func (e *FakeEngine) volume(name string) (int, error) {
	for i, v := range e.Volumes {
		if v.Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("no volume with name %q found: %w", name, define.ErrNoSuchVolume)
}

// CreateVolume records "volume-create NAME" and adds the volume; an
// existing one fails unless o.Ignore.
func (e *FakeEngine) CreateVolume(ctx context.Context, o libpod.VolumeCreateOptions) (string, error) {
	if err := e.record("volume-create "+o.Name, o.Name); err != nil {
		return "", err
	}
	name := o.Name
	if name == "" {
		name = strings.Repeat("0f", 32)
	}
	if _, err := e.volume(name); err == nil {
		if o.Ignore {
			return name, nil
		}
		return "", fmt.Errorf("volume with name %s already exists: %w", name, define.ErrVolumeExists)
	}
	labels := map[string]string{}
	for _, l := range o.Labels {
		k, v, _ := strings.Cut(l, "=")
		labels[k] = v
	}
	e.Volumes = append(e.Volumes, &libpod.InspectVolume{Name: name, Driver: "local", Scope: "local", Labels: labels,
		Options: map[string]string{}, Mountpoint: "/vol/" + name + "/_data", CreatedAt: e.now()})
	return name, nil
}

// ListVolumes records "volume-list FILTERS" and returns every volume
// (filters are the engine's business).
func (e *FakeEngine) ListVolumes(filters []string) ([]*libpod.InspectVolume, error) {
	if err := e.record("volume-list " + strings.Join(filters, ",")); err != nil {
		return nil, err
	}
	return e.Volumes, nil
}

// InspectVolume records "volume-inspect NAME".
func (e *FakeEngine) InspectVolume(name string) (*libpod.InspectVolume, error) {
	if err := e.record("volume-inspect "+name, name); err != nil {
		return nil, err
	}
	i, err := e.volume(name)
	if err != nil {
		return nil, err
	}
	return e.Volumes[i], nil
}

// VolumeExists records "volume-exists NAME".
func (e *FakeEngine) VolumeExists(name string) (bool, error) {
	if err := e.record("volume-exists "+name, name); err != nil {
		return false, err
	}
	_, err := e.volume(name)
	return err == nil, nil
}

// RemoveVolume records "volume-rm NAME" (with -f: "volume-rm -f NAME").
func (e *FakeEngine) RemoveVolume(ctx context.Context, name string, o libpod.VolumeRemoveOptions) error {
	call := "volume-rm " + name
	if o.Force {
		call = "volume-rm -f " + name
	}
	if err := e.record(call, name); err != nil {
		return err
	}
	i, err := e.volume(name)
	if err != nil {
		return err
	}
	e.Volumes = append(e.Volumes[:i], e.Volumes[i+1:]...)
	return nil
}

// PruneVolumes records "volume-prune" (dry runs: "volume-prune-dry") and
// removes every volume created before o.Until (zero: all).
func (e *FakeEngine) PruneVolumes(ctx context.Context, o libpod.PruneOptions, dryRun bool) ([]string, []error, error) {
	call := "volume-prune"
	if dryRun {
		call += "-dry"
	}
	if err := e.record(call); err != nil {
		return nil, nil, err
	}
	var names []string
	var keep []*libpod.InspectVolume
	for _, v := range e.Volumes {
		if o.Until.IsZero() || v.CreatedAt.Before(o.Until) {
			names = append(names, v.Name)
		} else {
			keep = append(keep, v)
		}
	}
	if !dryRun {
		e.Volumes = keep
	}
	return names, nil, nil
}

// ExportVolume records "volume-export NAME" and writes "tar of NAME".
func (e *FakeEngine) ExportVolume(ctx context.Context, name string, w io.Writer) error {
	if err := e.record("volume-export "+name, name); err != nil {
		return err
	}
	if _, err := e.volume(name); err != nil {
		return err
	}
	_, err := io.WriteString(w, "tar of "+name)
	return err
}

// ImportVolume records "volume-import NAME:CONTENT".
func (e *FakeEngine) ImportVolume(ctx context.Context, name string, r io.Reader) error {
	b, _ := io.ReadAll(r)
	if err := e.record("volume-import "+name+":"+string(b), name); err != nil {
		return err
	}
	_, err := e.volume(name)
	return err
}

// MountVolume records "volume-mount NAME" and returns its mountpoint.
func (e *FakeEngine) MountVolume(name string) (string, error) {
	if err := e.record("volume-mount "+name, name); err != nil {
		return "", err
	}
	i, err := e.volume(name)
	if err != nil {
		return "", err
	}
	return e.Volumes[i].Mountpoint, nil
}

// UnmountVolume records "volume-unmount NAME".
func (e *FakeEngine) UnmountVolume(name string) error {
	if err := e.record("volume-unmount "+name, name); err != nil {
		return err
	}
	_, err := e.volume(name)
	return err
}
