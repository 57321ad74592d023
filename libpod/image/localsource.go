package image

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/opencontainers/go-digest"
	"go.podman.io/image/v5/copy"
	"go.podman.io/image/v5/docker/reference"
	imageimpl "go.podman.io/image/v5/image"
	"go.podman.io/image/v5/signature"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"
)

// builtImage is an image pod made itself (commit, import): a manifest and
// config in memory, and layer blobs it can open. It is stored by copying it
// with the image library into the store, which reuses the layers the store
// has already (by their uncompressed digest) and opens only the others.
type builtImage struct {
	manifest     []byte
	manifestType string
	config       []byte
	configDigest digest.Digest
	// blobs opens a layer blob by digest.
	blobs map[digest.Digest]func() (io.ReadCloser, int64, error)
}

// store copies the image into store under name (nil: untagged) and returns
// the stored image. Progress goes to out (nil: none).
func (b *builtImage) store(ctx context.Context, store storage.Store, name reference.Named, out io.Writer) (*storage.Image, error) {
	id := ""
	if name == nil {
		// An image without a name is referred to by its id: the config's digest.
		id = b.configDigest.Encoded()
	}
	destRef, err := istorage.Transport.NewStoreReference(store, name, id)
	if err != nil {
		return nil, err
	}
	// The source is this process's own data: no signature applies to it.
	policy, err := signature.NewPolicyFromBytes([]byte(insecureAcceptAnything))
	if err != nil {
		return nil, err
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		return nil, err
	}
	defer func() { _ = pc.Destroy() }()
	opts := &copy.Options{}
	if out != nil {
		opts.ReportWriter = progressWriter(out)
	}
	if _, err := copy.Image(ctx, pc, destRef, &builtRef{img: b}, opts); err != nil {
		return nil, err
	}
	img, err := istorage.Transport.GetStoreImage(store, destRef)
	if err != nil {
		return nil, fmt.Errorf("reading the new image: %w", err)
	}
	return img, nil
}

// builtTransport is the (unregistered) transport of builtRef.
type builtTransport struct{}

func (builtTransport) Name() string { return "pod-built" }
func (builtTransport) ParseReference(string) (types.ImageReference, error) {
	return nil, errors.New("pod-built images cannot be named")
}
func (builtTransport) ValidatePolicyConfigurationScope(string) error { return nil }

// builtRef is the image reference of a builtImage.
type builtRef struct{ img *builtImage }

func (r *builtRef) Transport() types.ImageTransport         { return builtTransport{} }
func (r *builtRef) StringWithinTransport() string           { return r.img.configDigest.String() }
func (r *builtRef) DockerReference() reference.Named        { return nil }
func (r *builtRef) PolicyConfigurationIdentity() string     { return "" }
func (r *builtRef) PolicyConfigurationNamespaces() []string { return nil }
func (r *builtRef) NewImage(ctx context.Context, sys *types.SystemContext) (types.ImageCloser, error) {
	src, err := r.NewImageSource(ctx, sys)
	if err != nil {
		return nil, err
	}
	return imageimpl.FromSource(ctx, sys, src)
}
func (r *builtRef) NewImageSource(context.Context, *types.SystemContext) (types.ImageSource, error) {
	return &builtSource{ref: r}, nil
}
func (r *builtRef) NewImageDestination(context.Context, *types.SystemContext) (types.ImageDestination, error) {
	return nil, errors.New("pod-built images can only be read")
}
func (r *builtRef) DeleteImage(context.Context, *types.SystemContext) error {
	return errors.New("pod-built images cannot be deleted")
}

// builtSource serves a builtImage to the image library's copy.
type builtSource struct{ ref *builtRef }

func (s *builtSource) Reference() types.ImageReference { return s.ref }
func (s *builtSource) Close() error                    { return nil }
func (s *builtSource) HasThreadSafeGetBlob() bool      { return false }
func (s *builtSource) GetManifest(_ context.Context, instance *digest.Digest) ([]byte, string, error) {
	if instance != nil {
		return nil, "", errors.New("pod-built images have no manifest list")
	}
	return s.ref.img.manifest, s.ref.img.manifestType, nil
}
func (s *builtSource) GetSignatures(context.Context, *digest.Digest) ([][]byte, error) {
	return nil, nil
}
func (s *builtSource) LayerInfosForCopy(context.Context, *digest.Digest) ([]types.BlobInfo, error) {
	return nil, nil
}

func (s *builtSource) GetBlob(_ context.Context, info types.BlobInfo, _ types.BlobInfoCache) (io.ReadCloser, int64, error) {
	img := s.ref.img
	if info.Digest == img.configDigest {
		return io.NopCloser(bytes.NewReader(img.config)), int64(len(img.config)), nil
	}
	if open, ok := img.blobs[info.Digest]; ok {
		return open()
	}
	return nil, 0, fmt.Errorf("blob %s: %w", info.Digest, os.ErrNotExist)
}

// layerFile is an uncompressed layer written to a temporary file, with its
// digest and size.
type layerFile struct {
	path   string
	digest digest.Digest
	size   int64
}

// writeLayerFile copies r into a new temporary file in dir, computing its
// digest. check, when not nil, reads the same bytes as they are written
// and fails the copy when it returns an error (a tar archive that does not
// parse). The caller removes the file.
func writeLayerFile(dir string, r io.Reader, check func(io.Reader) error) (*layerFile, error) {
	f, err := os.CreateTemp(dir, "pod-layer-*.tar")
	if err != nil {
		return nil, err
	}
	lf := &layerFile{path: f.Name()}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	if check != nil {
		err = check(io.TeeReader(r, w))
	} else {
		_, err = io.Copy(w, r)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(lf.path)
		return nil, err
	}
	st, err := os.Stat(lf.path)
	if err != nil {
		_ = os.Remove(lf.path)
		return nil, err
	}
	lf.size = st.Size()
	lf.digest = digest.NewDigestFromBytes(digest.SHA256, h.Sum(nil))
	return lf, nil
}

// open opens the layer for reading.
func (lf *layerFile) open() (io.ReadCloser, int64, error) {
	f, err := os.Open(lf.path)
	if err != nil {
		return nil, 0, err
	}
	return f, lf.size, nil
}

// BigFilesDir is where temporary layer files go: $TMPDIR, else /var/tmp
// (as the image library's own temporary blobs), never a tmpfs /tmp by
// default.
func BigFilesDir() string {
	if d := os.Getenv("TMPDIR"); d != "" {
		return d
	}
	return "/var/tmp"
}
