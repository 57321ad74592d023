package image

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/manifest"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"
)

// InspectData is the document `pod image inspect` prints. Its JSON keys are
// those of the established image inspect format (Id, RepoTags, Config, RootFS...).
type InspectData struct {
	ID           string                        `json:"Id"`
	Digest       digest.Digest                 `json:"Digest"`
	RepoTags     []string                      `json:"RepoTags"`
	RepoDigests  []string                      `json:"RepoDigests"`
	Parent       string                        `json:"Parent"`
	Comment      string                        `json:"Comment"`
	Created      *time.Time                    `json:"Created"`
	Config       *v1.ImageConfig               `json:"Config"`
	Version      string                        `json:"Version"`
	Author       string                        `json:"Author"`
	Architecture string                        `json:"Architecture"`
	Os           string                        `json:"Os"`
	Size         int64                         `json:"Size"`
	VirtualSize  int64                         `json:"VirtualSize"`
	GraphDriver  *DriverData                   `json:"GraphDriver"`
	RootFS       *RootFS                       `json:"RootFS"`
	Labels       map[string]string             `json:"Labels"`
	Annotations  map[string]string             `json:"Annotations"`
	ManifestType string                        `json:"ManifestType"`
	User         string                        `json:"User"`
	History      []v1.History                  `json:"History"`
	NamesHistory []string                      `json:"NamesHistory"`
	HealthCheck  *manifest.Schema2HealthConfig `json:"Healthcheck,omitempty"`
}

// DriverData names the storage driver and its data for the image's top layer.
type DriverData struct {
	Name string            `json:"Name"`
	Data map[string]string `json:"Data"`
}

// RootFS lists the uncompressed layer digests (diff ids) of an image.
type RootFS struct {
	Type   string          `json:"Type"`
	Layers []digest.Digest `json:"Layers"`
}

// openImage opens a stored image through the image library's storage
// transport. The caller closes it.
func openImage(ctx context.Context, store storage.Store, img *storage.Image) (types.ImageCloser, error) {
	if isManifestList(store, img) {
		return nil, fmt.Errorf("image %s is a manifest list, not an image: see pod manifest inspect", shortIDs([]string{img.ID}))
	}
	ref, err := istorage.Transport.NewStoreReference(store, nil, img.ID)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", img.ID, err)
	}
	src, err := ref.NewImage(ctx, &types.SystemContext{})
	if err != nil {
		return nil, fmt.Errorf("opening image %s: %w", img.ID, err)
	}
	return src, nil
}

// Config returns the OCI image config of img (Env, Cmd, Entrypoint,
// WorkingDir, User, StopSignal, Labels, Created, Architecture, Os, diff ids,
// history), converted from the docker format when needed.
func Config(ctx context.Context, store storage.Store, img *storage.Image) (*v1.Image, *manifest.Schema2HealthConfig, error) {
	cfg, dc, err := readImageConfig(ctx, store, img, img.ID, true)
	if err != nil {
		return nil, nil, err
	}
	return cfg, dockerHealth(dc), nil
}

// dockerHealth returns the HEALTHCHECK of a Docker config from
// readImageConfig (only the docker format holds one; nil: none).
func dockerHealth(dc *manifest.Schema2Image) *manifest.Schema2HealthConfig {
	switch {
	case dc == nil:
		return nil
	case dc.Config != nil && dc.Config.Healthcheck != nil:
		return dc.Config.Healthcheck
	}
	return dc.ContainerConfig.Healthcheck
}

// Inspect returns the inspect document of img.
func Inspect(ctx context.Context, store storage.Store, img *storage.Image) (*InspectData, error) {
	src, err := openImage(ctx, store, img)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	cfg, err := src.OCIConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the config of image %s: %w", img.ID, err)
	}
	info, err := src.Inspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspecting image %s: %w", img.ID, err)
	}
	rawManifest, manifestType, err := src.Manifest(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the manifest of image %s: %w", img.ID, err)
	}
	size, err := store.ImageSize(img.ID)
	if err != nil {
		return nil, fmt.Errorf("size of image %s: %w", img.ID, err)
	}

	config := cfg.Config
	data := &InspectData{
		ID:           img.ID,
		Digest:       img.Digest,
		RepoTags:     nonNil(repoTags(img)),
		RepoDigests:  nonNil(repoDigests(img)),
		Created:      cfg.Created,
		Config:       &config,
		Version:      info.DockerVersion,
		Author:       cfg.Author,
		Architecture: cfg.Architecture,
		Os:           cfg.OS,
		Size:         size,
		VirtualSize:  size,
		GraphDriver:  driverData(store, img),
		RootFS:       &RootFS{Type: cfg.RootFS.Type, Layers: cfg.RootFS.DiffIDs},
		Labels:       cfg.Config.Labels,
		Annotations:  map[string]string{},
		ManifestType: manifestType,
		User:         cfg.Config.User,
		History:      cfg.History,
		NamesHistory: nonNil(img.NamesHistory),
	}
	if data.RootFS.Layers == nil {
		data.RootFS.Layers = []digest.Digest{}
	}
	if manifestType == v1.MediaTypeImageManifest {
		var m v1.Manifest
		if err := json.Unmarshal(rawManifest, &m); err == nil && m.Annotations != nil {
			data.Annotations = m.Annotations
		}
	}
	// Comment and health check exist only in the docker config format; an
	// OCI image's comment is its first history entry's (an import's message).
	if manifestType == v1.MediaTypeImageManifest && len(cfg.History) > 0 {
		data.Comment = cfg.History[0].Comment
	}
	if raw, err := src.ConfigBlob(ctx); err == nil {
		var dc manifest.Schema2V1Image
		if err := json.Unmarshal(raw, &dc); err == nil {
			if manifestType != v1.MediaTypeImageManifest {
				data.Comment = dc.Comment
			}
			data.HealthCheck = dc.ContainerConfig.Healthcheck
			if data.HealthCheck == nil && dc.Config != nil {
				data.HealthCheck = dc.Config.Healthcheck
			}
		}
	}
	if images, err := store.Images(); err == nil {
		if tree, err := newLayerTree(store, images); err == nil {
			data.Parent = tree.parent(img)
		}
	}
	return data, nil
}

// driverData returns the storage driver's name and its data (for overlay:
// LowerDir, UpperDir, WorkDir, MergedDir) for the image's top layer.
func driverData(store storage.Store, img *storage.Image) *DriverData {
	dd := &DriverData{Name: store.GraphDriverName(), Data: map[string]string{}}
	if img.TopLayer == "" {
		return dd
	}
	driver, err := store.GraphDriver()
	if err != nil {
		logrus.Debugf("graph driver: %v", err)
		return dd
	}
	meta, err := driver.Metadata(img.TopLayer)
	if err != nil {
		logrus.Debugf("driver data of layer %s: %v", img.TopLayer, err)
		return dd
	}
	if meta != nil {
		dd.Data = meta
	}
	return dd
}

// nonNil turns a nil slice into an empty one so that JSON prints [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Id returns the image id: --format templates may spell the field {{.Id}},
// as the JSON does, or {{.ID}}.
func (d *InspectData) Id() string {
	return d.ID
}
