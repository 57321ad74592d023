package image

import (
	"fmt"
	"slices"
	"strings"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// Tag adds newName (normalized: short names get "localhost/", the tag
// defaults to "latest") to the image nameOrID and returns the image's id
// and the name as stored. The name moves away from any other image that
// had it. A malformed name wraps define.ErrBadReference ("normalizing name
// "Bad!": invalid reference format"), a digest define.ErrInvalidArg.
func Tag(store storage.Store, nameOrID, newName string) (id, name string, err error) {
	img, err := Lookup(store, nameOrID)
	if err != nil {
		return "", "", err
	}
	named, err := normalizeTag(newName)
	if err != nil {
		return "", "", err
	}
	if strings.Contains(named, "@") {
		return "", "", fmt.Errorf("%s: tag by digest not supported%.0w", newName, define.ErrInvalidArg)
	}
	if err := store.AddNames(img.ID, []string{named}); err != nil {
		return "", "", fmt.Errorf("tag %s %s: %w", nameOrID, named, err)
	}
	return img.ID, named, nil
}

// Untag removes names (normalized as Tag does) from the image nameOrID, or
// all its names when names is empty, and returns the image's id and the
// names removed. Names are removed one by one, as podman does: at a name the
// image does not have (a digest reference included) it stops with an error
// wrapping define.ErrTagNotKnown ("localhost/foo:latest: tag not known"),
// the names before it removed.
func Untag(store storage.Store, nameOrID string, names []string) (id string, removed []string, err error) {
	img, err := Lookup(store, nameOrID)
	if err != nil {
		return "", nil, err
	}
	if len(names) == 0 {
		if len(img.Names) == 0 {
			return img.ID, nil, nil
		}
		if err := store.RemoveNames(img.ID, img.Names); err != nil {
			return img.ID, nil, fmt.Errorf("untag %s: %w", nameOrID, err)
		}
		return img.ID, append([]string(nil), img.Names...), nil
	}
	for _, n := range names {
		named, err := normalizeTag(n)
		if err != nil {
			return img.ID, removed, err
		}
		if !slices.Contains(img.Names, named) || slices.Contains(removed, named) {
			return img.ID, removed, fmt.Errorf("%s: %w", named, define.ErrTagNotKnown)
		}
		if err := store.RemoveNames(img.ID, []string{named}); err != nil {
			return img.ID, removed, fmt.Errorf("untag %s: %w", named, err)
		}
		removed = append(removed, named)
	}
	return img.ID, removed, nil
}

// normalizeTag normalizes a name given to tag or untag, failing in
// podman's words.
func normalizeTag(name string) (string, error) {
	named, err := NormalizeName(name)
	if err != nil {
		msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), name+": "), "localhost/"+name+": ")
		return "", fmt.Errorf("normalizing name %q: %s%.0w", name, msg, define.ErrBadReference)
	}
	return named.String(), nil
}
