package image

import (
	"context"
	"fmt"
	"time"

	"go.podman.io/storage"
)

// MissingID is the id of a history entry no local image stands for.
const MissingID = "<missing>"

// HistoryEntry is one entry of an image's history, as `pod history`
// prints it.
type HistoryEntry struct {
	// ID is the id of the image the entry stands for (the image itself for
	// the newest entry, an image whose top layer the entry made for older
	// ones), or MissingID.
	ID        string
	Created   time.Time
	CreatedBy string
	// Size is the uncompressed size of the layer the entry made (0 for an
	// entry without a layer).
	Size    int64
	Comment string
	// Tags is always empty, as in podman 4.3.
	Tags []string
}

// History returns the history of img from its config, newest first, with
// each entry that made a layer given that layer's size from storage.
//
// Walking the history from newest to oldest follows the layer chain down
// from the image's top layer: an entry not marked EmptyLayer takes the
// current layer's size, then the walk moves to the parent layer.
func History(ctx context.Context, store storage.Store, img *storage.Image) ([]HistoryEntry, error) {
	cfg, _, err := Config(ctx, store, img)
	if err != nil {
		return nil, err
	}
	tops, err := topLayers(store)
	if err != nil {
		return nil, err
	}
	var layer *storage.Layer
	if img.TopLayer != "" {
		if layer, err = store.Layer(img.TopLayer); err != nil {
			return nil, fmt.Errorf("history of image %s: layer %s: %w", img.ID, img.TopLayer, err)
		}
	}
	used := map[string]bool{img.ID: true}
	entries := make([]HistoryEntry, 0, len(cfg.History))
	for x := len(cfg.History) - 1; x >= 0; x-- {
		h := cfg.History[x]
		e := HistoryEntry{ID: MissingID, CreatedBy: h.CreatedBy, Comment: h.Comment, Tags: []string{}}
		if h.Created != nil {
			e.Created = *h.Created
		}
		if x == len(cfg.History)-1 {
			e.ID = img.ID
		}
		if layer != nil {
			if !h.EmptyLayer {
				e.Size = layer.UncompressedSize
			}
			if e.ID == MissingID {
				for _, id := range tops[layer.ID] {
					if !used[id] {
						e.ID, used[id] = id, true
						break
					}
				}
			}
			if !h.EmptyLayer {
				if layer.Parent == "" {
					layer = nil
				} else if layer, err = store.Layer(layer.Parent); err != nil {
					return nil, fmt.Errorf("history of image %s: layer: %w", img.ID, err)
				}
			}
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// topLayers maps each layer that is some image's top layer to those images' ids.
func topLayers(store storage.Store) (map[string][]string, error) {
	images, err := store.Images()
	if err != nil {
		return nil, fmt.Errorf("listing images: %w", err)
	}
	sortNewestFirst(images)
	tops := map[string][]string{}
	for _, i := range images {
		if i.TopLayer != "" {
			tops[i.TopLayer] = append(tops[i.TopLayer], i.ID)
		}
	}
	return tops, nil
}
