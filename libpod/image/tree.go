package image

import (
	"fmt"

	"go.podman.io/storage"
)

// layerTree answers parent/child questions between images from the layer
// graph: image B is a child of image A when A's top layer is a strict
// ancestor of B's top layer. Container layers are ignored.
type layerTree struct {
	parentOf map[string]string // layer id → parent layer id
	below    map[string]bool   // layers strictly below some image's top layer
	byTop    map[string][]*storage.Image
}

// newLayerTree reads the layer graph of store for images.
func newLayerTree(store storage.Store, images []storage.Image) (*layerTree, error) {
	layers, err := store.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	t := &layerTree{
		parentOf: make(map[string]string, len(layers)),
		below:    make(map[string]bool),
		byTop:    make(map[string][]*storage.Image),
	}
	for i := range layers {
		t.parentOf[layers[i].ID] = layers[i].Parent
	}
	for i := range images {
		top := images[i].TopLayer
		if top == "" {
			continue
		}
		t.byTop[top] = append(t.byTop[top], &images[i])
		for l := t.parentOf[top]; l != "" && !t.below[l]; l = t.parentOf[l] {
			t.below[l] = true
		}
	}
	return t, nil
}

// hasChildren reports whether another image is built on top of img.
func (t *layerTree) hasChildren(img *storage.Image) bool {
	return img.TopLayer != "" && t.below[img.TopLayer]
}

// parent returns the id of an image whose top layer is the parent of img's
// top layer, or "".
func (t *layerTree) parent(img *storage.Image) string {
	if img.TopLayer == "" {
		return ""
	}
	for _, p := range t.byTop[t.parentOf[img.TopLayer]] {
		if p.ID != img.ID {
			return p.ID
		}
	}
	return ""
}
