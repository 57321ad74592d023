package libpod

import (
	"context"

	"github.com/pod-engine/pod/libpod/image"
)

// PullAllTags pulls every tag of the repository name (pull --all-tags), in
// the registry's order, and returns the images; it stops at the first tag
// that fails.
func (r *Runtime) PullAllTags(ctx context.Context, name string, o image.PullOptions) ([]*ImageRef, error) {
	if err := image.CheckAuthFile(o.System.AuthFile); err != nil {
		return nil, err
	}
	tags, err := image.RepositoryTags(ctx, name, o)
	if err != nil {
		return nil, err
	}
	o.Policy = image.PullAlways
	refs := make([]*ImageRef, 0, len(tags))
	for _, tag := range tags {
		ref, err := r.PullImage(ctx, tag, o)
		if err != nil {
			return refs, err
		}
		refs = append(refs, ref)
	}
	return refs, nil
}
