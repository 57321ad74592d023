package image

import (
	"context"
	"encoding/json"
	"fmt"

	v1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/manifest"
	"go.podman.io/storage"
)

// readImageConfig reads the OCI config of img (name names it in errors)
// and, with withDocker, its config blob as a Docker one: that keeps what
// the OCI config has no room for (health check, shell, ONBUILD). The
// Docker config is nil when not asked for or unreadable; see dockerSettings.
func readImageConfig(ctx context.Context, store storage.Store, img *storage.Image, name string, withDocker bool) (*v1.Image, *manifest.Schema2Image, error) {
	src, err := openImage(ctx, store, img)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	cfg, err := src.OCIConfig(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the config of image %s: %w", name, err)
	}
	if !withDocker {
		return cfg, nil, nil
	}
	if raw, err := src.ConfigBlob(ctx); err == nil {
		var dc manifest.Schema2Image
		if json.Unmarshal(raw, &dc) == nil {
			return cfg, &dc, nil
		}
	}
	return cfg, nil, nil
}

// dockerSettings returns the config section of a Docker config from
// readImageConfig, nil when there is none.
func dockerSettings(dc *manifest.Schema2Image) *manifest.Schema2Config {
	if dc == nil {
		return nil
	}
	return dc.Config
}
