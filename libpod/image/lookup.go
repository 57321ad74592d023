package image

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/opencontainers/go-digest"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// Lookup finds a local image. nameOrID may be
//   - a full image id, a unique id prefix, or either prefixed by "sha256:";
//   - a name exactly as stored ("docker.io/library/alpine:latest");
//   - a short name ("alpine", "alpine:3", "library/alpine"), matched first as
//     "localhost/<name>", then docker.io-normalized, then against any stored
//     name whose repository ends in "/<name>" (default tag "latest");
//   - a digest reference ("alpine@sha256:...", "quay.io/x/y@sha256:...").
//
// An unknown image is an error wrapping define.ErrNoSuchImage
// ("alpine:nosuch: image not known"); an id prefix shared by several images
// wraps define.ErrAmbiguousID; a malformed name wraps define.ErrBadReference.
func Lookup(store storage.Store, nameOrID string) (*storage.Image, error) {
	img, _, err := lookup(store, nameOrID)
	return img, err
}

// lookup is Lookup that also returns the stored name the input matched,
// or "" when it matched by id or digest.
func lookup(store storage.Store, nameOrID string) (*storage.Image, string, error) {
	if nameOrID == "" {
		return nil, "", fmt.Errorf("image name or id must not be empty: %w", define.ErrInvalidArg)
	}
	images, err := store.Images()
	if err != nil {
		return nil, "", fmt.Errorf("listing images: %w", err)
	}
	sortNewestFirst(images)
	return match(images, nameOrID)
}

// sortNewestFirst orders images by creation time, newest first, then by id.
func sortNewestFirst(images []storage.Image) {
	sort.SliceStable(images, func(i, j int) bool {
		if !images[i].Created.Equal(images[j].Created) {
			return images[i].Created.After(images[j].Created)
		}
		return images[i].ID < images[j].ID
	})
}

// match resolves input against images (sorted newest first).
func match(images []storage.Image, input string) (*storage.Image, string, error) {
	// sha256:<id or prefix> always means an id.
	if id, ok := strings.CutPrefix(input, "sha256:"); ok {
		if !isHex(id) {
			return nil, "", notKnown(input)
		}
		img, err := matchIDPrefix(images, id, input)
		if err != nil {
			return nil, "", err
		}
		if img == nil {
			return nil, "", notKnown(input)
		}
		return img, "", nil
	}
	if len(input) == 64 && isHex(input) {
		for i := range images {
			if images[i].ID == input {
				return &images[i], "", nil
			}
		}
		return nil, "", notKnown(input)
	}
	// A name exactly as stored.
	for i := range images {
		if slices.Contains(images[i].Names, input) {
			return &images[i], input, nil
		}
	}

	ref, err := reference.Parse(input)
	if err != nil {
		if isHex(input) {
			return idPrefixOrUnknown(images, input)
		}
		return nil, "", badReference(input, err)
	}
	named, ok := ref.(reference.Named)
	if !ok { // a bare digest such as "@sha256:..." is not a name
		return nil, "", notKnown(input)
	}

	// Fully-qualified candidates: localhost/<short>, then docker.io.
	var candidates []reference.Named
	if !hasDomain(named) {
		if c, err := reference.ParseNormalizedNamed("localhost/" + input); err == nil {
			candidates = append(candidates, reference.TagNameOnly(c))
		}
	}
	if c, err := reference.ParseNormalizedNamed(input); err == nil {
		candidates = append(candidates, reference.TagNameOnly(c))
	}
	for _, c := range candidates {
		if img, name := matchNamed(images, c); img != nil {
			return img, name, nil
		}
	}

	// A short id prefix: only when the input is nothing but hex digits.
	if isHex(input) {
		img, err := matchIDPrefix(images, input, input)
		if err != nil {
			return nil, "", err
		}
		if img != nil {
			return img, "", nil
		}
	}

	// Short names also match any registry's repository ending in /<name>.
	if !hasDomain(named) {
		if img, name := matchSuffix(images, named); img != nil {
			return img, name, nil
		}
	}
	return nil, "", notKnown(input)
}

func idPrefixOrUnknown(images []storage.Image, input string) (*storage.Image, string, error) {
	img, err := matchIDPrefix(images, input, input)
	if err != nil {
		return nil, "", err
	}
	if img == nil {
		return nil, "", notKnown(input)
	}
	return img, "", nil
}

// matchIDPrefix returns the one image whose id starts with prefix, nil when
// none does, and an error wrapping define.ErrAmbiguousID when several do.
func matchIDPrefix(images []storage.Image, prefix, input string) (*storage.Image, error) {
	var found *storage.Image
	var ids []string
	for i := range images {
		if strings.HasPrefix(images[i].ID, prefix) {
			if found == nil {
				found = &images[i]
			}
			ids = append(ids, images[i].ID[:12])
		}
	}
	if len(ids) > 1 {
		return nil, fmt.Errorf("image %s matches %d images (%s): use more characters: %w",
			input, len(ids), strings.Join(ids, ", "), define.ErrAmbiguousID)
	}
	return found, nil
}

// matchNamed finds the image stored under the fully-qualified reference c:
// by exact name, or for a digest reference by manifest digest within the
// same repository.
func matchNamed(images []storage.Image, c reference.Named) (*storage.Image, string) {
	want := c.String()
	for i := range images {
		if slices.Contains(images[i].Names, want) {
			return &images[i], want
		}
	}
	d, ok := c.(reference.Digested)
	if !ok {
		return nil, ""
	}
	repo := c.Name()
	for i := range images {
		if !hasDigest(&images[i], d.Digest()) {
			continue
		}
		for _, n := range images[i].Names {
			if parsed, err := reference.ParseNormalizedNamed(n); err == nil && parsed.Name() == repo {
				return &images[i], ""
			}
		}
	}
	return nil, ""
}

// matchSuffix matches a short name against every stored name whose
// repository is "<anything>/<path>" with the same tag (default latest), or
// for a digest reference the same repository suffix and manifest digest.
func matchSuffix(images []storage.Image, named reference.Named) (*storage.Image, string) {
	suffix := "/" + named.Name() // a short name's Name() is its whole path
	tag := "latest"
	if t, ok := named.(reference.Tagged); ok {
		tag = t.Tag()
	}
	d, digested := named.(reference.Digested)
	for i := range images {
		for _, n := range images[i].Names {
			parsed, err := reference.ParseNormalizedNamed(n)
			if err != nil || !strings.HasSuffix(parsed.Name(), suffix) {
				continue
			}
			if digested {
				if hasDigest(&images[i], d.Digest()) {
					return &images[i], ""
				}
				continue
			}
			if t, ok := parsed.(reference.Tagged); ok && t.Tag() == tag {
				return &images[i], n
			}
		}
	}
	return nil, ""
}

// hasDigest reports whether d is one of the image's manifest digests.
func hasDigest(img *storage.Image, d digest.Digest) bool {
	return img.Digest == d || slices.Contains(img.Digests, d)
}
