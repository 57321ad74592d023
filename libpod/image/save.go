package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/copy"
	"go.podman.io/image/v5/directory"
	dockerarchive "go.podman.io/image/v5/docker/archive"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/manifest"
	ociarchive "go.podman.io/image/v5/oci/archive"
	ocilayout "go.podman.io/image/v5/oci/layout"
	"go.podman.io/image/v5/signature"
	istorage "go.podman.io/image/v5/storage"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// SaveFormat is the kind of archive or directory Save writes.
type SaveFormat string

// The formats of `save --format`.
const (
	// DockerArchive is a tar file as `docker save` writes it (the default);
	// it may hold several images.
	DockerArchive SaveFormat = "docker-archive"
	// OCIArchive is a tar file of an OCI image layout.
	OCIArchive SaveFormat = "oci-archive"
	// OCIDir is an OCI image layout directory; saving to an existing
	// layout adds the image to it.
	OCIDir SaveFormat = "oci-dir"
	// DockerDir is a directory of blobs and a v2s2 manifest ("dir:").
	DockerDir SaveFormat = "docker-dir"
)

// ParseSaveFormat parses --format; "" is DockerArchive.
func ParseSaveFormat(s string) (SaveFormat, error) {
	switch f := SaveFormat(s); f {
	case "":
		return DockerArchive, nil
	case DockerArchive, OCIArchive, OCIDir, DockerDir:
		return f, nil
	}
	return "", fmt.Errorf("format value must be one of oci-dir oci-archive docker-dir docker-archive, not %q%.0w", s, define.ErrInvalidArg)
}

func (f SaveFormat) isDir() bool { return f == OCIDir || f == DockerDir }

// SaveOptions configure Save.
type SaveOptions struct {
	System SystemOptions
	// Format is the output format; "" is DockerArchive.
	Format SaveFormat
	// Output is the file or directory to write. Empty writes the archive to
	// Stdout (archive formats only).
	Output string
	Stdout io.Writer
	// MultiImage saves every name as an image of its own (docker-archive
	// only). Without it the first name is the image and the others are
	// extra names recorded for it in a docker-archive.
	MultiImage bool
	// Compress compresses the layers of a docker-dir.
	Compress bool
	// Uncompressed keeps the layers of the OCI formats uncompressed.
	Uncompressed bool
	// Quiet suppresses progress; Progress receives it (nil: none).
	Quiet    bool
	Progress io.Writer
}

// SavedImage is an image Save wrote.
type SavedImage struct {
	ID string
	// Names are the names recorded for it in the output.
	Names []string
}

// saveItem is one image to write and the names to record for it.
type saveItem struct {
	img   *storage.Image
	names []reference.NamedTagged
}

// Save writes the local images names to o.Output in o.Format and returns
// what it wrote. Names are recorded as stored (a short name is saved under
// the full name it matched; an id records no name). Every image is looked
// up before anything is written; a file is written next to its destination
// and renamed into place, a new directory likewise, so a failure (also
// ctx's cancellation) leaves no partial output. A docker-archive never
// overwrites an existing non-empty file. Errors are one line; an unknown
// image wraps define.ErrNoSuchImage, bad options define.ErrInvalidArg.
func Save(ctx context.Context, store storage.Store, names []string, o SaveOptions) ([]SavedImage, error) {
	format, err := ParseSaveFormat(string(o.Format))
	if err != nil {
		return nil, err
	}
	if err := checkSaveOptions(format, names, o); err != nil {
		return nil, err
	}
	items, err := saveItems(store, format, names, o.MultiImage)
	if err != nil {
		return nil, err
	}
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, fmt.Errorf("save: %w", err)
	}
	pc, err := policyContext(sys)
	if err != nil {
		return nil, fmt.Errorf("save: %w", err)
	}
	defer func() { _ = pc.Destroy() }()

	out, err := newSaveOutput(sys, format, o.Output)
	if err != nil {
		return nil, err
	}
	s := &saver{store: store, sys: sys, pc: pc, format: format, o: o}
	if err := s.write(ctx, out.path, items); err != nil {
		out.abort()
		return nil, fmt.Errorf("save to %s: %w", out.name(), out.userPaths(err))
	}
	if err := ctx.Err(); err != nil {
		out.abort()
		return nil, fmt.Errorf("save to %s: %w", out.name(), err)
	}
	if err := out.commit(ctx, o.Stdout); err != nil {
		out.abort()
		return nil, fmt.Errorf("save to %s: %w", out.name(), err)
	}
	saved := make([]SavedImage, 0, len(items))
	for _, it := range items {
		si := SavedImage{ID: it.img.ID}
		for _, n := range it.names {
			si.Names = append(si.Names, n.String())
		}
		saved = append(saved, si)
	}
	return saved, nil
}

func checkSaveOptions(format SaveFormat, names []string, o SaveOptions) error {
	switch {
	case len(names) == 0:
		return fmt.Errorf("save: need at least 1 image%.0w", define.ErrInvalidArg)
	case o.Compress && format != DockerDir:
		return fmt.Errorf("--compress can only be set when --format is 'docker-dir'%.0w", define.ErrInvalidArg)
	case o.MultiImage && len(names) > 1 && format != DockerArchive:
		return fmt.Errorf("unsupported format %q for saving multiple images (only docker-archive)%.0w", format, define.ErrInvalidArg)
	case o.Output == "" && format.isDir():
		return fmt.Errorf("save --format %s needs a directory: give it with -o DIR%.0w", format, define.ErrInvalidArg)
	case o.Output == "" && o.Stdout == nil:
		return fmt.Errorf("save: no output given: use -o FILE%.0w", define.ErrInvalidArg)
	}
	return nil
}

// saveItems looks up the images to save: every name with multi, else the
// first name, recorded under the extra names (docker-archive only) and then
// its own. The same image named twice is one item with both names.
func saveItems(store storage.Store, format SaveFormat, names []string, multi bool) ([]*saveItem, error) {
	if !multi {
		img, matched, err := lookup(store, names[0])
		if err != nil {
			return nil, err
		}
		it := &saveItem{img: img}
		if format == DockerArchive {
			for _, extra := range names[1:] {
				named, err := NormalizeName(extra)
				if err != nil {
					return nil, err
				}
				if tagged, ok := reference.TagNameOnly(named).(reference.NamedTagged); ok {
					it.addName(tagged)
				}
			}
		}
		it.addName(taggedName(matched))
		return []*saveItem{it}, nil
	}
	var items []*saveItem
	for _, n := range names {
		img, matched, err := lookup(store, n)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(items, func(it *saveItem) bool { return it.img.ID == img.ID })
		if i < 0 {
			items = append(items, &saveItem{img: img})
			i = len(items) - 1
		}
		items[i].addName(taggedName(matched))
	}
	return items, nil
}

func (it *saveItem) addName(n reference.NamedTagged) {
	if n == nil || slices.ContainsFunc(it.names, func(m reference.NamedTagged) bool { return m.String() == n.String() }) {
		return
	}
	it.names = append(it.names, n)
}

// taggedName parses a stored image name; a digest or unparsable name
// (or "", an image found by id) gives nil.
func taggedName(name string) reference.NamedTagged {
	if name == "" {
		return nil
	}
	named, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return nil
	}
	tagged, _ := named.(reference.NamedTagged)
	return tagged
}

// saver carries the state of one Save call.
type saver struct {
	store  storage.Store
	sys    *types.SystemContext
	pc     *signature.PolicyContext
	format SaveFormat
	o      SaveOptions
}

// write copies items to path in s.format.
func (s *saver) write(ctx context.Context, path string, items []*saveItem) error {
	if s.format == DockerArchive {
		w, err := dockerarchive.NewWriter(s.sys, path)
		if err != nil {
			return err
		}
		for _, it := range items {
			ref, err := w.NewReference(nil)
			if err != nil {
				_ = w.Close()
				return err
			}
			sys := *s.sys
			sys.DockerArchiveAdditionalTags = it.names
			if err := s.copy(ctx, ref, &sys, it.img, manifest.DockerV2Schema2MediaType); err != nil {
				_ = w.Close()
				return err
			}
		}
		return w.Close()
	}

	it := items[0]
	name := ""
	if len(it.names) > 0 {
		name = it.names[0].String()
	}
	sys := *s.sys
	sys.OCIAcceptUncompressedLayers = s.o.Uncompressed
	var ref types.ImageReference
	var err error
	mime := imgspecv1.MediaTypeImageManifest
	switch s.format {
	case OCIArchive:
		ref, err = ociarchive.NewReference(path, name)
	case OCIDir:
		ref, err = ocilayout.NewReference(path, name)
	case DockerDir:
		ref, err = directory.NewReference(path)
		sys.DirForceCompress = s.o.Compress
		mime = manifest.DockerV2Schema2MediaType
	}
	if err != nil {
		return err
	}
	return s.copy(ctx, ref, &sys, it.img, mime)
}

// copy copies the stored image img to dest as the manifest type mime.
func (s *saver) copy(ctx context.Context, dest types.ImageReference, destSys *types.SystemContext, img *storage.Image, mime string) error {
	src, err := istorage.Transport.NewStoreReference(s.store, nil, img.ID)
	if err != nil {
		return err
	}
	opts := &copy.Options{SourceCtx: s.sys, DestinationCtx: destSys, ForceManifestMIMEType: mime}
	if !s.o.Quiet && s.o.Progress != nil {
		opts.ReportWriter = progressWriter(s.o.Progress)
	}
	_, err = copy.Image(ctx, s.pc, dest, src, opts)
	return err
}

// saveOutput is where Save writes: a temporary file or directory next to
// the destination (or, for stdout, in the temporary directory) that commit
// moves into place, or the destination itself when it cannot be replaced
// (a device or pipe).
type saveOutput struct {
	dest string // the user's path; "" is stdout
	path string // what the image library writes
	temp bool   // path is ours, to rename or remove
	// target is the existing directory dest names (symbolic links
	// resolved), cloned into path; commit swaps the two. "" otherwise.
	target string
}

func (o *saveOutput) name() string {
	if o.dest == "" {
		return "stdout"
	}
	return o.dest
}

func newSaveOutput(sys *types.SystemContext, format SaveFormat, dest string) (*saveOutput, error) {
	if dest == "" {
		dir := sys.BigFilesTemporaryDir
		if dir == "" {
			dir = BigFilesDir()
		}
		f, err := os.CreateTemp(dir, "pod-save-*.tar")
		if err != nil {
			return nil, fmt.Errorf("save: %w", err)
		}
		_ = f.Close()
		return &saveOutput{path: f.Name(), temp: true}, nil
	}
	fi, err := os.Stat(dest)
	target := ""
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("save to %s: %w", dest, err)
	case format.isDir() && fi.IsDir():
		// An existing directory is updated as if written in place (an
		// OCI layout gets one more image and keeps its other files; a
		// docker-dir holding a previous image is replaced, any other
		// non-empty directory refused by the image library), but in a
		// clone that commit exchanges with it: a failure leaves it as
		// it was. Where no clone can be made beside it (its parent is not
		// writable) it is written in place.
		if target, err = filepath.EvalSymlinks(dest); err != nil {
			return nil, fmt.Errorf("save to %s: %w", dest, err)
		}
	case format.isDir():
		return nil, fmt.Errorf("save to %s: not a directory: --format %s writes a directory%.0w", dest, format, define.ErrInvalidArg)
	case fi.IsDir():
		return nil, fmt.Errorf("save to %s: is a directory: give a file name with -o, or a directory --format (oci-dir, docker-dir)%.0w", dest, define.ErrInvalidArg)
	case !fi.Mode().IsRegular():
		// A pipe or device: written directly.
		return &saveOutput{dest: dest, path: dest}, nil
	case format == DockerArchive && fi.Size() > 0:
		return nil, fmt.Errorf("save to %s: docker-archive doesn't support modifying existing images: remove the file or choose another -o%.0w", dest, define.ErrInvalidArg)
	}
	where := dest // the temporary output goes beside it
	if target != "" {
		where = target
	}
	dir, base := filepath.Split(filepath.Clean(where))
	if dir == "" {
		dir = "."
	}
	var tmp string
	if format.isDir() {
		tmp, err = os.MkdirTemp(dir, "."+base+".pod-save-*")
		switch {
		case target != "" && errors.Is(err, fs.ErrPermission):
			return &saveOutput{dest: dest, path: dest}, nil
		case err == nil && target != "":
			if err = fsutil.CloneDir(target, tmp, isBlobPath); err != nil {
				_ = os.RemoveAll(tmp)
				return nil, fmt.Errorf("save to %s: copying it: %w", dest, err)
			}
		case err == nil:
			err = os.Chmod(tmp, 0o755)
		}
	} else {
		var f *os.File
		f, err = os.CreateTemp(dir, "."+base+".pod-save-*")
		if err == nil {
			tmp = f.Name()
			err = errors.Join(f.Chmod(0o644), f.Close())
		}
	}
	if err != nil {
		if tmp != "" {
			_ = os.RemoveAll(tmp)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name means nothing to the user
		}
		return nil, fmt.Errorf("save to %s: cannot create it in directory %s: %w", dest, dir, err)
	}
	return &saveOutput{dest: dest, path: tmp, temp: true, target: target}, nil
}

// isBlobPath reports a blob of a directory image (OCI layout
// blobs/sha256/HEX, docker-dir HEX): the image library replaces such files
// but never rewrites them, so a clone may share them.
func isBlobPath(rel string) bool {
	name := filepath.Base(rel)
	if len(name) != 64 && len(name) != 128 {
		return false
	}
	for _, c := range name {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// commit moves the output into place, or copies it to stdout.
func (o *saveOutput) commit(ctx context.Context, stdout io.Writer) error {
	if !o.temp {
		return nil
	}
	if o.target != "" {
		if err := fsutil.ExchangeDirs(o.path, o.target); err != nil {
			return err
		}
		if err := os.RemoveAll(o.path); err != nil { // now the previous content
			logrus.Warnf("save to %s: removing the previous content: %v", o.dest, err)
		}
		return nil
	}
	if o.dest != "" {
		return os.Rename(o.path, o.dest)
	}
	defer os.Remove(o.path)
	f, err := os.Open(o.path)
	if err != nil {
		return err
	}
	defer f.Close()
	return copyContext(ctx, stdout, f)
}

// copyContext copies src to dst until done or ctx is cancelled, which
// ends the wait even while a read or write blocks (a stalled pipe).
func copyContext(ctx context.Context, dst io.Writer, src io.Reader) error {
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(dst, src)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// userPaths makes err, from writing the temporary output, name the
// destination the user gave instead.
func (o *saveOutput) userPaths(err error) error {
	if !o.temp || o.dest == "" || !strings.Contains(err.Error(), o.path) {
		return err
	}
	return &renamedPathError{err: err, from: o.path, to: o.dest}
}

// renamedPathError is err with one path replaced in its message.
type renamedPathError struct {
	err      error
	from, to string
}

func (e *renamedPathError) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.from, e.to)
}

func (e *renamedPathError) Unwrap() error { return e.err }

// abort removes what a failed Save wrote of its own.
func (o *saveOutput) abort() {
	if o.temp {
		_ = os.RemoveAll(o.path)
	}
}
