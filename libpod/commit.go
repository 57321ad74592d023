package libpod

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/spec"
)

// CommitOptions tune CommitContainer.
type CommitOptions struct {
	// Changes are Dockerfile instructions applied to the new image's
	// config (see image.Settings.ApplyChanges).
	Changes []string
	// Format is "oci" (the default) or "docker"; Message needs docker.
	Format          string
	Message, Author string
	// Pause pauses a running container while its layer is read.
	Pause bool
	// Squash makes the whole file system one layer.
	Squash bool
	// IncludeVolumes adds the container's volumes to the image config
	// (pod containers have none yet).
	IncludeVolumes bool
	// Progress receives the copy's progress lines (nil: none).
	Progress io.Writer
}

// CommitContainer stores a new image, named imageName when it is not
// empty, from the container's image and what the container changed, and
// returns its id. The container may be running; with Pause it is paused
// while its changes are read. The image config is the image's with the
// container's environment, command, entrypoint, working directory, user,
// labels and published ports, then the changes. Bad options are refused
// before anything is done.
func (r *Runtime) CommitContainer(ctx context.Context, nameOrID, imageName string, o CommitOptions) (string, error) {
	co := image.CommitOptions{
		Name: imageName, Changes: o.Changes, Format: o.Format, Message: o.Message, Author: o.Author,
		Squash: o.Squash, Progress: o.Progress,
	}
	if _, err := image.CheckCommit(&co); err != nil {
		return "", err
	}
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return "", err
	}
	if err := c.checkCommit(); err != nil {
		return "", err
	}
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	unlock, err := c.lockAndSync()
	if err != nil {
		return "", err
	}
	running := c.State.Status == define.StatusRunning
	unlock()
	if o.Pause && running {
		if err := r.PauseContainer(ctx, c.ID()); err != nil {
			return "", fmt.Errorf("commit %s: %w", c.Name(), err)
		}
		defer func() {
			if err := r.UnpauseContainer(ctx, c.ID()); err != nil && !errors.Is(err, define.ErrCtrStateInvalid) {
				logrus.Warnf("unpausing %s after the commit: %v", c.Name(), err)
			}
		}()
	}
	sc, err := store.Container(c.ID())
	if err != nil {
		if errors.Is(err, storage.ErrContainerUnknown) {
			return "", fmt.Errorf("commit %s: its storage is gone: remove it with `pod rm -f %s`: %w", c.Name(), c.Name(), define.ErrNoSuchCtr)
		}
		return "", fmt.Errorf("commit %s: %w", c.Name(), err)
	}
	co.Container, co.Layer = sc.ID, sc.LayerID
	co.ParentID, co.ParentName = c.Config.ImageID, c.Config.ImageName
	if co.ParentName == "" {
		co.ParentName = c.Config.Image
	}
	co.Settings = c.commitSettings()
	img, err := image.Commit(ctx, store, co)
	if err != nil {
		return "", r.noSpace("commit "+c.Name(), err)
	}
	c.newEvent(events.Commit)
	return img.ID, nil
}

// commitSettings are the container's own settings a commit writes into
// the image config: the image's as the container changed them.
func (c *Container) commitSettings() image.Settings {
	cfg, ic := c.Config, c.Config.ImageConfig
	s := image.Settings{
		Env:        spec.MergeEnv(nil, ic.Env, cfg.Env, nil),
		Entrypoint: ic.Entrypoint,
		Cmd:        ic.Cmd,
		WorkingDir: ic.WorkingDir,
		User:       ic.User,
	}
	if cfg.Entrypoint != nil {
		s.Entrypoint, s.Cmd = spec.ParseEntrypoint(*cfg.Entrypoint), nil
	}
	if len(cfg.Command) > 0 {
		s.Cmd = cfg.Command
	}
	if cfg.WorkDir != "" {
		s.WorkingDir = cfg.WorkDir
	}
	if cfg.User != "" {
		s.User = cfg.User
	}
	if len(ic.Labels)+len(cfg.Labels) > 0 {
		s.Labels = maps.Clone(ic.Labels)
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		maps.Copy(s.Labels, cfg.Labels)
	}
	for _, p := range c.Ports() {
		if s.ExposedPorts == nil {
			s.ExposedPorts = map[string]struct{}{}
		}
		proto := strings.ToLower(p.Protocol)
		if proto == "" {
			proto = "tcp"
		}
		s.ExposedPorts[strconv.Itoa(int(p.ContainerPort))+"/"+proto] = struct{}{}
	}
	return s
}
