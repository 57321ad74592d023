package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	v1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/manifest"
	"go.podman.io/storage"
)

// buildCacheKey is the big-data item of an image made by a build step: the
// step's cache key (see StepOptions.CacheKey).
const buildCacheKey = "pod-build-cache-key"

// BuildBase is what a build stage starts from: an image's id and settings
// (the docker format's health check, shell and ONBUILD triggers included),
// or nothing for scratch.
type BuildBase struct {
	ID       string // "" for scratch
	Settings Settings
	Platform v1.Platform
	// Layers is the number of layers of the image.
	Layers int
}

// ReadBuildBase reads the settings of image id ("" is scratch: no
// settings, this machine's platform).
func ReadBuildBase(ctx context.Context, store storage.Store, id string) (*BuildBase, error) {
	if id == "" {
		return &BuildBase{Platform: v1.Platform{OS: runtime.GOOS, Architecture: runtime.GOARCH}}, nil
	}
	img, err := store.Image(id)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", id, err)
	}
	cfg, dc, err := readImageConfig(ctx, store, img, id, true)
	if err != nil {
		return nil, err
	}
	b := &BuildBase{ID: img.ID, Settings: settingsFromOCI(cfg.Config), Platform: cfg.Platform, Layers: len(cfg.RootFS.DiffIDs)}
	if c := dockerSettings(dc); c != nil {
		b.Settings.Healthcheck = c.Healthcheck
		b.Settings.Shell = slices.Clone(c.Shell)
		b.Settings.OnBuild = slices.Clone(c.OnBuild)
	}
	return b, nil
}

// StepOptions describe the image one build step makes.
type StepOptions struct {
	// ParentID is the image the step ran on ("" for scratch).
	ParentID string
	// Container and Layer are the storage container whose changes are the
	// step's new layer; both "" for a step that makes no layer.
	Container, Layer string
	// Settings are the whole config of the new image.
	Settings Settings
	// Platform is used when there is no parent.
	Platform v1.Platform
	// Format is FormatOCI ("" too) or FormatDocker.
	Format string
	// CreatedBy and Comment are the step's history entry.
	CreatedBy, Comment, Author string
	// CacheKey is stored with the image so that a later build finds it
	// (FindCachedStep); "" stores none.
	CacheKey string
	// Annotations go into an OCI manifest.
	Annotations map[string]string
	// Name names the new image (nil: untagged).
	Name reference.Named
}

// StoreStep stores the image of a build step: the parent's layers (shared,
// not copied), the step's new layer if it made one, the given config and
// the parent's history plus the step's entry (an empty layer when the step
// made no layer).
func StoreStep(ctx context.Context, store storage.Store, o StepOptions) (*storage.Image, error) {
	docker := o.Format == FormatDocker
	p := &imageParts{created: time.Now().UTC(), author: o.Author, platform: o.Platform, settings: o.Settings}
	var (
		layers     []blobLayer
		dockerBase *manifest.Schema2Image
	)
	if o.ParentID != "" {
		parent, err := store.Image(o.ParentID)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", o.ParentID, err)
		}
		var pcfg *v1.Image
		var dc *manifest.Schema2Image
		if pcfg, dc, err = readImageConfig(ctx, store, parent, o.ParentID, docker); err != nil {
			return nil, err
		}
		if dockerSettings(dc) != nil {
			dockerBase = dc
		}
		p.platform, p.history = pcfg.Platform, slices.Clone(pcfg.History)
		if parent.TopLayer != "" {
			if layers, err = layerChain(store, parent.TopLayer); err != nil {
				return nil, fmt.Errorf("layers of image %s: %w", o.ParentID, err)
			}
		}
	}
	if !docker {
		p.settings.OnBuild, p.settings.Healthcheck, p.settings.Shell = nil, nil, nil
	}
	entry := v1.History{Created: &p.created, CreatedBy: o.CreatedBy, Author: o.Author, Comment: o.Comment, EmptyLayer: o.Layer == ""}
	if o.Layer != "" {
		lf, err := containerLayerFile(store, CommitOptions{Container: o.Container, Layer: o.Layer})
		if err != nil {
			return nil, err
		}
		defer os.Remove(lf.path)
		layers = append(layers, blobLayer{digest: lf.digest, size: lf.size, open: lf.open})
	}
	p.history = append(p.history, entry)
	built, err := assemble(p, layers, docker, dockerBase)
	if err != nil {
		return nil, err
	}
	if len(o.Annotations) > 0 && !docker {
		var m v1.Manifest
		if err := json.Unmarshal(built.manifest, &m); err != nil {
			return nil, err
		}
		m.Annotations = o.Annotations
		if built.manifest, err = json.Marshal(m); err != nil {
			return nil, err
		}
	}
	img, err := built.store(ctx, store, o.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("storing the image: %w", err)
	}
	if o.CacheKey != "" {
		if err := store.SetImageBigData(img.ID, buildCacheKey, []byte(o.CacheKey), nil); err != nil {
			return nil, fmt.Errorf("recording the build cache of image %s: %w", img.ID, err)
		}
	}
	return img, nil
}

// FindCachedStep returns the id of the newest image a build step stored
// with key, or "" when there is none.
func FindCachedStep(store storage.Store, key string) (string, error) {
	images, err := store.Images()
	if err != nil {
		return "", fmt.Errorf("listing images: %w", err)
	}
	sortNewestFirst(images)
	for i := range images {
		if !slices.Contains(images[i].BigDataNames, buildCacheKey) {
			continue
		}
		data, err := store.ImageBigData(images[i].ID, buildCacheKey)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) || errors.Is(err, storage.ErrImageUnknown) {
				continue
			}
			return "", err
		}
		if string(data) == key {
			return images[i].ID, nil
		}
	}
	return "", nil
}
