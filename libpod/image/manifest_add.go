package image

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	cimage "go.podman.io/image/v5/image"
	"go.podman.io/image/v5/manifest"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// ManifestAddOptions configure ResolveManifestInstances.
type ManifestAddOptions struct {
	System SystemOptions
	// All adds every instance of an image that is itself a list; without
	// it, the instance for the platform of Overrides (or this machine) is
	// chosen.
	All       bool
	Overrides InstanceOverrides
}

// ResolveManifestInstances reads what adding name to a list adds, without
// storing anything: the descriptor (digest, size, media type and the
// platform from the image's config) and the source of each instance.
//
// name is "docker://REF" (read from a registry: the manifest and config
// are fetched, nothing is pulled), "containers-storage:NAME" (a local
// image), or a bare reference: read from the registry, or, when that fails
// or the name is an image id, from the local image it names.
func ResolveManifestInstances(ctx context.Context, store storage.Store, name string, o ManifestAddOptions) ([]Instance, error) {
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, err
	}
	if rest, ok := strings.CutPrefix(name, sourceStorage); ok {
		img, err := Lookup(store, rest)
		if err != nil {
			return nil, err
		}
		return localInstances(ctx, store, sys, img, o)
	}
	explicit := false
	rest := name
	if r, ok := strings.CutPrefix(name, "docker://"); ok {
		rest, explicit = r, true
	}
	if !explicit && isIDReference(name) {
		img, err := Lookup(store, name)
		if err != nil {
			return nil, err
		}
		return localInstances(ctx, store, sys, img, o)
	}
	named, err := reference.ParseNormalizedNamed(rest)
	if err != nil {
		if !explicit {
			if img, lerr := Lookup(store, name); lerr == nil {
				return localInstances(ctx, store, sys, img, o)
			}
		}
		return nil, badReference(name, err)
	}
	instances, err := registryInstances(ctx, sys, reference.TagNameOnly(named), o)
	if err == nil || explicit {
		return instances, err
	}
	img, lerr := Lookup(store, name)
	if lerr != nil {
		return nil, err
	}
	logrus.Debugf("manifest add %s: the registry failed (%v): using the local image %s", name, err, img.ID)
	return localInstances(ctx, store, sys, img, o)
}

// choiceContext is sys with the platform of the overrides as the choice for
// picking an instance out of a list.
func choiceContext(sys *types.SystemContext, o InstanceOverrides) *types.SystemContext {
	c := *sys
	Platform{OS: o.OS, Arch: o.Arch, Variant: o.Variant}.apply(&c)
	return &c
}

// registryInstances reads the instances of named from its registry.
func registryInstances(ctx context.Context, sys *types.SystemContext, named reference.Named, o ManifestAddOptions) ([]Instance, error) {
	ref, err := docker.NewReference(named)
	if err != nil {
		return nil, badReference(named.String(), err)
	}
	src, err := ref.NewImageSource(ctx, sys)
	if err != nil {
		return nil, classified("reading "+named.String(), err)
	}
	defer src.Close()
	b, mt, err := src.GetManifest(ctx, nil)
	if err != nil {
		return nil, classified("reading "+named.String(), err)
	}
	repo := reference.TrimNamed(named)
	source := func(d digest.Digest) string {
		c, _ := reference.WithDigest(repo, d)
		return sourceDocker + c.String()
	}
	if manifest.MIMETypeIsMultiImage(mt) {
		list, err := manifest.ListFromBlob(b, mt)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", named, err)
		}
		if o.All {
			var out []Instance
			for _, d := range list.Instances() {
				u, err := list.Instance(d)
				if err != nil {
					return nil, fmt.Errorf("reading %s: %w", named, err)
				}
				out = append(out, Instance{Descriptor: listDescriptor(d, u), Source: source(d)})
			}
			return out, nil
		}
		// One instance: the list describes it (its platform, with the
		// variant the config may lack).
		d, err := list.ChooseInstance(choiceContext(sys, o.Overrides))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", named, err)
		}
		u, err := list.Instance(d)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", named, err)
		}
		return []Instance{{Descriptor: listDescriptor(d, u), Source: source(d)}}, nil
	}
	desc, err := imageDescriptor(ctx, sys, src, nil, b, mt)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", named, err)
	}
	return []Instance{{Descriptor: desc, Source: source(desc.Digest)}}, nil
}

// listDescriptor is the descriptor of instance d as a list describes it.
func listDescriptor(d digest.Digest, u manifest.ListUpdate) imgspecv1.Descriptor {
	desc := imgspecv1.Descriptor{MediaType: u.MediaType, Digest: d, Size: u.Size}
	if p := u.ReadOnly.Platform; p != nil {
		c := *p
		c.OSFeatures = slices.Clone(p.OSFeatures)
		desc.Platform = &c
	}
	if len(u.ReadOnly.Annotations) > 0 {
		desc.Annotations = maps.Clone(u.ReadOnly.Annotations)
	}
	return desc
}

// imageDescriptor describes the single image whose manifest b (of type mt)
// src returned, with the platform of its config.
func imageDescriptor(ctx context.Context, sys *types.SystemContext, src types.ImageSource, instance *digest.Digest, b []byte, mt string) (imgspecv1.Descriptor, error) {
	d, err := manifest.Digest(b)
	if err != nil {
		return imgspecv1.Descriptor{}, err
	}
	img, err := cimage.FromUnparsedImage(ctx, sys, cimage.UnparsedInstance(src, instance))
	if err != nil {
		return imgspecv1.Descriptor{}, err
	}
	cfg, err := img.OCIConfig(ctx)
	if err != nil {
		return imgspecv1.Descriptor{}, fmt.Errorf("reading the image config: %w", err)
	}
	return imgspecv1.Descriptor{
		MediaType: mt,
		Digest:    d,
		Size:      int64(len(b)),
		Platform: &imgspecv1.Platform{
			Architecture: cfg.Architecture,
			OS:           cfg.OS,
			OSVersion:    cfg.OSVersion,
			OSFeatures:   slices.Clone(cfg.OSFeatures),
			Variant:      cfg.Variant,
		},
	}, nil
}

// localInstances describes the local image img: a single image, or the
// instances of a local manifest list (all of them, or the one for the
// chosen platform).
func localInstances(ctx context.Context, store storage.Store, sys *types.SystemContext, img *storage.Image, o ManifestAddOptions) ([]Instance, error) {
	if isManifestList(store, img) {
		ml, err := loadManifestList(store, img)
		if err != nil {
			return nil, err
		}
		var out []Instance
		for _, m := range ml.Index.Manifests {
			out = append(out, Instance{Descriptor: m, Source: ml.Sources[m.Digest]})
		}
		if o.All {
			return out, nil
		}
		d, err := ml.Index.ChooseInstance(choiceContext(sys, o.Overrides))
		if err != nil {
			return nil, fmt.Errorf("manifest list %s: %w", ml.name(), err)
		}
		for _, in := range out {
			if in.Descriptor.Digest == d {
				return []Instance{in}, nil
			}
		}
		return nil, fmt.Errorf("manifest list %s: no instance %s%.0w", ml.name(), d, define.ErrNoSuchImage)
	}
	ref, err := istorage.Transport.NewStoreReference(store, nil, img.ID)
	if err != nil {
		return nil, err
	}
	src, err := ref.NewImageSource(ctx, sys)
	if err != nil {
		return nil, fmt.Errorf("reading local image %s: %w", img.ID, err)
	}
	defer src.Close()
	b, mt, err := src.GetManifest(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading local image %s: %w", img.ID, err)
	}
	desc, err := imageDescriptor(ctx, sys, src, nil, b, mt)
	if err != nil {
		return nil, fmt.Errorf("reading local image %s: %w", img.ID, err)
	}
	return []Instance{{Descriptor: desc, Source: sourceStorage + img.ID}}, nil
}

// AddManifestInstances adds instances (from ResolveManifestInstances) to
// the local list nameOrID with the overrides applied, and returns the
// list's id.
func AddManifestInstances(store storage.Store, nameOrID string, instances []Instance, o InstanceOverrides) (string, error) {
	ml, err := LookupManifestList(store, nameOrID)
	if err != nil {
		return "", err
	}
	if err := ml.addInstances(instances, o); err != nil {
		return "", err
	}
	return ml.ID, ml.save(store)
}
