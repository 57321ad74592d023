package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/copy"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/pkg/shortnames"
	"go.podman.io/image/v5/signature"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/transports"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"
	"golang.org/x/term"

	"github.com/pod-engine/pod/libpod/define"
)

// PullPolicy says when Pull contacts a registry.
type PullPolicy string

const (
	// PullAlways pulls even when the image is present (layers are reused).
	PullAlways PullPolicy = "always"
	// PullMissing pulls only when no local image matches the name.
	PullMissing PullPolicy = "missing"
	// PullNever never pulls; a missing image is an error wrapping
	// define.ErrPullNever.
	PullNever PullPolicy = "never"
	// PullNewer pulls when the registry's manifest digest differs from the
	// local image's; if the registry cannot be asked, the local image is used.
	PullNewer PullPolicy = "newer"
)

// ParsePullPolicy parses --pull. It accepts the policy names in any case and
// the aliases "ifmissing", "ifnotpresent" (missing) and "ifnewer" (newer);
// "" means missing.
func ParsePullPolicy(s string) (PullPolicy, error) {
	switch strings.ToLower(s) {
	case "always":
		return PullAlways, nil
	case "missing", "ifmissing", "ifnotpresent", "":
		return PullMissing, nil
	case "never":
		return PullNever, nil
	case "newer", "ifnewer":
		return PullNewer, nil
	}
	return "", fmt.Errorf("unsupported pull policy %q: must be always, missing, newer or never: %w", s, define.ErrInvalidArg)
}

// PullOptions configure Pull.
type PullOptions struct {
	System SystemOptions
	// Policy is the pull policy; "" means PullMissing.
	Policy PullPolicy
	// Quiet suppresses all progress output.
	Quiet bool
	// Progress receives progress output (normally os.Stderr). The image
	// library draws progress bars when it is an *os.File on a terminal and
	// prints one "Copying blob ..." line per blob otherwise. nil prints
	// nothing.
	Progress io.Writer
	// Platform chooses the image of a multi-architecture index (--platform,
	// --os, --arch, --variant); empty: the host's. With the missing and newer
	// policies a local image built for another platform does not count.
	Platform PlatformOptions
	// Retries is how many times a registry pull that failed for a transient
	// reason is tried again (--retry); nil means DefaultPullRetries.
	Retries *uint
	// RetryDelay is the fixed delay between tries (--retry-delay); nil means
	// 1s doubling after every try.
	RetryDelay *time.Duration
}

// Pull makes the image name available in store and returns it.
//
// name is a registry reference (short names are resolved through
// registries.conf: aliases, unqualified-search registries, short-name mode),
// optionally prefixed with "docker://", or a transport-qualified source:
// "oci:DIR[:NAME]", "oci-archive:FILE[:NAME]", "docker-archive:FILE[:NAME]"
// or "dir:DIR", or an image id ("sha256:<hex>" or 64 hex digits), which is
// only looked up locally. Images from oci and oci-archive sources are stored as
// localhost/NAME (or by id only when no NAME is given); the pull policy only
// applies to registry references.
//
// Errors are one line and name the input. They wrap define.ErrBadReference
// for a malformed name, define.ErrPullNever for a missing image under
// PullNever, define.ErrNoSuchImage when the registry does not know the image,
// and define.ErrRegistry when the registry cannot be reached or refuses.
func Pull(ctx context.Context, store storage.Store, name string, o PullOptions) (*storage.Image, error) {
	policy := o.Policy
	switch policy {
	case "":
		policy = PullMissing
	case PullAlways, PullMissing, PullNever, PullNewer:
	default:
		return nil, fmt.Errorf("pull %s: unsupported pull policy %q: %w", name, policy, define.ErrInvalidArg)
	}
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	platform, err := ParsePlatform(o.Platform)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	platform.apply(sys)
	retry, err := newRetryPolicy(o.Retries, o.RetryDelay)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	p := &puller{store: store, sys: sys, name: name, platform: platform, retry: retry}
	if o.Quiet || o.Progress == nil {
		p.out = io.Discard
	} else {
		p.out = progressWriter(o.Progress)
	}

	if transport, rest, ok := splitTransport(name); ok {
		if transport != "docker" {
			return p.pullTransport(ctx, transport, rest)
		}
		// "docker:tag" without "//" is the image named docker.
		if ref, ok := strings.CutPrefix(rest, "//"); ok {
			name = ref
		}
	}
	if isIDReference(name) {
		// An image id names a local image only: there is nothing to pull.
		return Lookup(store, name)
	}
	return p.pullRegistry(ctx, dropTagBeforeDigest(name), policy)
}

// dropTagBeforeDigest turns "name:tag@digest" into "name@digest": the digest
// alone names the image (the tag is not checked and not stored). Anything
// else is returned as it is.
func dropTagBeforeDigest(name string) string {
	ref, err := reference.Parse(name)
	if err != nil {
		return name
	}
	named, isNamed := ref.(reference.Named)
	_, tagged := ref.(reference.Tagged)
	d, digested := ref.(reference.Digested)
	if !isNamed || !tagged || !digested {
		return name
	}
	return named.Name() + "@" + d.Digest().String()
}

// isIDReference reports whether name is "sha256:<hex>" or a full 64-digit id.
func isIDReference(name string) bool {
	if id, ok := strings.CutPrefix(name, "sha256:"); ok {
		return isHex(id)
	}
	return len(name) == 64 && isHex(name)
}

// puller carries the state of one Pull call.
type puller struct {
	store storage.Store
	sys   *types.SystemContext
	name  string // the user's input, for error messages
	out   io.Writer
	// platform is the platform asked for (zero: the host's, any local image).
	platform Platform
	retry    retryPolicy
}

// pullRegistry pulls a registry reference according to policy.
func (p *puller) pullRegistry(ctx context.Context, name string, policy PullPolicy) (*storage.Image, error) {
	if _, err := reference.ParseNormalizedNamed(name); err != nil {
		return nil, fmt.Errorf("pull %w", badReference(p.name, err))
	}

	var local *storage.Image
	if policy != PullAlways {
		img, err := Lookup(p.store, name)
		if err == nil && policy != PullNever && !p.platform.IsZero() && !p.platform.matches(ctx, p.store, img) {
			logrus.Debugf("pull %s: local image %s is not for the platform asked for", p.name, img.ID)
			img, err = nil, notKnown(name)
		}
		switch {
		case err == nil && policy != PullNewer:
			return img, nil
		case err == nil:
			local = img
		case !errors.Is(err, define.ErrNoSuchImage):
			return nil, err
		case policy == PullNever:
			return nil, fmt.Errorf("%s: image not known%.0w%.0w", p.name, define.ErrPullNever, define.ErrNoSuchImage)
		}
	}

	resolved, err := shortnames.Resolve(p.sys, name)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", p.name, err)
	}
	if desc := resolved.Description(); desc != "" {
		fmt.Fprintln(p.out, desc)
	}
	pc, err := policyContext(p.sys)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", p.name, err)
	}
	defer func() { _ = pc.Destroy() }()

	var firstErr error
	for _, candidate := range resolved.PullCandidates {
		named := reference.TagNameOnly(candidate.Value)
		srcRef, err := docker.NewReference(named)
		if err != nil {
			return nil, fmt.Errorf("pull %s: %w", p.name, err)
		}
		if local != nil {
			same, err := sameDigest(ctx, p.sys, srcRef, local)
			if err != nil {
				logrus.Debugf("pull %s: checking %s for a newer image: %v", p.name, named, err)
				firstErr = firstError(firstErr, err)
				continue
			}
			if same {
				logrus.Debugf("pull %s: %s is not newer than the local image", p.name, named)
				continue
			}
		}
		fmt.Fprintf(p.out, "Trying to pull %s...\n", named)
		img, err := p.copy(ctx, pc, srcRef, named, "")
		if err != nil {
			logrus.Debugf("pull %s: candidate %s: %v", p.name, named, err)
			firstErr = firstError(firstErr, err)
			continue
		}
		if err := candidate.Record(); err != nil {
			logrus.Warnf("pull %s: %v", p.name, err)
		}
		return img, nil
	}
	if local != nil {
		return local, nil
	}
	if firstErr == nil {
		return nil, notKnown(p.name)
	}
	return nil, pullError(p.name, firstErr)
}

func firstError(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// sameDigest reports whether the registry's manifest digest for srcRef is one
// of local's manifest digests.
func sameDigest(ctx context.Context, sys *types.SystemContext, srcRef types.ImageReference, local *storage.Image) (bool, error) {
	d, err := docker.GetDigest(ctx, sys, srcRef)
	if err != nil {
		return false, err
	}
	return hasDigest(local, d), nil
}

// copy copies srcRef into the store under destName (may be nil) and, when
// destID is set, under that image id, and returns the stored image.
func (p *puller) copy(ctx context.Context, pc *signature.PolicyContext, srcRef types.ImageReference, destName reference.Named, destID string) (*storage.Image, error) {
	destRef, err := istorage.Transport.NewStoreReference(p.store, destName, destID)
	if err != nil {
		return nil, err
	}
	opts := &copy.Options{SourceCtx: p.sys, DestinationCtx: p.sys}
	if p.out != io.Discard {
		opts.ReportWriter = p.out
	}
	var dest types.ImageReference = destRef
	if locks, err := newBlobLocks(p.store); err != nil {
		logrus.Debugf("pull %s: no blob locks: %v", p.name, err)
	} else {
		dest = lockingRef{ImageReference: destRef, locks: locks}
	}
	err = p.retry.do(ctx, "pull "+transports.ImageName(srcRef), func() error {
		_, err := copy.Image(ctx, pc, dest, srcRef, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	img, err := istorage.Transport.GetStoreImage(p.store, destRef)
	if err != nil {
		return nil, fmt.Errorf("reading the pulled image: %w", err)
	}
	return img, nil
}

// progressWriter returns w, or w hidden behind a plain io.Writer when it is
// a terminal that reports no width: the image library draws progress bars
// only on an *os.File terminal, and draws nothing at all at width 0, so such
// a terminal gets the plain "Copying blob ..." lines instead.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return w
	}
	if width, _, err := term.GetSize(int(f.Fd())); err != nil || width <= 0 {
		return struct{ io.Writer }{f}
	}
	return w
}

// pullError formats a failed pull on one line and wraps the sentinel that
// classifies it.
func pullError(name string, err error) error {
	if sentinel := classify(err); sentinel != nil {
		return fmt.Errorf("pull %s: %w%.0w", name, err, sentinel)
	}
	return fmt.Errorf("pull %s: %w", name, err)
}
