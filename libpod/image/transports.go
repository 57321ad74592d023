package image

import (
	"context"
	"fmt"
	"strings"

	"go.podman.io/image/v5/directory"
	dockerarchive "go.podman.io/image/v5/docker/archive"
	"go.podman.io/image/v5/docker/reference"
	ociarchive "go.podman.io/image/v5/oci/archive"
	ocilayout "go.podman.io/image/v5/oci/layout"
	"go.podman.io/image/v5/signature"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
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
	p.retry = retryPolicy{} // local sources: a retry only reads the same file again
	srcRef, err := sourceTransport(transport).ParseReference(rest)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w%.0w", p.name, err, define.ErrBadReference)
	}
	src := sourceImage{ref: srcRef}
	switch transport {
	case ocilayout.Transport.Name(), ociarchive.Transport.Name():
		// "DIR:NAME": the optional NAME becomes localhost/NAME.
		if _, image, _ := strings.Cut(srcRef.StringWithinTransport(), ":"); image != "" {
			named, err := NormalizeName(image)
			if err != nil {
				return nil, fmt.Errorf("pull %w", err)
			}
			src.names = []reference.Named{named}
		}
	case dockerarchive.Transport.Name():
		reader, readerRef, err := dockerarchive.NewReaderForReference(p.sys, srcRef)
		if err != nil {
			return nil, pullError(p.name, err)
		}
		defer reader.Close()
		src.ref = readerRef
		if named := readerRef.DockerReference(); named != nil {
			src.names = []reference.Named{named}
		} else if tags, err := reader.ManifestTagsForReference(readerRef); err == nil && len(tags) > 0 {
			named, err := reference.ParseNormalizedNamed(tags[0])
			if err != nil {
				return nil, pullError(p.name, err)
			}
			src.names = []reference.Named{reference.TagNameOnly(named)}
		}
	}

	pc, err := policyContext(p.sys)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", p.name, err)
	}
	defer func() { _ = pc.Destroy() }()
	img, err := p.copySource(ctx, pc, src)
	if err != nil {
		return nil, pullError(p.name, err)
	}
	return img, nil
}

// sourceImage is one image of a non-registry source (a layout, an archive,
// a dir) and the names it is to be stored under; none stores it by id.
type sourceImage struct {
	ref   types.ImageReference
	names []reference.Named
}

// copySource copies src into the store under its first name (without one,
// under its id: the digest of its config), adds its other names, and
// returns the stored image. Layers the store already has are reused.
func (p *puller) copySource(ctx context.Context, pc *signature.PolicyContext, src sourceImage) (*storage.Image, error) {
	var destName reference.Named
	destID := ""
	if len(src.names) > 0 {
		destName = src.names[0]
	} else {
		// Without a name the image is stored, and found again, by its id.
		id, err := configID(ctx, p.sys, src.ref)
		if err != nil {
			return nil, err
		}
		destID = id
	}
	img, err := p.copy(ctx, pc, src.ref, destName, destID)
	if err != nil {
		return nil, err
	}
	if len(src.names) > 1 {
		more := make([]string, 0, len(src.names)-1)
		for _, n := range src.names[1:] {
			more = append(more, n.String())
		}
		if err := p.store.AddNames(img.ID, more); err != nil {
			return nil, fmt.Errorf("naming image %s: %w", img.ID, err)
		}
		img.Names = append(img.Names, more...)
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
