package image

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// Platform chooses one image of a multi-architecture image index. Empty
// fields take the host's value (the variant: the library's default for the
// host).
type Platform struct {
	OS      string
	Arch    string
	Variant string
}

// PlatformOptions are the user's platform flags as given: --platform
// "os[/arch[/variant]]" conflicts with --os and --arch.
type PlatformOptions struct {
	Platform string
	OS       string
	Arch     string
	Variant  string
}

// ParsePlatform validates the platform flags and returns the platform they
// ask for; the zero Platform when none is given.
func ParsePlatform(o PlatformOptions) (Platform, error) {
	p := Platform{OS: o.OS, Arch: o.Arch, Variant: o.Variant}
	if o.Platform != "" {
		if o.OS != "" || o.Arch != "" {
			return Platform{}, fmt.Errorf("--platform option can not be specified with --arch or --os: %w", define.ErrInvalidArg)
		}
		parts := strings.Split(o.Platform, "/")
		if len(parts) > 3 || slices.Contains(parts, "") {
			return Platform{}, fmt.Errorf("--platform %q: want os[/arch[/variant]], e.g. linux/arm64 or linux/arm/v7: %w", o.Platform, define.ErrInvalidArg)
		}
		p.OS = parts[0]
		if len(parts) > 1 {
			p.Arch = parts[1]
		}
		if len(parts) > 2 {
			if o.Variant != "" && o.Variant != parts[2] {
				return Platform{}, fmt.Errorf("--platform %q and --variant %q disagree: give the variant once: %w", o.Platform, o.Variant, define.ErrInvalidArg)
			}
			p.Variant = parts[2]
		}
	}
	for flag, v := range map[string]string{"os": p.OS, "arch": p.Arch, "variant": p.Variant} {
		if strings.ContainsAny(v, "/ \t\n") {
			return Platform{}, fmt.Errorf("--%s %q: not a single %s name: %w", flag, v, flag, define.ErrInvalidArg)
		}
	}
	return p, nil
}

// IsZero reports whether no platform was asked for.
func (p Platform) IsZero() bool { return p == Platform{} }

// apply makes the image library choose p from image indexes.
func (p Platform) apply(sys *types.SystemContext) {
	sys.OSChoice = p.OS
	sys.ArchitectureChoice = normalizeArch(p.Arch)
	sys.VariantChoice = p.Variant
}

// normalizeArch maps the kernel's architecture names to the ones image
// indexes use.
func normalizeArch(arch string) string {
	switch arch {
	case "x86_64", "x86-64":
		return "amd64"
	case "aarch64":
		return "arm64"
	case "i386", "i686":
		return "386"
	}
	return arch
}

// matches reports whether img was built for p (empty fields of p stand for
// the host's OS and architecture, and any variant). An image whose config
// cannot be read does not match, so that it is pulled again.
func (p Platform) matches(ctx context.Context, store storage.Store, img *storage.Image) bool {
	cfg, _, err := Config(ctx, store, img)
	if err != nil {
		logrus.Debugf("platform of image %s: %v", img.ID, err)
		return false
	}
	wantOS, wantArch := p.OS, normalizeArch(p.Arch)
	if wantOS == "" {
		wantOS = runtime.GOOS
	}
	if wantArch == "" {
		wantArch = runtime.GOARCH
	}
	if cfg.OS != wantOS || normalizeArch(cfg.Architecture) != wantArch {
		return false
	}
	return p.Variant == "" || cfg.Variant == p.Variant
}
