package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/copy"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/manifest"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// classified formats err on one line after what, wrapping the sentinel that
// classifies a registry failure (define.ErrNoSuchImage, define.ErrRegistry).
func classified(what string, err error) error {
	if sentinel := classify(err); sentinel != nil {
		return fmt.Errorf("%s: %w%.0w", what, err, sentinel)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// ManifestPushOptions configure PushManifestList.
type ManifestPushOptions struct {
	System SystemOptions
	// All pushes every instance; without it only the instance for this
	// machine's platform is pushed with the list.
	All bool
	// Format is "" (keep the list's types), "oci" or "v2s2".
	Format           string
	RemoveSignatures bool
	Quiet            bool
	// Progress receives the copy's progress (nil: nothing).
	Progress io.Writer
}

// PushManifestList pushes the local list nameOrID and its instances to
// dest and returns the digest of the list as written. The instances are
// read from where they were added from: local images from storage, the
// others from their registries (blobs are copied, nothing is pulled).
func PushManifestList(ctx context.Context, store storage.Store, nameOrID, dest string, o ManifestPushOptions) (digest.Digest, error) {
	mt, err := manifestType(o.Format, false)
	if err != nil {
		return "", err
	}
	ml, err := LookupManifestList(store, nameOrID)
	if err != nil {
		return "", err
	}
	destRef, err := destinationReference(dest)
	if err != nil {
		return "", err
	}
	sys, err := SystemContext(o.System)
	if err != nil {
		return "", err
	}
	list, err := ml.Index.Serialize()
	if err != nil {
		return "", fmt.Errorf("push %s: %w", nameOrID, err)
	}
	pc, err := policyContext(sys)
	if err != nil {
		return "", fmt.Errorf("push %s: %w", nameOrID, err)
	}
	defer func() { _ = pc.Destroy() }()

	opts := &copy.Options{
		SourceCtx:             sys,
		DestinationCtx:        sys,
		ForceManifestMIMEType: mt,
		RemoveSignatures:      o.RemoveSignatures,
		ImageListSelection:    copy.CopyAllImages,
	}
	if !o.All {
		opts.ImageListSelection = copy.CopySpecificImages
		d, err := ml.Index.ChooseInstance(sys)
		if err != nil {
			return "", fmt.Errorf("push %s: no instance for this platform (%w): push them all with --all%.0w", nameOrID, err, define.ErrInvalidArg)
		}
		opts.Instances = []digest.Digest{d}
	}
	if !o.Quiet && o.Progress != nil {
		opts.ReportWriter = progressWriter(o.Progress)
	}
	srcRef := &listReference{store: store, ml: ml, list: list, listName: nameOrID}
	written, err := copy.Image(ctx, pc, destRef, srcRef, opts)
	if err != nil {
		return "", classified("push "+nameOrID+" to "+dest, err)
	}
	return manifest.Digest(written)
}

// listTransport names the in-memory source of a list push.
type listTransport struct{}

func (listTransport) Name() string { return "pod-manifest-list" }

func (listTransport) ParseReference(string) (types.ImageReference, error) {
	return nil, errors.New("a manifest list source cannot be parsed")
}

func (listTransport) ValidatePolicyConfigurationScope(string) error { return nil }

// listReference is a local manifest list as a copy source: the list from
// storage, and each instance from its own source.
type listReference struct {
	store    storage.Store
	ml       *ManifestList
	list     []byte
	listName string
}

func (r *listReference) Transport() types.ImageTransport         { return listTransport{} }
func (r *listReference) StringWithinTransport() string           { return r.ml.ID }
func (r *listReference) DockerReference() reference.Named        { return nil }
func (r *listReference) PolicyConfigurationIdentity() string     { return "" }
func (r *listReference) PolicyConfigurationNamespaces() []string { return nil }

func (r *listReference) NewImage(context.Context, *types.SystemContext) (types.ImageCloser, error) {
	return nil, errors.New("a manifest list is not an image")
}

func (r *listReference) NewImageSource(_ context.Context, sys *types.SystemContext) (types.ImageSource, error) {
	return &listSource{ref: r, sys: sys, instances: map[digest.Digest]types.ImageSource{}, blobs: map[digest.Digest]types.ImageSource{}}, nil
}

func (r *listReference) NewImageDestination(context.Context, *types.SystemContext) (types.ImageDestination, error) {
	return nil, errors.New("a manifest list source cannot be written")
}

func (r *listReference) DeleteImage(context.Context, *types.SystemContext) error {
	return errors.New("a manifest list source cannot be deleted")
}

// listSource serves the list's manifest itself and delegates each
// instance's manifest, layer infos, signatures and blobs to the instance's
// own source. A blob is served by the source of the instance whose
// manifest or layer infos named it.
type listSource struct {
	ref *listReference
	sys *types.SystemContext

	mu        sync.Mutex
	instances map[digest.Digest]types.ImageSource
	blobs     map[digest.Digest]types.ImageSource
}

func (s *listSource) Reference() types.ImageReference { return s.ref }

func (s *listSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, src := range s.instances {
		errs = append(errs, src.Close())
	}
	return errors.Join(errs...)
}

// instance opens (once) the source of the instance d.
func (s *listSource) instance(ctx context.Context, d digest.Digest) (types.ImageSource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if src, ok := s.instances[d]; ok {
		return src, nil
	}
	name := s.ref.listName
	source, ok := s.ref.ml.Sources[d]
	var ref types.ImageReference
	var err error
	switch {
	case !ok:
		return nil, fmt.Errorf("manifest list %s: instance %s has no recorded source: remove it and add the image again", name, d)
	case strings.HasPrefix(source, sourceDocker):
		ref, err = docker.ParseReference(strings.TrimPrefix(source, "docker:"))
	case strings.HasPrefix(source, sourceStorage):
		id := strings.TrimPrefix(source, sourceStorage)
		if _, err := s.ref.store.Image(id); err != nil {
			return nil, fmt.Errorf("manifest list %s: instance %s was added from local image %s, which no longer exists: remove the instance and add the image again%.0w",
				name, d, shortIDs([]string{id}), define.ErrNoSuchImage)
		}
		ref, err = istorage.Transport.NewStoreReference(s.ref.store, nil, id)
	default:
		return nil, fmt.Errorf("manifest list %s: instance %s has an unknown source %q", name, d, source)
	}
	if err != nil {
		return nil, fmt.Errorf("manifest list %s: instance %s: %w", name, d, err)
	}
	src, err := ref.NewImageSource(ctx, s.sys)
	if err != nil {
		return nil, fmt.Errorf("manifest list %s: instance %s: %w", name, d, err)
	}
	s.instances[d] = src
	return src, nil
}

func (s *listSource) noteBlobs(src types.ImageSource, digests ...digest.Digest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range digests {
		if d != "" {
			s.blobs[d] = src
		}
	}
}

func (s *listSource) GetManifest(ctx context.Context, instanceDigest *digest.Digest) ([]byte, string, error) {
	if instanceDigest == nil {
		return s.ref.list, imgspecv1.MediaTypeImageIndex, nil
	}
	src, err := s.instance(ctx, *instanceDigest)
	if err != nil {
		return nil, "", err
	}
	b, mt, err := src.GetManifest(ctx, nil)
	if err != nil {
		return nil, "", err
	}
	if got, err := manifest.Digest(b); err != nil || got != *instanceDigest {
		return nil, "", fmt.Errorf("manifest list %s: instance %s now has manifest %s: remove the instance and add the image again",
			s.ref.listName, *instanceDigest, got)
	}
	m, err := manifest.FromBlob(b, mt)
	if err != nil {
		return nil, "", fmt.Errorf("manifest list %s: instance %s: %w", s.ref.listName, *instanceDigest, err)
	}
	digests := []digest.Digest{m.ConfigInfo().Digest}
	for _, l := range m.LayerInfos() {
		digests = append(digests, l.Digest)
	}
	s.noteBlobs(src, digests...)
	return b, mt, nil
}

func (s *listSource) LayerInfosForCopy(ctx context.Context, instanceDigest *digest.Digest) ([]types.BlobInfo, error) {
	if instanceDigest == nil {
		return nil, nil
	}
	src, err := s.instance(ctx, *instanceDigest)
	if err != nil {
		return nil, err
	}
	infos, err := src.LayerInfosForCopy(ctx, nil)
	if err != nil {
		return nil, err
	}
	for _, l := range infos {
		s.noteBlobs(src, l.Digest)
	}
	return infos, nil
}

func (s *listSource) GetSignatures(ctx context.Context, instanceDigest *digest.Digest) ([][]byte, error) {
	if instanceDigest == nil {
		return nil, nil
	}
	src, err := s.instance(ctx, *instanceDigest)
	if err != nil {
		return nil, err
	}
	return src.GetSignatures(ctx, nil)
}

func (s *listSource) HasThreadSafeGetBlob() bool { return false }

func (s *listSource) GetBlob(ctx context.Context, info types.BlobInfo, cache types.BlobInfoCache) (io.ReadCloser, int64, error) {
	s.mu.Lock()
	src := s.blobs[info.Digest]
	s.mu.Unlock()
	if src == nil {
		return nil, -1, fmt.Errorf("manifest list %s: blob %s belongs to no instance read so far", s.ref.listName, info.Digest)
	}
	return src.GetBlob(ctx, info, cache)
}

// InspectRemoteManifestList reads the list name from its registry and
// returns its inspect document. An image that is not a list wraps
// define.ErrNotManifestList; a registry failure is classified as a pull's.
func InspectRemoteManifestList(ctx context.Context, name string, o SystemOptions) (*ManifestListJSON, error) {
	rest := strings.TrimPrefix(name, "docker://")
	named, err := reference.ParseNormalizedNamed(rest)
	if err != nil {
		return nil, badReference(name, err)
	}
	named = reference.TagNameOnly(named)
	ref, err := docker.NewReference(named)
	if err != nil {
		return nil, badReference(name, err)
	}
	sys, err := SystemContext(o)
	if err != nil {
		return nil, err
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
	if !manifest.MIMETypeIsMultiImage(mt) {
		return nil, fmt.Errorf("%s: %w", named, define.ErrNotManifestList)
	}
	list, err := manifest.ListFromBlob(b, mt)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", named, err)
	}
	index := emptyIndex()
	for _, d := range list.Instances() {
		u, err := list.Instance(d)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", named, err)
		}
		index.Manifests = append(index.Manifests, listDescriptor(d, u))
	}
	return listJSON(index), nil
}
