package image

import (
	"errors"
	"fmt"
	"strings"

	"go.podman.io/image/v5/docker/reference"

	"github.com/pod-engine/pod/libpod/define"
)

// NormalizeName turns a name given to tag, commit or build into the name an
// image is stored under: a short name gets the "localhost/" prefix,
// docker.io names are normalized (docker.io/alpine → docker.io/library/alpine)
// and a missing tag becomes "latest". Digests are kept.
func NormalizeName(name string) (reference.Named, error) {
	ref, err := reference.Parse(name)
	if err != nil {
		return nil, badReference(name, err)
	}
	named, ok := ref.(reference.Named)
	if !ok {
		return nil, fmt.Errorf("%s: invalid reference format: a name is required%.0w", name, define.ErrBadReference)
	}
	if !hasDomain(named) {
		name = "localhost/" + name
	}
	named, err = reference.ParseNormalizedNamed(name)
	if err != nil {
		return nil, badReference(name, err)
	}
	return reference.TagNameOnly(named), nil
}

// hasDomain reports whether the unnormalized reference names a registry
// explicitly ("quay.io/x", "localhost/x", "host:5000/x"), as opposed to a
// short name ("alpine", "library/alpine").
func hasDomain(named reference.Named) bool {
	domain := reference.Domain(named)
	return strings.ContainsAny(domain, ".:") || domain == "localhost"
}

// badReference formats a reference parsing error on one line, naming the
// input, wrapping both the parser's error and define.ErrBadReference.
func badReference(name string, err error) error {
	if errors.Is(err, reference.ErrReferenceInvalidFormat) || strings.HasPrefix(err.Error(), "invalid reference format") {
		return fmt.Errorf("%s: %w%.0w", name, err, define.ErrBadReference)
	}
	return fmt.Errorf("%s: invalid reference format: %w%.0w", name, err, define.ErrBadReference)
}

// isHex reports whether s is a non-empty lowercase hexadecimal string.
func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// notKnown is the "image not known" error for name.
func notKnown(name string) error {
	return fmt.Errorf("%s: image not known%.0w", name, define.ErrNoSuchImage)
}
