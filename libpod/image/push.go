package image

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/copy"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/manifest"
	"go.podman.io/image/v5/pkg/compression"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// PushOptions configure Push.
type PushOptions struct {
	System SystemOptions
	// Format is the manifest type written (--format): "oci", "v2s2",
	// "v2s1", or "" for the source's type (with the library's fallbacks).
	Format string
	// CompressionFormat compresses new layer blobs with "gzip", "zstd" or
	// "zstd:chunked"; "" means gzip.
	CompressionFormat string
	// CompressionLevel is the level of CompressionFormat; nil is its default.
	CompressionLevel *int
	// ForceCompression never reuses a blob compressed otherwise than
	// CompressionFormat (at the destination or known from earlier copies);
	// nil means true when CompressionFormat is set.
	ForceCompression *bool
	// DirCompress compresses layers written to a dir: destination.
	DirCompress bool
	// RemoveSignatures drops the signatures the image carries.
	RemoveSignatures bool
	// Retries is how many times a push that failed for a transient reason
	// (the registry unreachable, a 5xx answer) is tried again (--retry);
	// nil means DefaultPullRetries.
	Retries *uint
	// RetryDelay is the fixed delay between tries (--retry-delay); nil means
	// 1s, doubling after each try.
	RetryDelay *time.Duration
	// Quiet suppresses all progress output.
	Quiet bool
	// Progress receives progress output (as PullOptions.Progress).
	Progress io.Writer
}

// PushResult is what Push did.
type PushResult struct {
	// ID is the local image's id.
	ID string
	// Destination is the destination as the image library names it
	// ("docker://127.0.0.1:5000/x/y:latest", "oci:/dir:name").
	Destination string
	// Digest is the digest of the manifest written.
	Digest digest.Digest
}

// manifestType maps the --format of push and manifest push to a manifest
// MIME type: "" (keep the image's), oci, v2s2 (or docker) and, with
// schema1 (push of one image), v2s1.
func manifestType(format string, schema1 bool) (string, error) {
	switch f := strings.ToLower(format); {
	case f == "":
		return "", nil
	case f == "oci":
		return imgspecv1.MediaTypeImageManifest, nil
	case f == "v2s2" || f == "docker":
		return manifest.DockerV2Schema2MediaType, nil
	case f == "v2s1" && schema1:
		return manifest.DockerV2Schema1SignedMediaType, nil
	}
	choices := "oci or v2s2"
	if schema1 {
		choices = "oci, v2s2 or v2s1"
	}
	return "", fmt.Errorf("unknown manifest format %q: use --format %s%.0w", format, choices, define.ErrInvalidArg)
}

// Push copies the local image source (a name, id or id prefix) to dest, and
// returns the digest of the manifest written. dest is a registry reference
// (optionally "docker://..."; short names are normalized, docker.io/library,
// ":latest") or one of "oci:DIR[:NAME]", "oci-archive:FILE[:NAME]",
// "docker-archive:FILE[:NAME[:TAG]]", "dir:DIR". An empty dest is the
// source as given, which must then be a name. Only blobs the destination
// does not have are uploaded.
//
// Errors are one line naming the source and destination. They wrap
// define.ErrNoSuchImage when source is not a local image,
// define.ErrBadReference for a malformed destination, define.ErrInvalidArg
// for a bad option, and define.ErrRegistry when the registry cannot be
// reached or refuses (an authentication failure names `pod login`).
func Push(ctx context.Context, store storage.Store, source, dest string, o PushOptions) (*PushResult, error) {
	img, matched, err := lookup(store, source)
	if err != nil {
		return nil, err
	}
	if dest == "" {
		if matched == "" && !strings.Contains(source, "/") && strings.HasPrefix(img.ID, strings.TrimPrefix(source, "sha256:")) {
			return nil, fmt.Errorf("push %s: the image is given by id: name a destination (pod push %s REGISTRY/NAME[:TAG])%.0w", source, source, define.ErrInvalidArg)
		}
		dest = source
	}
	destRef, err := destinationReference(dest)
	if err != nil {
		return nil, fmt.Errorf("push %s to %w", source, err)
	}
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, fmt.Errorf("push %s: %w", source, err)
	}
	copyOpts, err := pushCopyOptions(sys, o)
	if err != nil {
		return nil, fmt.Errorf("push %s: %w", source, err)
	}
	retry, err := newRetryPolicy(o.Retries, o.RetryDelay)
	if err != nil {
		return nil, fmt.Errorf("push %s: %w", source, err)
	}
	if destRef.Transport().Name() != docker.Transport.Name() {
		retry = retryPolicy{} // local destinations: a retry only rewrites a half file
	}
	srcRef, err := istorage.Transport.NewStoreReference(store, nil, img.ID)
	if err != nil {
		return nil, fmt.Errorf("push %s: %w", source, err)
	}
	pc, err := policyContext(sys)
	if err != nil {
		return nil, fmt.Errorf("push %s: %w", source, err)
	}
	defer func() { _ = pc.Destroy() }()

	where := destRef.Transport().Name() + ":" + destRef.StringWithinTransport()
	var manifestBytes []byte
	err = retry.do(ctx, "push to "+where, func() error {
		var err error
		manifestBytes, err = copy.Image(ctx, pc, destRef, srcRef, copyOpts)
		return err
	})
	if err != nil {
		return nil, pushError(source, where, destRef, err)
	}
	d, err := manifest.Digest(manifestBytes)
	if err != nil {
		return nil, fmt.Errorf("push %s to %s: digest of the manifest written: %w", source, where, err)
	}
	return &PushResult{ID: img.ID, Destination: where, Digest: d}, nil
}

// pushCopyOptions turns o into the image library's copy options; sys becomes
// the destination's context, with o's compression.
func pushCopyOptions(sys *types.SystemContext, o PushOptions) (*copy.Options, error) {
	dst := *sys
	opts := &copy.Options{SourceCtx: sys, DestinationCtx: &dst, RemoveSignatures: o.RemoveSignatures}
	if o.Format != "" {
		mt, err := manifestType(o.Format, true)
		if err != nil {
			return nil, err
		}
		opts.ForceManifestMIMEType = mt
	}
	if o.CompressionFormat != "" {
		alg, err := compressionAlgorithm(o.CompressionFormat)
		if err != nil {
			return nil, err
		}
		dst.CompressionFormat = &alg
		opts.ForceCompressionFormat = o.ForceCompression == nil || *o.ForceCompression
	} else if o.ForceCompression != nil && *o.ForceCompression {
		// Forcing needs a format: the default one.
		alg := compression.Gzip
		dst.CompressionFormat = &alg
		opts.ForceCompressionFormat = true
	}
	if o.CompressionLevel != nil {
		lvl := *o.CompressionLevel
		dst.CompressionLevel = &lvl
	}
	dst.DirForceCompress = o.DirCompress
	if !o.Quiet && o.Progress != nil {
		opts.ReportWriter = progressWriter(o.Progress)
	}
	return opts, nil
}

// compressionAlgorithm returns the algorithm --compression-format names;
// only those the library can write.
func compressionAlgorithm(name string) (compression.Algorithm, error) {
	switch name {
	case compression.Gzip.Name(), compression.Zstd.Name(), compression.ZstdChunked.Name():
		return compression.AlgorithmByName(name)
	}
	return compression.Algorithm{}, fmt.Errorf("unsupported compression format %q: use --compression-format gzip, zstd or zstd:chunked%.0w", name, define.ErrInvalidArg)
}

// pushError formats a failed push on one line, wrapping the sentinel that
// classifies it; a registry refusing the credentials names the fix.
func pushError(source, where string, destRef types.ImageReference, err error) error {
	if named := destRef.DockerReference(); named != nil && destRef.Transport().Name() == "docker" && isUnauthorized(err) {
		host := reference.Domain(named)
		return fmt.Errorf("push %s to %s: %w: log in with `pod login %s` or pass --creds%.0w", source, where, err, host, define.ErrRegistry)
	}
	if isRegistryError(err) {
		return fmt.Errorf("push %s to %s: %w%.0w", source, where, err, define.ErrRegistry)
	}
	return fmt.Errorf("push %s to %s: %w", source, where, err)
}

// destinationReference parses a push destination: a transport reference
// (docker://, oci:, oci-archive:, docker-archive:, dir:) or a registry
// reference (normalized, ":latest" by default). The error names dest.
func destinationReference(dest string) (types.ImageReference, error) {
	if transport, rest, ok := splitTransport(dest); ok && transport != "docker" {
		ref, err := sourceTransport(transport).ParseReference(rest)
		if err != nil {
			return nil, fmt.Errorf("%s: %w%.0w", dest, err, define.ErrBadReference)
		}
		return ref, nil
	}
	named, err := reference.ParseNormalizedNamed(strings.TrimPrefix(dest, "docker://"))
	if err != nil {
		return nil, badReference(dest, err)
	}
	ref, err := docker.NewReference(reference.TagNameOnly(named))
	if err != nil {
		return nil, badReference(dest, err)
	}
	return ref, nil
}
