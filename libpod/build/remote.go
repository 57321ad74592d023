package build

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
)

// IsURL reports whether an ADD source is a URL to download.
func IsURL(src string) bool {
	return strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")
}

// Download fetches rawURL (by pod itself, on the host's network) into a
// new file in dir, named as the URL's last path element ("download" when it
// has none), mode 0600, with the server's Last-Modified time. It returns
// the root (dir) and the source to copy.
func Download(ctx context.Context, client *http.Client, rawURL, dir string) (*Root, Source, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, Source{}, fmt.Errorf("ADD %s: %w: %w", rawURL, err, define.ErrInvalidArg)
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." || name == "" {
		name = "download"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, Source{}, fmt.Errorf("ADD %s: %w: %w", rawURL, err, define.ErrInvalidArg)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, Source{}, fmt.Errorf("ADD %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, Source{}, fmt.Errorf("ADD %s: the server answered %s: %w", rawURL, resp.Status, define.ErrInvalidArg)
	}
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, Source{}, err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return nil, Source{}, fmt.Errorf("ADD %s: downloading: %w", rawURL, err)
	}
	if err := f.Close(); err != nil {
		return nil, Source{}, err
	}
	if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		_ = os.Chtimes(p, lm, lm)
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, Source{}, err
	}
	return &Root{Dir: dir}, Source{Rel: name, Path: p, Info: st}, nil
}
