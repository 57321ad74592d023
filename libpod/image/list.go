package image

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/storage"
)

// Summary is one line of `pod images`.
type Summary struct {
	ID          string
	Names       []string // every stored name (tags and digest references)
	RepoTags    []string // the tagged names
	RepoDigests []string // repository@digest for every name and manifest digest
	Digest      digest.Digest
	Created     time.Time // creation time in storage: the config's "created" for pulled images
	Size        int64     // bytes of layers and metadata; -1 when unknown
	Labels      map[string]string
	// Dangling: no names and no image built on top of it.
	Dangling bool
	// Intermediate: no names, but other images are built on top of it
	// (`pod images` hides these unless -a).
	Intermediate bool
	ReadOnly     bool // kept in a read-only additional image store
	// ManifestList: the image is a manifest list (pod manifest create).
	ManifestList bool
	TopLayer     string
	// Parent is the id of the image this one is built on ("" for none).
	Parent string
	// NamesHistory lists every name the image has had, newest first.
	NamesHistory []string
	// Containers counts the containers using the image (set by the engine).
	Containers int
}

// List returns one Summary per image in store, newest first; images
// created at the same time keep the store's order (oldest stored first).
func List(store storage.Store) ([]Summary, error) {
	images, err := store.Images()
	if err != nil {
		return nil, err
	}
	sort.SliceStable(images, func(i, j int) bool { return images[i].Created.After(images[j].Created) })
	tree, err := newLayerTree(store, images)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(images))
	for i := range images {
		img := &images[i]
		size, err := store.ImageSize(img.ID)
		if err != nil {
			logrus.Debugf("size of image %s: %v", img.ID, err)
			size = -1
		}
		children := tree.hasChildren(img)
		out = append(out, Summary{
			ID:           img.ID,
			Names:        img.Names,
			RepoTags:     repoTags(img),
			RepoDigests:  repoDigests(img),
			Digest:       img.Digest,
			Created:      img.Created,
			Size:         size,
			Labels:       configLabels(store, img),
			Dangling:     len(img.Names) == 0 && !children,
			Intermediate: len(img.Names) == 0 && children,
			ReadOnly:     img.ReadOnly,
			ManifestList: isManifestList(store, img),
			TopLayer:     img.TopLayer,
			Parent:       tree.parent(img),
			NamesHistory: img.NamesHistory,
		})
	}
	return out, nil
}

// repoTags returns the image's names that carry a tag.
func repoTags(img *storage.Image) []string {
	var tags []string
	for _, n := range img.Names {
		ref, err := reference.Parse(n)
		if err != nil {
			continue
		}
		if _, ok := ref.(reference.NamedTagged); ok {
			tags = append(tags, n)
		}
	}
	return tags
}

// repoDigests returns repository@digest for every name's repository and every
// manifest digest of the image, without duplicates.
func repoDigests(img *storage.Image) []string {
	var out []string
	seen := map[string]bool{}
	digests := append([]digest.Digest{img.Digest}, img.Digests...)
	for _, n := range img.Names {
		named, err := reference.ParseNormalizedNamed(n)
		if err != nil {
			continue
		}
		for _, d := range digests {
			if d == "" {
				continue
			}
			c, err := reference.WithDigest(reference.TrimNamed(named), d)
			if err != nil || seen[c.String()] {
				continue
			}
			seen[c.String()] = true
			out = append(out, c.String())
		}
	}
	return out
}

// configLabels reads the labels from the image's stored config, without
// opening the image through the image library (which reads the manifest too).
func configLabels(store storage.Store, img *storage.Image) map[string]string {
	for _, key := range img.BigDataNames {
		if !strings.HasPrefix(key, "sha256:") {
			continue // manifests and signatures have other keys
		}
		data, err := store.ImageBigData(img.ID, key)
		if err != nil {
			logrus.Debugf("config of image %s: %v", img.ID, err)
			return nil
		}
		var cfg struct {
			Config struct {
				Labels map[string]string `json:"Labels"`
			} `json:"config"`
		}
		if err := json.Unmarshal(data, &cfg); err != nil {
			logrus.Debugf("config of image %s: %v", img.ID, err)
			return nil
		}
		return cfg.Config.Labels
	}
	return nil
}
