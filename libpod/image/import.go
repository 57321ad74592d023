package image

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	v1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/storage"
	"go.podman.io/storage/pkg/archive"

	"github.com/pod-engine/pod/libpod/define"
)

// ImportOptions describe an import of a file system tarball.
type ImportOptions struct {
	// Source names the tarball in messages.
	Source string
	// Name is the new image's name as the user gave it ("": untagged).
	Name string
	// Changes are --change instructions for the new image's config.
	Changes []string
	// Message is the history entry's comment.
	Message string
	// OS, Arch and Variant default to this machine's.
	OS, Arch, Variant string
	// Progress receives the copy's progress lines (nil: none).
	Progress io.Writer
}

// CheckImport validates the name and the changes of an import, before
// any work.
func CheckImport(o *ImportOptions) (reference.Named, error) {
	if err := CheckChanges(o.Changes); err != nil {
		return nil, err
	}
	return newImageName(o.Name)
}

// Import stores a one-layer image whose layer is the tar archive read from
// r (uncompressed, or compressed with gzip, bzip2, xz or zstd), with a
// config made of the changes and a history entry commented with the
// message. The archive is read to its end and checked first: one that is
// not a tar archive, or is cut short, is an error wrapping
// define.ErrInvalidArg and nothing is stored.
func Import(ctx context.Context, store storage.Store, r io.Reader, o ImportOptions) (*storage.Image, error) {
	named, err := CheckImport(&o)
	if err != nil {
		return nil, err
	}
	var settings Settings
	if err := settings.ApplyChanges(o.Changes); err != nil {
		return nil, err
	}
	settings.OnBuild = nil // the OCI format has no ONBUILD

	lf, err := tarballLayerFile(r)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", o.Source, err)
	}
	defer os.Remove(lf.path)

	p := &imageParts{
		created: time.Now().UTC(), settings: settings,
		platform: v1.Platform{OS: o.OS, Architecture: o.Arch, Variant: o.Variant},
	}
	if p.platform.OS == "" {
		p.platform.OS = runtime.GOOS
	}
	if p.platform.Architecture == "" {
		p.platform.Architecture = runtime.GOARCH
	}
	p.history = []v1.History{{
		Created:   &p.created,
		CreatedBy: "/bin/sh -c #(nop) ADD file:" + lf.digest.Encoded() + " in /",
		Comment:   o.Message,
	}}
	built, err := assemble(p, []blobLayer{{digest: lf.digest, size: lf.size, open: lf.open}}, false, nil)
	if err != nil {
		return nil, err
	}
	img, err := built.store(ctx, store, named, o.Progress)
	if err != nil {
		return nil, fmt.Errorf("import %s: storing the image: %w", o.Source, err)
	}
	return img, nil
}

// tarballLayerFile decompresses r into a temporary file, checking that it
// is a complete tar archive.
func tarballLayerFile(r io.Reader) (*layerFile, error) {
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("the archive is empty: give a tar archive of a file system%.0w", define.ErrInvalidArg)
		}
		return nil, err
	}
	plain, err := archive.DecompressStream(br)
	if err != nil {
		return nil, fmt.Errorf("not a tar archive: %w%.0w", err, define.ErrInvalidArg)
	}
	defer plain.Close()
	lf, err := writeLayerFile(BigFilesDir(), plain, checkTar)
	if err != nil {
		return nil, err
	}
	return lf, nil
}

// checkTar reads a whole tar archive from r, and the padding after it.
func checkTar(r io.Reader) error {
	tr := tar.NewReader(r)
	entries := 0
	for {
		_, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			_, err = io.Copy(io.Discard, tr)
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) && entries > 0 {
				return fmt.Errorf("the tar archive is truncated after %d entries%.0w", entries, define.ErrInvalidArg)
			}
			return fmt.Errorf("not a valid tar archive: %w%.0w", err, define.ErrInvalidArg)
		}
		entries++
	}
	_, err := io.Copy(io.Discard, r)
	return err
}
