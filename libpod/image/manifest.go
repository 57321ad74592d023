package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/manifest"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// A manifest list is kept in storage as an image without layers: its
// "manifest" big-data item is the list itself (an OCI image index), and its
// "instances.json" item maps each instance's digest to the place its
// manifest and blobs are read from when the list is pushed: a registry
// ("docker://REPO@DIGEST") or a local image ("containers-storage:ID").
// Because it is an image, `pod images` lists it, `pod rmi` removes it and
// its names follow the usual rules.
const (
	listManifestKey  = storage.ImageDigestBigDataKey // "manifest"
	listInstancesKey = "instances.json"

	sourceDocker  = "docker://"
	sourceStorage = "containers-storage:"
)

// ManifestList is a manifest list in local storage.
type ManifestList struct {
	ID    string
	Names []string
	// Index is the list; its Manifests are the instances, in order.
	Index *manifest.OCI1Index
	// Sources maps an instance's digest to where it is read from on push.
	Sources map[digest.Digest]string
}

// isManifestList reports whether the stored image img is a manifest list.
func isManifestList(store storage.Store, img *storage.Image) bool {
	if !slices.Contains(img.BigDataNames, listManifestKey) || img.TopLayer != "" {
		return false
	}
	b, err := store.ImageBigData(img.ID, listManifestKey)
	if err != nil {
		return false
	}
	return manifest.MIMETypeIsMultiImage(manifest.GuessMIMEType(b))
}

// LookupManifestList finds the local manifest list nameOrID (looked up as
// Lookup does). An unknown name wraps define.ErrNoSuchImage, an image that
// is not a list define.ErrNotManifestList.
func LookupManifestList(store storage.Store, nameOrID string) (*ManifestList, error) {
	img, err := Lookup(store, nameOrID)
	if err != nil {
		return nil, err
	}
	if !isManifestList(store, img) {
		return nil, fmt.Errorf("%s: %w", nameOrID, define.ErrNotManifestList)
	}
	return loadManifestList(store, img)
}

// loadManifestList reads the list and its sources from img.
func loadManifestList(store storage.Store, img *storage.Image) (*ManifestList, error) {
	b, err := store.ImageBigData(img.ID, listManifestKey)
	if err != nil {
		return nil, fmt.Errorf("reading manifest list %s: %w", img.ID, err)
	}
	list, err := manifest.ListFromBlob(b, manifest.GuessMIMEType(b))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest list %s: %w", img.ID, err)
	}
	if list.MIMEType() != imgspecv1.MediaTypeImageIndex {
		if list, err = list.ConvertToMIMEType(imgspecv1.MediaTypeImageIndex); err != nil {
			return nil, fmt.Errorf("converting manifest list %s: %w", img.ID, err)
		}
	}
	b, err = list.Serialize()
	if err != nil {
		return nil, fmt.Errorf("manifest list %s: %w", img.ID, err)
	}
	index, err := manifest.OCI1IndexFromManifest(b)
	if err != nil {
		return nil, fmt.Errorf("parsing manifest list %s: %w", img.ID, err)
	}
	ml := &ManifestList{ID: img.ID, Names: slices.Clone(img.Names), Index: index, Sources: map[digest.Digest]string{}}
	if s, err := store.ImageBigData(img.ID, listInstancesKey); err == nil {
		if err := json.Unmarshal(s, &ml.Sources); err != nil {
			return nil, fmt.Errorf("reading the instances of manifest list %s: %w", img.ID, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading the instances of manifest list %s: %w", img.ID, err)
	}
	return ml, nil
}

// emptyIndex returns an OCI image index without instances.
func emptyIndex() *manifest.OCI1Index {
	return manifest.OCI1IndexFromComponents([]imgspecv1.Descriptor{}, nil)
}

// CreateManifestList stores a new, empty manifest list named name
// (normalized as tag does: short names get "localhost/"). With amend, an
// existing list of that name is returned instead. A name another image has
// wraps define.ErrNameInUse; a malformed one define.ErrBadReference.
func CreateManifestList(store storage.Store, name string, amend bool) (*ManifestList, error) {
	named, err := NormalizeName(name)
	if err != nil {
		return nil, err
	}
	if strings.Contains(named.String(), "@") {
		return nil, fmt.Errorf("%s: a manifest list cannot be named by digest: %w", name, define.ErrBadReference)
	}
	if img, err := Lookup(store, named.String()); err == nil {
		if !amend || !isManifestList(store, img) {
			return nil, fmt.Errorf("create manifest list %s: the name is used by image %s: choose another name, remove it with pod rmi, or use --amend to change an existing list%.0w",
				named, shortIDs([]string{img.ID}), define.ErrNameInUse)
		}
		return loadManifestList(store, img)
	}
	ml := &ManifestList{Index: emptyIndex(), Sources: map[digest.Digest]string{}}
	data, err := ml.bigData()
	if err != nil {
		return nil, err
	}
	img, err := store.CreateImage("", []string{named.String()}, "", "", &storage.ImageOptions{BigData: data})
	if err != nil {
		if errors.Is(err, storage.ErrDuplicateName) {
			return nil, fmt.Errorf("create manifest list %s: %w%.0w", named, err, define.ErrNameInUse)
		}
		return nil, fmt.Errorf("create manifest list %s: %w", named, err)
	}
	ml.ID, ml.Names = img.ID, slices.Clone(img.Names)
	return ml, nil
}

// bigData serializes the list and its sources as the image's big-data items.
func (ml *ManifestList) bigData() ([]storage.ImageBigDataOption, error) {
	if ml.Index.Manifests == nil {
		ml.Index.Manifests = []imgspecv1.Descriptor{}
	}
	list, err := ml.Index.Serialize()
	if err != nil {
		return nil, fmt.Errorf("serializing manifest list: %w", err)
	}
	sources := map[digest.Digest]string{}
	for _, d := range ml.Index.Manifests {
		if s, ok := ml.Sources[d.Digest]; ok {
			sources[d.Digest] = s
		}
	}
	inst, err := json.Marshal(sources)
	if err != nil {
		return nil, fmt.Errorf("serializing manifest list instances: %w", err)
	}
	listDigest, err := manifest.Digest(list)
	if err != nil {
		return nil, err
	}
	return []storage.ImageBigDataOption{
		{Key: listInstancesKey, Data: inst, Digest: digest.FromBytes(inst)},
		{Key: listManifestKey, Data: list, Digest: listDigest},
	}, nil
}

// save writes the list back to its image. Each item is replaced
// atomically; the sources go first, so a list never names an instance
// whose source is unknown.
func (ml *ManifestList) save(store storage.Store) error {
	items, err := ml.bigData()
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := store.SetImageBigData(ml.ID, it.Key, it.Data, manifest.Digest); err != nil {
			return fmt.Errorf("saving manifest list %s: %w", ml.name(), err)
		}
	}
	return nil
}

// name is the list's first name, or its id.
func (ml *ManifestList) name() string {
	if len(ml.Names) > 0 {
		return ml.Names[0]
	}
	return ml.ID
}

// Instance is one image to put in a list: its descriptor (digest, size,
// media type, platform, annotations) and its source.
type Instance struct {
	Descriptor imgspecv1.Descriptor
	Source     string
}

// InstanceOverrides are the values of --arch, --os, --variant,
// --os-version, --os-features and --annotation for add and annotate.
type InstanceOverrides struct {
	Arch, OS, Variant, OSVersion string
	OSFeatures                   []string
	// Annotations are "key=value" pairs.
	Annotations []string
}

// apply sets the overrides on d.
func (o InstanceOverrides) apply(d *imgspecv1.Descriptor) error {
	if d.Platform == nil && (o.Arch != "" || o.OS != "" || o.Variant != "" || o.OSVersion != "" || len(o.OSFeatures) > 0) {
		d.Platform = &imgspecv1.Platform{}
	}
	if o.Arch != "" {
		d.Platform.Architecture = o.Arch
	}
	if o.OS != "" {
		d.Platform.OS = o.OS
	}
	if o.Variant != "" {
		d.Platform.Variant = o.Variant
	}
	if o.OSVersion != "" {
		d.Platform.OSVersion = o.OSVersion
	}
	if len(o.OSFeatures) > 0 {
		d.Platform.OSFeatures = slices.Clone(o.OSFeatures)
	}
	for _, a := range o.Annotations {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return fmt.Errorf("annotation %q: must be key=value%.0w", a, define.ErrInvalidArg)
		}
		if d.Annotations == nil {
			d.Annotations = map[string]string{}
		}
		d.Annotations[k] = v
	}
	return nil
}

// Validate checks the annotations' form before anything is fetched.
func (o InstanceOverrides) Validate() error {
	return o.apply(&imgspecv1.Descriptor{})
}

// addInstances puts the instances in the list, after applying o to each.
// An instance the list already has is replaced and moves to the end.
func (ml *ManifestList) addInstances(instances []Instance, o InstanceOverrides) error {
	for _, in := range instances {
		d := in.Descriptor
		if err := o.apply(&d); err != nil {
			return err
		}
		ml.Index.Manifests = slices.DeleteFunc(ml.Index.Manifests, func(m imgspecv1.Descriptor) bool { return m.Digest == d.Digest })
		ml.Index.Manifests = append(ml.Index.Manifests, d)
		ml.Sources[d.Digest] = in.Source
	}
	return nil
}

// parseInstanceDigest parses the digest naming an instance of list.
func parseInstanceDigest(list, s string) (digest.Digest, error) {
	d, err := digest.Parse(s)
	if err != nil {
		return "", fmt.Errorf("manifest list %s: invalid image digest %q: %v: give the instance's digest as shown by pod manifest inspect%.0w",
			list, s, err, define.ErrInvalidArg)
	}
	return d, nil
}

// instanceIndex returns the position of the instance d in the list.
func (ml *ManifestList) instanceIndex(listName string, d digest.Digest) (int, error) {
	for i, m := range ml.Index.Manifests {
		if m.Digest == d {
			return i, nil
		}
	}
	return -1, fmt.Errorf("manifest list %s has no instance %s: see pod manifest inspect %s%.0w", listName, d, listName, define.ErrNoSuchImage)
}

// lookupManifestInstance finds the local list nameOrID and, in it, the
// instance with the digest instance: the list, the digest and its index.
func lookupManifestInstance(store storage.Store, nameOrID, instance string) (*ManifestList, digest.Digest, int, error) {
	ml, err := LookupManifestList(store, nameOrID)
	if err != nil {
		return nil, "", -1, err
	}
	d, err := parseInstanceDigest(nameOrID, instance)
	if err != nil {
		return nil, "", -1, err
	}
	i, err := ml.instanceIndex(nameOrID, d)
	if err != nil {
		return nil, "", -1, err
	}
	return ml, d, i, nil
}

// RemoveManifestInstance removes the instance with the digest instance
// from the local list nameOrID and returns the list's id.
func RemoveManifestInstance(store storage.Store, nameOrID, instance string) (string, error) {
	ml, d, i, err := lookupManifestInstance(store, nameOrID, instance)
	if err != nil {
		return "", err
	}
	ml.Index.Manifests = slices.Delete(ml.Index.Manifests, i, i+1)
	delete(ml.Sources, d)
	return ml.ID, ml.save(store)
}

// AnnotateManifestInstance applies o to the instance with the digest
// instance of the local list nameOrID and returns the list's id.
func AnnotateManifestInstance(store storage.Store, nameOrID, instance string, o InstanceOverrides) (string, error) {
	ml, _, i, err := lookupManifestInstance(store, nameOrID, instance)
	if err != nil {
		return "", err
	}
	if err := o.apply(&ml.Index.Manifests[i]); err != nil {
		return "", err
	}
	return ml.ID, ml.save(store)
}

// ManifestListJSON is what `pod manifest inspect` prints: podman's shape,
// with a Docker list's media type and platform fields and the OCI
// instances' annotations.
type ManifestListJSON struct {
	SchemaVersion int                      `json:"schemaVersion"`
	MediaType     string                   `json:"mediaType"`
	Manifests     []ManifestDescriptorJSON `json:"manifests"`
}

// ManifestDescriptorJSON is one instance in ManifestListJSON.
type ManifestDescriptorJSON struct {
	MediaType   string                       `json:"mediaType"`
	Size        int64                        `json:"size"`
	Digest      digest.Digest                `json:"digest"`
	Platform    manifest.Schema2PlatformSpec `json:"platform"`
	Annotations map[string]string            `json:"annotations,omitempty"`
}

// listJSON converts an OCI index to the inspect document. An empty list
// has "manifests": null, as podman prints it.
func listJSON(index *manifest.OCI1Index) *ManifestListJSON {
	out := &ManifestListJSON{SchemaVersion: 2, MediaType: manifest.DockerV2ListMediaType}
	for _, m := range index.Manifests {
		d := ManifestDescriptorJSON{MediaType: m.MediaType, Size: m.Size, Digest: m.Digest}
		if p := m.Platform; p != nil {
			d.Platform = manifest.Schema2PlatformSpec{
				Architecture: p.Architecture, OS: p.OS, OSVersion: p.OSVersion,
				OSFeatures: slices.Clone(p.OSFeatures), Variant: p.Variant,
			}
		}
		if len(m.Annotations) > 0 {
			d.Annotations = maps.Clone(m.Annotations)
		}
		out.Manifests = append(out.Manifests, d)
	}
	return out
}

// JSON returns the list's inspect document.
func (ml *ManifestList) JSON() *ManifestListJSON { return listJSON(ml.Index) }

// RemoveManifestList removes the local list nameOrID as rmi does (given by
// one of several names, only that name goes) and returns the names
// untagged and the ids deleted. An image that is not a list is refused.
func RemoveManifestList(store storage.Store, nameOrID string) (untagged, deleted []string, err error) {
	if _, err := LookupManifestList(store, nameOrID); err != nil {
		return nil, nil, err
	}
	return Remove(store, nameOrID, false, nil)
}
