package image

import (
	"fmt"

	"go.podman.io/storage"
)

// LayerNode is one layer in the output of `image tree`.
type LayerNode struct {
	ID   string
	Size int64 // uncompressed bytes; 0 when unknown
	// TopOf lists the names of the images whose top layer this is.
	TopOf []string
	// Children are the layers built on this one (only for what-requires).
	Children []LayerNode
}

// LayerTree is what `image tree` shows of an image.
type LayerTree struct {
	ID       string
	RepoTags []string
	Size     int64
	// Layers are the image's layers, base first. With what-requires they
	// are the image's top layer followed by the layers built on it, each
	// with its own descendants.
	Layers []LayerNode
}

// Layers returns the layer tree of the image nameOrID. With whatRequires it
// lists the layers of every image and container built on the image instead
// of the layers the image is made of.
func Layers(store storage.Store, nameOrID string, whatRequires bool) (*LayerTree, error) {
	images, err := store.Images()
	if err != nil {
		return nil, fmt.Errorf("listing images: %w", err)
	}
	img, _, err := match(sortedCopy(images), nameOrID)
	if err != nil {
		return nil, err
	}
	layers, err := store.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	size, err := store.ImageSize(img.ID)
	if err != nil {
		return nil, fmt.Errorf("size of image %s: %w", img.ID, err)
	}
	topOf := map[string][]string{}
	for i := range images {
		if images[i].TopLayer != "" {
			topOf[images[i].TopLayer] = append(topOf[images[i].TopLayer], images[i].Names...)
		}
	}
	byID := make(map[string]*storage.Layer, len(layers))
	children := map[string][]string{}
	for i := range layers {
		byID[layers[i].ID] = &layers[i]
		if layers[i].Parent != "" {
			children[layers[i].Parent] = append(children[layers[i].Parent], layers[i].ID)
		}
	}
	node := func(id string) LayerNode {
		n := LayerNode{ID: id, TopOf: topOf[id]}
		if l := byID[id]; l != nil && l.UncompressedSize > 0 {
			n.Size = l.UncompressedSize
		}
		return n
	}
	t := &LayerTree{ID: img.ID, RepoTags: nonNil(repoTags(img)), Size: size}
	if img.TopLayer == "" {
		return t, nil
	}
	if whatRequires {
		t.Layers = append(t.Layers, node(img.TopLayer))
		var descend func(id string, depth int) []LayerNode
		descend = func(id string, depth int) []LayerNode {
			var out []LayerNode
			for _, c := range children[id] {
				n := node(c)
				if depth < len(layers) { // a layer graph is acyclic; this only bounds a corrupt one
					n.Children = descend(c, depth+1)
				}
				out = append(out, n)
			}
			return out
		}
		t.Layers = append(t.Layers, descend(img.TopLayer, 0)...)
		return t, nil
	}
	for id := img.TopLayer; id != "" && len(t.Layers) <= len(layers); {
		t.Layers = append([]LayerNode{node(id)}, t.Layers...)
		l := byID[id]
		if l == nil {
			break
		}
		id = l.Parent
	}
	return t, nil
}

// sortedCopy returns images sorted newest first without reordering the
// caller's slice.
func sortedCopy(images []storage.Image) []storage.Image {
	c := append([]storage.Image(nil), images...)
	sortNewestFirst(c)
	return c
}
