package image

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/directory"
	dockerarchive "go.podman.io/image/v5/docker/archive"
	"go.podman.io/image/v5/docker/reference"
	ociarchive "go.podman.io/image/v5/oci/archive"
	ocilayout "go.podman.io/image/v5/oci/layout"
	"go.podman.io/image/v5/pkg/compression"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// LoadOptions configure Load.
type LoadOptions struct {
	System SystemOptions
	// Input is the archive file or directory to load. Empty reads the
	// archive from Stdin (copied to a temporary file first).
	Input string
	Stdin io.Reader
	// Quiet suppresses progress; Progress receives it (nil: none).
	Quiet    bool
	Progress io.Writer
}

// LoadResult is what Load stored.
type LoadResult struct {
	// Names are the loaded images' names in the archive's order, one per
	// name, or "sha256:<id>" for an image without one.
	Names []string
	// IDs are the loaded images' ids, in the same order, once each.
	IDs []string
	// Source is the file read: Input, or the temporary copy of stdin.
	Source string
}

// Load stores every image of an archive or directory written by save (pod's,
// podman's or docker's): a docker-archive (compressed or not; all its
// images, each under all its names), an oci-archive or oci-dir (each image
// of the index, named by its org.opencontainers.image.ref.name annotation,
// short names under localhost/), or a docker-dir (stored by id). The format
// is found from the content. Layers the store already has are reused.
//
// Nothing is stored unless the input is a readable archive: a truncated,
// corrupt or foreign file fails with one line wrapping define.ErrBadArchive.
// When one image of several fails, the images before it stay loaded and
// are reported with the error.
func Load(ctx context.Context, store storage.Store, o LoadOptions) (*LoadResult, error) {
	res := &LoadResult{Source: o.Input}
	input := o.Input
	if input == "" {
		if o.Stdin == nil {
			return nil, fmt.Errorf("load: no input given: use -i FILE%.0w", define.ErrInvalidArg)
		}
		tmp, err := spoolStdin(ctx, o.Stdin)
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp)
		res.Source, input = tmp, tmp
	}
	display := o.Input
	if display == "" {
		display = "stdin"
	}

	format, index, err := detectArchive(input)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", display, err)
	}
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", display, err)
	}
	p := &puller{store: store, sys: sys, name: display, out: io.Discard}
	if !o.Quiet && o.Progress != nil {
		p.out = progressWriter(o.Progress)
	}

	var sources []sourceImage
	switch format {
	case DockerArchive:
		reader, err := dockerarchive.NewReader(sys, input)
		if err != nil {
			return nil, badArchive(display, err)
		}
		defer reader.Close()
		if sources, err = dockerArchiveImages(reader); err != nil {
			return nil, badArchive(display, err)
		}
	case OCIArchive:
		if sources, err = ociArchiveImages(input, index); err != nil {
			return nil, badArchive(display, err)
		}
	case OCIDir:
		list, err := ocilayout.List(input)
		if err != nil {
			return nil, badArchive(display, err)
		}
		for _, l := range list {
			sources = append(sources, sourceImage{ref: l.Reference, names: annotatedName(l.ManifestDescriptor)})
		}
	case DockerDir:
		ref, err := directory.NewReference(input)
		if err != nil {
			return nil, badArchive(display, err)
		}
		sources = []sourceImage{{ref: ref}}
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("load %s: the %s holds no image%.0w", display, format, define.ErrBadArchive)
	}

	pc, err := policyContext(sys)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", display, err)
	}
	defer func() { _ = pc.Destroy() }()
	for i, src := range sources {
		img, err := p.copySource(ctx, pc, src)
		if err != nil {
			which := ""
			if len(sources) > 1 {
				which = fmt.Sprintf(" (image %d of %d)", i+1, len(sources))
			}
			return res, fmt.Errorf("load %s%s: %w", display, which, loadError(err))
		}
		res.IDs = append(res.IDs, img.ID)
		if len(src.names) == 0 {
			res.Names = append(res.Names, "sha256:"+img.ID)
		}
		for _, n := range src.names {
			res.Names = append(res.Names, n.String())
		}
	}
	return res, nil
}

// spoolStdin copies the archive on stdin to a temporary file (the formats
// need to seek) and returns its path.
func spoolStdin(ctx context.Context, in io.Reader) (string, error) {
	f, err := os.CreateTemp(BigFilesDir(), "pod-load-*.tar")
	if err != nil {
		return "", fmt.Errorf("load: copying stdin: %w", err)
	}
	err = copyContext(ctx, f, in)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", fmt.Errorf("load: copying stdin to %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// detectArchive finds the format of input from its content: a directory
// with index.json is an OCI layout, one with manifest.json a docker-dir; a
// tar file (compressed or not) with manifest.json is a docker-archive, one
// with index.json an oci-archive (whose index is returned). The whole tar
// is read (seeking over contents when uncompressed), so a truncated archive
// fails here, before anything is stored.
func detectArchive(input string) (SaveFormat, *imgspecv1.Index, error) {
	fi, err := os.Stat(input)
	if err != nil {
		return "", nil, err
	}
	if fi.IsDir() {
		for _, c := range []struct {
			file   string
			format SaveFormat
		}{{imgspecv1.ImageIndexFile, OCIDir}, {"manifest.json", DockerDir}} {
			if _, err := os.Stat(filepath.Join(input, c.file)); err == nil {
				return c.format, nil, nil
			}
		}
		return "", nil, fmt.Errorf("the directory is neither an OCI layout (no index.json) nor a docker-dir (no manifest.json)%.0w", define.ErrBadArchive)
	}

	f, err := os.Open(input)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	decompress, peeked, err := compression.DetectCompression(f)
	if err != nil {
		return "", nil, notArchive(err)
	}
	var r io.Reader = f
	if decompress != nil {
		rc, err := decompress(peeked)
		if err != nil {
			return "", nil, notArchive(err)
		}
		defer rc.Close()
		r = rc
	} else if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", nil, err
	}

	tr := tar.NewReader(r)
	var index *imgspecv1.Index
	sawManifest := false
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return "", nil, notArchive(errors.New("empty archive"))
			}
			break
		}
		if err != nil {
			return "", nil, notArchive(err)
		}
		// Read on after a match: a truncated archive must fail here too.
		switch path.Clean(strings.TrimPrefix(hdr.Name, "./")) {
		case "manifest.json":
			sawManifest = true
		case imgspecv1.ImageIndexFile:
			var idx imgspecv1.Index
			if err := json.NewDecoder(io.LimitReader(tr, 16<<20)).Decode(&idx); err != nil {
				return "", nil, notArchive(fmt.Errorf("index.json: %w", err))
			}
			index = &idx
		}
	}
	switch {
	case sawManifest:
		// Newer docker archives carry an OCI index too; their manifest.json
		// has the names.
		return DockerArchive, nil, nil
	case index != nil:
		return OCIArchive, index, nil
	}
	return "", nil, notArchive(errors.New("no manifest.json nor index.json"))
}

func notArchive(err error) error {
	return fmt.Errorf("not a docker-archive or oci-archive (%w): check that the file is complete and was written by save%.0w", err, define.ErrBadArchive)
}

func badArchive(name string, err error) error {
	return fmt.Errorf("load %s: %w%.0w", name, err, define.ErrBadArchive)
}

// loadError keeps a failed copy's error on one line.
func loadError(err error) error {
	if strings.Contains(err.Error(), "\n") {
		return errors.New(strings.Join(strings.Fields(err.Error()), " "))
	}
	return err
}

// dockerArchiveImages lists the images of a docker-archive with all their
// names (none for an untagged image).
func dockerArchiveImages(reader *dockerarchive.Reader) ([]sourceImage, error) {
	groups, err := reader.List()
	if err != nil {
		return nil, err
	}
	sources := make([]sourceImage, 0, len(groups))
	for _, refs := range groups {
		if len(refs) == 0 {
			continue
		}
		src := sourceImage{ref: refs[0]}
		for _, r := range refs {
			if named := r.DockerReference(); named != nil {
				src.names = append(src.names, reference.TagNameOnly(named))
			}
		}
		sources = append(sources, src)
	}
	return sources, nil
}

// ociArchiveImages lists the images of an oci-archive from its index. An
// image is chosen by its name annotation, so an archive of several images
// needs one on each.
func ociArchiveImages(file string, index *imgspecv1.Index) ([]sourceImage, error) {
	var sources []sourceImage
	for _, m := range index.Manifests {
		refName := m.Annotations[imgspecv1.AnnotationRefName]
		if refName == "" && len(index.Manifests) > 1 {
			return nil, fmt.Errorf("image %s of %d has no %s annotation: load it from an oci-dir instead", m.Digest, len(index.Manifests), imgspecv1.AnnotationRefName)
		}
		ref, err := ociarchive.NewReference(file, refName)
		if err != nil {
			return nil, err
		}
		sources = append(sources, sourceImage{ref: ref, names: annotatedName(m)})
	}
	return sources, nil
}

// annotatedName is the name an OCI index records for a manifest (a short
// name under localhost/, the tag defaulting to latest), or none.
func annotatedName(d imgspecv1.Descriptor) []reference.Named {
	refName := d.Annotations[imgspecv1.AnnotationRefName]
	if refName == "" {
		return nil
	}
	named, err := NormalizeName(refName)
	if err != nil {
		logrus.Debugf("load: ignoring the image name %q of %s: %v", refName, d.Digest, err)
		return nil
	}
	return []reference.Named{reference.TagNameOnly(named)}
}
