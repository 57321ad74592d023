package cmdtest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
)

// FakeMountRoot is the directory below which the fake mounts containers:
// a container's mount point is FakeMountRoot + "/" + its id + "/merged".
const FakeMountRoot = "/fake/storage/overlay"

// TopContainer returns TopRows of a running container ("top <name>
// DESCRIPTORS..."); a container that does not run is an
// ErrCtrStateInvalid error.
func (e *FakeEngine) TopContainer(ctx context.Context, nameOrID string, descriptors []string) ([][]string, error) {
	c, err := e.do(strings.TrimSpace("top "+nameOrID+" "+strings.Join(descriptors, " ")), nameOrID)
	if err != nil {
		return nil, err
	}
	if c.State.Status != define.StatusRunning {
		return nil, fmt.Errorf("top can only be used on running containers: %s is in state %s: %w", c.Name(), c.State.Status, define.ErrCtrStateInvalid)
	}
	return e.TopRows[c.Name()], nil
}

// DiffContainer returns Changes of the container ("diff <name>").
func (e *FakeEngine) DiffContainer(ctx context.Context, nameOrID string) ([]libpod.Change, error) {
	c, err := e.do("diff "+nameOrID, nameOrID)
	if err != nil {
		return nil, err
	}
	return e.Changes[c.Name()], nil
}

func fakeMountpoint(c *libpod.Container) string { return FakeMountRoot + "/" + c.ID() + "/merged" }

// MountContainer counts one more mount of the container ("mount <name>")
// and returns its mount point.
func (e *FakeEngine) MountContainer(ctx context.Context, nameOrID string) (string, error) {
	c, err := e.do("mount "+nameOrID, nameOrID)
	if err != nil {
		return "", err
	}
	if e.Mounts == nil {
		e.Mounts = map[string]int{}
	}
	e.Mounts[c.Name()]++
	return fakeMountpoint(c), nil
}

// UnmountContainer counts one mount less, or none with force ("unmount
// <name>", "unmount <name> force").
func (e *FakeEngine) UnmountContainer(ctx context.Context, nameOrID string, force bool) error {
	call := "unmount " + nameOrID
	if force {
		call += " force"
	}
	c, err := e.do(call, nameOrID)
	if err != nil {
		return err
	}
	switch {
	case e.Mounts[c.Name()] == 0:
	case force:
		e.Mounts[c.Name()] = 0
	default:
		e.Mounts[c.Name()]--
	}
	return nil
}

// MountedContainers lists the containers Mounts counts mounted, by id
// ("mounted").
func (e *FakeEngine) MountedContainers(ctx context.Context) ([]libpod.MountedContainer, error) {
	if err := e.record("mounted"); err != nil {
		return nil, err
	}
	var out []libpod.MountedContainer
	for _, c := range e.Containers {
		if e.Mounts[c.Name()] > 0 {
			out = append(out, libpod.MountedContainer{ID: c.ID(), Name: c.Name(), Mountpoint: fakeMountpoint(c)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ContainerStats returns Stats of the named containers, or of the running
// ones (all: every one) ("stats" or "stats <name>..."). Err["stats"] fails
// it as a host without cgroup v2 would.
func (e *FakeEngine) ContainerStats(ctx context.Context, names []string, all bool) ([]libpod.ContainerStats, error) {
	if err := e.record(strings.TrimSpace("stats " + strings.Join(names, " "))); err != nil {
		return nil, err
	}
	var ctrs []*libpod.Container
	if len(names) == 0 {
		list, _, _ := e.ListContainers()
		for _, c := range list {
			if all || c.State.Status.IsActive() {
				ctrs = append(ctrs, c)
			}
		}
	}
	for _, n := range names {
		c, err := e.lookup(n)
		if err != nil {
			return nil, err
		}
		ctrs = append(ctrs, c)
	}
	out := make([]libpod.ContainerStats, 0, len(ctrs))
	for _, c := range ctrs {
		s := e.Stats[c.Name()]
		s.ID, s.Name = c.ID(), c.Name()
		out = append(out, s)
	}
	return out, nil
}
