package libpod

import (
	"context"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/ps"
	"github.com/pod-engine/pod/pkg/spec"
)

// procDir is where the processes are read from: pod shares the host's pid
// namespace, so every container's processes are there with their host pids.
const procDir = "/proc"

// TopContainer returns the processes of a running container's pid
// namespace as ps shows them: a header row, then one row per process
// ordered by its pid in the container. descriptors are top's arguments
// (ps.ParseDescriptors: names, AIX codes, -eo LIST; none gives podman's
// default columns). Pids are the container's, huser and hpid the host's;
// user and group names come from the container's /etc/passwd and
// /etc/group.
func (r *Runtime) TopContainer(ctx context.Context, nameOrID string, descriptors []string) ([][]string, error) {
	c, err := r.Container(nameOrID)
	if err != nil {
		return nil, err
	}
	if c.State.Status != define.StatusRunning || !c.containerAlive() {
		return nil, fmt.Errorf("top can only be used on running containers: %s is in state %s: %w", c.Name(), c.State.Status, define.ErrCtrStateInvalid)
	}
	names, err := ps.ParseDescriptors(descriptors)
	if err != nil {
		return nil, fmt.Errorf("top %s: %w", c.Name(), err)
	}
	procs, err := ps.List(procDir, c.State.Pid)
	if err != nil {
		return nil, fmt.Errorf("top %s: %w", c.Name(), err)
	}
	pc, err := ps.HostContext(procDir, c.State.Pid)
	if err != nil {
		return nil, fmt.Errorf("top %s: %w", c.Name(), err)
	}
	if c.State.Mountpoint != "" {
		// Without the files every id shows as its number, as ps does.
		if pc.Users, pc.Groups, err = spec.IDNames(c.State.Mountpoint); err != nil {
			logrus.Debugf("top %s: %v", c.Name(), err)
		}
	}
	return ps.Table(procs, names, pc), nil
}
