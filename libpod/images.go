package libpod

import (
	"context"
	"fmt"
	"sort"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/spec"
)

// ImageRef is a local image chosen for a container.
type ImageRef struct {
	ID     string
	Name   string
	Digest string // the image's manifest digest
	Config spec.ImageConfig
	// Healthcheck is the image's HEALTHCHECK (nil: none).
	Healthcheck *protocol.Healthcheck
}

func imageName(img *storage.Image) string {
	if len(img.Names) > 0 {
		return img.Names[0]
	}
	return img.ID
}

// PullImage makes name available locally as the pull policy says, and
// returns it with the parts of its config a container needs.
func (r *Runtime) PullImage(ctx context.Context, name string, o image.PullOptions) (*ImageRef, error) {
	if err := image.CheckAuthFile(o.System.AuthFile); err != nil {
		return nil, err
	}
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	img, err := image.Pull(ctx, store, name, o)
	if err != nil {
		return nil, r.noSpace("pull "+name, err)
	}
	cfg, hc, err := image.Config(ctx, store, img)
	if err != nil {
		return nil, fmt.Errorf("read config of image %s: %w", name, err)
	}
	r.imageEvent(events.Pull, img.ID, name)
	ref := &ImageRef{ID: img.ID, Name: imageName(img), Digest: img.Digest.String()}
	if n, err := image.NormalizeName(name); err == nil {
		for _, nm := range img.Names {
			if nm == n.String() {
				ref.Name = nm
				break
			}
		}
	}
	c := cfg.Config
	ref.Config = spec.ImageConfig{
		Env:        c.Env,
		Entrypoint: c.Entrypoint,
		Cmd:        c.Cmd,
		WorkingDir: c.WorkingDir,
		User:       c.User,
		StopSignal: c.StopSignal,
		Labels:     c.Labels,
	}
	for k := range c.ExposedPorts {
		ref.Config.ExposedPorts = append(ref.Config.ExposedPorts, k)
	}
	for k := range c.Volumes {
		ref.Config.Volumes = append(ref.Config.Volumes, k)
	}
	sort.Strings(ref.Config.Volumes)
	if hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		ref.Healthcheck = &protocol.Healthcheck{Test: hc.Test, Interval: hc.Interval, Timeout: hc.Timeout,
			StartPeriod: hc.StartPeriod, Retries: hc.Retries}
	}
	return ref, nil
}

// checkProcessArgs reports the command a container config would run, or
// why it has none.
func checkProcessArgs(cfg *ContainerConfig) ([]string, error) {
	args, err := spec.ProcessArgs(cfg.ImageConfig, cfg.Entrypoint, cfg.Command)
	if err != nil {
		from := cfg.Image
		if cfg.Rootfs != "" {
			from = "--rootfs " + cfg.Rootfs
		}
		return nil, fmt.Errorf("create container from %s: %w", from, err)
	}
	return args, nil
}

// ImageUsers lists the containers created from the image id.
func (r *Runtime) ImageUsers(imageID string) []string {
	ctrs, _, err := r.ListContainers()
	if err != nil {
		return nil
	}
	var ids []string
	for _, c := range ctrs {
		if c.Config.ImageID == imageID {
			ids = append(ids, c.ID())
		}
	}
	return ids
}

// Images lists local images.
func (r *Runtime) Images() ([]image.Summary, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	return image.List(store)
}

// InspectImage returns the inspect data of a local image.
func (r *Runtime) InspectImage(ctx context.Context, nameOrID string) (*image.InspectData, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	img, err := image.Lookup(store, nameOrID)
	if err != nil {
		return nil, err
	}
	return image.Inspect(ctx, store, img)
}
