package image

import (
	"context"
	"fmt"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
	"go.podman.io/image/v5/directory"
	dockerarchive "go.podman.io/image/v5/docker/archive"
	"go.podman.io/image/v5/docker/reference"
	ociarchive "go.podman.io/image/v5/oci/archive"
	ocilayout "go.podman.io/image/v5/oci/layout"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"
)

// sourceTransport returns the image transport Pull accepts under name, or nil.
// Only these transports are linked, to keep the binary and its start-up small.
func sourceTransport(name string) types.ImageTransport {
	switch name {
	case ocilayout.Transport.Name():
		return ocilayout.Transport
	case ociarchive.Transport.Name():
		return ociarchive.Transport
	case dockerarchive.Transport.Name():
		return dockerarchive.Transport
	case directory.Transport.Name():
		return directory.Transport
	}
	return nil
}

// splitTransport splits "transport:rest" when transport is "docker" or one
// of the source transports Pull accepts.
func splitTransport(name string) (transport, rest string, ok bool) {
	transport, rest, ok = strings.Cut(name, ":")
	if !ok {
		return "", "", false
	}
	if transport == "docker" || sourceTransport(transport) != nil {
		return transport, rest, true
	}
	return "", "", false
}

// pullTransport copies an image from a non-registry source into the store.
func (p *puller) pullTransport(ctx context.Context, transport, rest string) (*storage.Image, error) {
	srcRef, err := sourceTransport(transport).ParseReference(rest)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w%.0w", p.name, err, define.ErrBadReference)
	}
	var destName reference.Named
	switch transport {
	case ocilayout.Transport.Name(), ociarchive.Transport.Name():
		// "DIR:NAME": the optional NAME becomes localhost/NAME.
		if _, image, _ := strings.Cut(srcRef.StringWithinTransport(), ":"); image != "" {
			if destName, err = NormalizeName(image); err != nil {
				return nil, fmt.Errorf("pull %w", err)
			}
		}
	case dockerarchive.Transport.Name():
		reader, readerRef, err := dockerarchive.NewReaderForReference(p.sys, srcRef)
		if err != nil {
			return nil, pullError(p.name, err)
		}
		defer reader.Close()
		srcRef = readerRef
		if named := readerRef.DockerReference(); named != nil {
			destName = named
		} else if tags, err := reader.ManifestTagsForReference(readerRef); err == nil && len(tags) > 0 {
			if destName, err = reference.ParseNormalizedNamed(tags[0]); err != nil {
				return nil, pullError(p.name, err)
			}
			destName = reference.TagNameOnly(destName)
		}
	}

	pc, err := policyContext(p.sys)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", p.name, err)
	}
	defer func() { _ = pc.Destroy() }()

	destID := ""
	if destName == nil {
		// Without a name the image is stored, and found again, by its id:
		// the digest of its config.
		if destID, err = configID(ctx, p.sys, srcRef); err != nil {
			return nil, pullError(p.name, err)
		}
	}
	img, err := p.copy(ctx, pc, srcRef, destName, destID)
	if err != nil {
		return nil, pullError(p.name, err)
	}
	return img, nil
}

// configID returns the hex digest of the config of the image at ref.
func configID(ctx context.Context, sys *types.SystemContext, ref types.ImageReference) (string, error) {
	src, err := ref.NewImage(ctx, sys)
	if err != nil {
		return "", err
	}
	defer src.Close()
	d := src.ConfigInfo().Digest
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("image config digest %q: %w", d, err)
	}
	return d.Encoded(), nil
}
