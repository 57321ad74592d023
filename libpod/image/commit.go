package image

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/manifest"
	"go.podman.io/storage"
	"go.podman.io/storage/pkg/archive"

	"github.com/pod-engine/pod/libpod/define"
)

// The image formats commit writes.
const (
	FormatOCI    = "oci"
	FormatDocker = "docker"
)

// commitCreatedBy is the created_by of a commit's history entry.
const commitCreatedBy = "/bin/sh"

// CommitOptions describe a commit of a container's storage.
type CommitOptions struct {
	// Container is the storage container's id, Layer its writable layer.
	Container, Layer string
	// ParentID is the container's image; ParentName the name the
	// container was created from (for the history comment).
	ParentID, ParentName string
	// Name is the new image's name as the user gave it ("": untagged).
	Name string
	// Settings are the container's own: they replace the parent's Env,
	// Entrypoint, Cmd, WorkingDir, User and Labels, and add to its
	// ExposedPorts.
	Settings Settings
	// Changes are --change instructions, applied after Settings.
	Changes []string
	// Format is FormatOCI ("" too) or FormatDocker.
	Format string
	// Message (docker format only) and Author.
	Message, Author string
	// Squash makes the whole file system one layer.
	Squash bool
	// Progress receives the copy's progress lines (nil: none).
	Progress io.Writer
}

// CheckCommit validates what a commit would be given, before any work:
// the format, a message only with the docker format, the name and the
// changes. Errors wrap define.ErrInvalidArg or define.ErrBadReference.
func CheckCommit(o *CommitOptions) (reference.Named, error) {
	switch o.Format {
	case "", FormatOCI:
		if o.Message != "" {
			return nil, fmt.Errorf("messages are only compatible with the docker image format (-f docker)%.0w", define.ErrInvalidArg)
		}
	case FormatDocker:
	default:
		return nil, fmt.Errorf("unrecognized image format %q: use oci or docker%.0w", o.Format, define.ErrInvalidArg)
	}
	if err := CheckChanges(o.Changes); err != nil {
		return nil, err
	}
	return newImageName(o.Name)
}

// newImageName normalizes the name a new image is stored under: none when
// name is empty; a digest is refused (it would not name the new image).
func newImageName(name string) (reference.Named, error) {
	if name == "" {
		return nil, nil
	}
	named, err := NormalizeName(name)
	if err != nil {
		return nil, err
	}
	if _, ok := named.(reference.Digested); ok {
		return nil, fmt.Errorf("%s: an image name cannot have a digest%.0w", name, define.ErrBadReference)
	}
	return named, nil
}

// Commit stores a new image made of the parent image's layers (shared, not
// copied) and one new layer holding what the container changed (or, with
// Squash, one layer of its whole file system), with the parent's config
// updated by the container's settings and the changes, and a history
// entry. A running container can be committed: its layer is read as it is.
func Commit(ctx context.Context, store storage.Store, o CommitOptions) (*storage.Image, error) {
	named, err := CheckCommit(&o)
	if err != nil {
		return nil, err
	}
	docker := o.Format == FormatDocker
	parent, err := store.Image(o.ParentID)
	if err != nil {
		return nil, fmt.Errorf("image %s of the container: %w", o.ParentName, err)
	}
	pcfg, dockerBase, err := readImageConfig(ctx, store, parent, o.ParentName, docker)
	if err != nil {
		return nil, err
	}
	if dockerSettings(dockerBase) == nil {
		dockerBase = nil
	}

	p := &imageParts{
		created: time.Now().UTC(), author: o.Author, platform: pcfg.Platform,
		settings: settingsFromOCI(pcfg.Config), history: slices.Clone(pcfg.History),
	}
	if docker {
		p.comment = o.Message
		if dockerBase != nil {
			p.settings.OnBuild = slices.Clone(dockerBase.Config.OnBuild)
		}
	}
	c := o.Settings
	p.settings.Env, p.settings.Entrypoint, p.settings.Cmd = c.Env, c.Entrypoint, c.Cmd
	p.settings.WorkingDir, p.settings.User, p.settings.Labels = c.WorkingDir, c.User, c.Labels
	for port := range c.ExposedPorts {
		if p.settings.ExposedPorts == nil {
			p.settings.ExposedPorts = map[string]struct{}{}
		}
		p.settings.ExposedPorts[port] = struct{}{}
	}
	onBuild := len(p.settings.OnBuild)
	if err := p.settings.ApplyChanges(o.Changes); err != nil {
		return nil, err
	}
	if !docker {
		for _, ob := range p.settings.OnBuild[onBuild:] {
			logrus.Warnf("ONBUILD is not supported for the OCI image format: %s is ignored; use --format docker", ob)
		}
		p.settings.OnBuild = nil
	}

	var layers []blobLayer
	if !o.Squash {
		if layers, err = layerChain(store, parent.TopLayer); err != nil {
			return nil, fmt.Errorf("layers of image %s: %w", o.ParentName, err)
		}
	} else {
		for i := range p.history {
			p.history[i].EmptyLayer = true
		}
	}
	lf, err := containerLayerFile(store, o)
	if err != nil {
		return nil, err
	}
	defer os.Remove(lf.path)
	layers = append(layers, blobLayer{digest: lf.digest, size: lf.size, open: lf.open})

	comment := o.Message
	if comment == "" {
		comment = "FROM " + o.ParentName
	}
	p.history = append(p.history, v1.History{Created: &p.created, CreatedBy: commitCreatedBy, Author: o.Author, Comment: comment})
	built, err := assemble(p, layers, docker, dockerBase)
	if err != nil {
		return nil, err
	}
	img, err := built.store(ctx, store, named, o.Progress)
	if err != nil {
		return nil, fmt.Errorf("commit: storing the image: %w", err)
	}
	return img, nil
}

// containerLayerFile writes the container's changes (with Squash, its
// whole file system) as an uncompressed tar to a temporary file.
func containerLayerFile(store storage.Store, o CommitOptions) (*layerFile, error) {
	var (
		rc  io.ReadCloser
		err error
	)
	if o.Squash {
		mountpoint, merr := store.Mount(o.Container, "")
		if merr != nil {
			return nil, fmt.Errorf("commit: mounting the container: %w", merr)
		}
		defer func() { _, _ = store.Unmount(o.Container, false) }()
		rc, err = archive.Tar(mountpoint, archive.Uncompressed)
	} else {
		uncompressed := archive.Uncompressed
		rc, err = store.Diff("", o.Layer, &storage.DiffOptions{Compression: &uncompressed})
	}
	if err != nil {
		return nil, fmt.Errorf("commit: reading the container's changes: %w", err)
	}
	defer rc.Close()
	lf, err := writeLayerFile(BigFilesDir(), rc, nil)
	if err != nil {
		return nil, fmt.Errorf("commit: writing the container's changes: %w", err)
	}
	return lf, nil
}

// blobLayer is one layer of a new image: its uncompressed digest and size
// and how to read it.
type blobLayer struct {
	digest digest.Digest
	size   int64
	open   func() (io.ReadCloser, int64, error)
}

// layerChain lists the layers from the bottom one up to top, as a new
// image built on them refers to them.
func layerChain(store storage.Store, top string) ([]blobLayer, error) {
	var chain []blobLayer
	for id := top; id != ""; {
		l, err := store.Layer(id)
		if err != nil {
			return nil, err
		}
		if l.UncompressedDigest == "" {
			return nil, fmt.Errorf("layer %s has no known digest: pull the image again", l.ID)
		}
		layerID := l.ID
		chain = append(chain, blobLayer{digest: l.UncompressedDigest, size: l.UncompressedSize, open: func() (io.ReadCloser, int64, error) {
			uncompressed := archive.Uncompressed
			rc, err := store.Diff("", layerID, &storage.DiffOptions{Compression: &uncompressed})
			return rc, -1, err
		}})
		id = l.Parent
	}
	slices.Reverse(chain)
	return chain, nil
}

// imageParts are the contents of a new image's config.
type imageParts struct {
	created  time.Time
	author   string
	comment  string // docker format only
	platform v1.Platform
	settings Settings
	history  []v1.History
}

// assemble makes the config and manifest of an image of layers in the
// OCI or, with docker, the docker format (starting from dockerBase, the
// parent's docker config, when there is one, so that what only that
// format holds, such as the health check, is kept).
func assemble(p *imageParts, layers []blobLayer, docker bool, dockerBase *manifest.Schema2Image) (*builtImage, error) {
	diffIDs := make([]digest.Digest, 0, len(layers))
	b := &builtImage{blobs: map[digest.Digest]func() (io.ReadCloser, int64, error){}}
	for _, l := range layers {
		diffIDs = append(diffIDs, l.digest)
		b.blobs[l.digest] = l.open
	}
	var err error
	if docker {
		b.config, err = json.Marshal(dockerConfig(p, diffIDs, dockerBase))
	} else {
		b.config, err = json.Marshal(v1.Image{
			Created: &p.created, Author: p.author, Platform: p.platform,
			Config: ociSettings(p.settings), RootFS: v1.RootFS{Type: "layers", DiffIDs: diffIDs}, History: p.history,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("encoding the image config: %w", err)
	}
	b.configDigest = digest.FromBytes(b.config)
	if docker {
		descs := make([]manifest.Schema2Descriptor, 0, len(layers))
		for _, l := range layers {
			descs = append(descs, manifest.Schema2Descriptor{MediaType: manifest.DockerV2SchemaLayerMediaTypeUncompressed, Digest: l.digest, Size: l.size})
		}
		m := manifest.Schema2FromComponents(manifest.Schema2Descriptor{
			MediaType: manifest.DockerV2Schema2ConfigMediaType, Digest: b.configDigest, Size: int64(len(b.config)),
		}, descs)
		b.manifest, err = m.Serialize()
		b.manifestType = manifest.DockerV2Schema2MediaType
	} else {
		descs := make([]v1.Descriptor, 0, len(layers))
		for _, l := range layers {
			descs = append(descs, v1.Descriptor{MediaType: v1.MediaTypeImageLayer, Digest: l.digest, Size: l.size})
		}
		m := manifest.OCI1FromComponents(v1.Descriptor{
			MediaType: v1.MediaTypeImageConfig, Digest: b.configDigest, Size: int64(len(b.config)),
		}, descs)
		b.manifest, err = m.Serialize()
		b.manifestType = v1.MediaTypeImageManifest
	}
	if err != nil {
		return nil, fmt.Errorf("encoding the image manifest: %w", err)
	}
	return b, nil
}

// dockerConfig is p as a docker config.
func dockerConfig(p *imageParts, diffIDs []digest.Digest, base *manifest.Schema2Image) *manifest.Schema2Image {
	var dc manifest.Schema2Image
	cfg := &manifest.Schema2Config{}
	if base != nil {
		dc = *base
		c := *base.Config
		cfg = &c
	}
	s := p.settings
	cfg.User, cfg.Env, cfg.Entrypoint, cfg.Cmd = s.User, s.Env, s.Entrypoint, s.Cmd
	cfg.Volumes, cfg.WorkingDir, cfg.Labels, cfg.StopSignal, cfg.OnBuild = s.Volumes, s.WorkingDir, s.Labels, s.StopSignal, s.OnBuild
	if s.Healthcheck != nil {
		cfg.Healthcheck = s.Healthcheck
	}
	if s.Shell != nil {
		cfg.Shell = s.Shell
	}
	cfg.ExposedPorts = nil
	for port := range s.ExposedPorts {
		if cfg.ExposedPorts == nil {
			cfg.ExposedPorts = manifest.Schema2PortSet{}
		}
		cfg.ExposedPorts[manifest.Schema2Port(port)] = struct{}{}
	}
	dc.Schema2V1Image = manifest.Schema2V1Image{
		Comment: p.comment, Created: p.created, Author: p.author, Config: cfg,
		Architecture: p.platform.Architecture, Variant: p.platform.Variant, OS: p.platform.OS,
	}
	dc.Parent = ""
	dc.RootFS = &manifest.Schema2RootFS{Type: "layers", DiffIDs: diffIDs}
	dc.History = make([]manifest.Schema2History, 0, len(p.history))
	for _, h := range p.history {
		e := manifest.Schema2History{Author: h.Author, CreatedBy: h.CreatedBy, Comment: h.Comment, EmptyLayer: h.EmptyLayer}
		if h.Created != nil {
			e.Created = *h.Created
		}
		dc.History = append(dc.History, e)
	}
	return &dc
}

// settingsFromOCI are the settings of an OCI image config.
func settingsFromOCI(c v1.ImageConfig) Settings {
	return Settings{
		User: c.User, ExposedPorts: maps.Clone(c.ExposedPorts), Env: slices.Clone(c.Env),
		Entrypoint: slices.Clone(c.Entrypoint), Cmd: slices.Clone(c.Cmd), Volumes: maps.Clone(c.Volumes),
		WorkingDir: c.WorkingDir, Labels: maps.Clone(c.Labels), StopSignal: c.StopSignal,
	}
}

// ociSettings is s as an OCI image config.
func ociSettings(s Settings) v1.ImageConfig {
	return v1.ImageConfig{
		User: s.User, ExposedPorts: s.ExposedPorts, Env: s.Env, Entrypoint: s.Entrypoint, Cmd: s.Cmd,
		Volumes: s.Volumes, WorkingDir: s.WorkingDir, Labels: s.Labels, StopSignal: s.StopSignal,
	}
}
