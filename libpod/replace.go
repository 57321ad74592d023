package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod/define"
)

// maxReplaceAttempts bounds how often a --replace create removes the
// container holding its name and tries again because a parallel create
// took the name in between. Each lost attempt is another creator's
// success, so a handful of parallel creators never exhaust it.
const maxReplaceAttempts = 100

// checkReplace refuses --replace without --name, as podman does.
func (o *CreateOptions) checkReplace() error {
	if o.Replace && o.Name == "" {
		return fmt.Errorf("cannot replace container without --name being set: %w", define.ErrInvalidArg)
	}
	return nil
}

// createOrReplace creates cfg's container. With replace, the container
// that holds its name is removed first (as `rm -f` does), and again when a
// parallel create takes the name before this one reserves it: the name
// reservation (names/<name>, a hard link) stays the one arbiter, so
// parallel replacing creates each succeed and one container keeps the
// name, the last one created.
func (r *Runtime) createOrReplace(ctx context.Context, cfg *ContainerConfig, replace bool) (*Container, error) {
	if !replace {
		return r.createContainer(cfg)
	}
	for attempt := 1; ; attempt++ {
		if err := r.removeNamed(ctx, cfg.Name); err != nil {
			return nil, err
		}
		c, err := r.createContainer(cfg)
		if err == nil || !errors.Is(err, define.ErrNameInUse) || attempt == maxReplaceAttempts {
			return c, err
		}
		logrus.Debugf("replace %s: the name was taken again (attempt %d)", cfg.Name, attempt)
	}
}

// removeNamed removes the container that holds name, if any, as `rm -f`
// does: stopped first with its own stop timeout when it runs, removed by
// id even when its files are corrupt. A container that went meanwhile is
// no error.
func (r *Runtime) removeNamed(ctx context.Context, name string) error {
	data, err := os.ReadFile(r.namePath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("replace container %s: %w", name, err)
	}
	id := strings.TrimSpace(string(data))
	if !r.containerExists(id) && isHex(id) && len(id) == 64 {
		// A create in progress holds its lock until its config.json
		// exists: wait for it rather than spin.
		if l, err := r.locks.Acquire(id); err == nil {
			l.Close()
		}
	}
	if !r.containerExists(id) {
		return nil // a stale name: the reservation reclaims it
	}
	logrus.Debugf("replacing container %s (%s)", name, id)
	if err := r.RemoveContainer(ctx, id, RemoveOptions{Force: true}); err != nil && !errors.Is(err, define.ErrNoSuchCtr) {
		return fmt.Errorf("replace container %s: %w", name, err)
	}
	return nil
}
