package libpod

import (
	"context"

	"github.com/pod-engine/pod/libpod/image"
)

// SearchImages searches registries for term (`pod search`); it needs no
// local storage.
func (r *Runtime) SearchImages(ctx context.Context, term string, o image.SearchOptions) ([]image.SearchResult, error) {
	return image.Search(ctx, term, o)
}
