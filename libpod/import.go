package libpod

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
)

// ImportOptions tune ImportImage.
type ImportOptions struct {
	// Changes are Dockerfile instructions for the new image's config
	// (see image.Settings.ApplyChanges).
	Changes []string
	// Message is the comment of the image's history entry.
	Message string
	// OS, Arch and Variant default to this machine's.
	OS, Arch, Variant string
	// Stdin is read when the source is "-".
	Stdin io.Reader
	// Progress receives the download and copy progress lines (nil: none).
	Progress io.Writer
}

// ImportImage stores a one-layer image made from a file system tarball —
// a file, "-" for o.Stdin, or an http(s) URL — named imageName when it is
// not empty, and returns its id. A source that is not a complete tar
// archive (possibly compressed) is refused and nothing is stored.
func (r *Runtime) ImportImage(ctx context.Context, source, imageName string, o ImportOptions) (string, error) {
	opts := image.ImportOptions{
		Source: source, Name: imageName, Changes: o.Changes, Message: o.Message,
		OS: o.OS, Arch: o.Arch, Variant: o.Variant, Progress: o.Progress,
	}
	if _, err := image.CheckImport(&opts); err != nil {
		return "", err
	}
	in, err := openImportSource(ctx, source, o)
	if err != nil {
		return "", err
	}
	defer in.Close()
	store, err := r.getStore()
	if err != nil {
		return "", err
	}
	img, err := image.Import(ctx, store, in, opts)
	if err != nil {
		return "", r.noSpace("import "+source, err)
	}
	if imageName != "" {
		r.imageEvent(events.Tag, img.ID, imageName)
	}
	return img.ID, nil
}

// openImportSource opens what import reads.
func openImportSource(ctx context.Context, source string, o ImportOptions) (io.ReadCloser, error) {
	switch {
	case source == "-":
		if o.Stdin == nil {
			return nil, fmt.Errorf("import from stdin: no input: %w", define.ErrInvalidArg)
		}
		return io.NopCloser(o.Stdin), nil
	case strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://"):
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "Downloading from %q\n", source)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w: %w", source, err, define.ErrInvalidArg)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("downloading %s: %w", source, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("downloading %s: %s", source, resp.Status)
		}
		return resp.Body, nil
	}
	f, err := os.Open(source)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w: give a tar archive file, - for stdin, or a URL", source, err)
	}
	return f, nil
}
