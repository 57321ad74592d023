package image

import (
	"errors"
	"testing"

	"go.podman.io/image/v5/manifest"

	"github.com/pod-engine/pod/libpod/define"
)

func TestPushCopyOptions(t *testing.T) {
	sys, err := SystemContext(SystemOptions{})
	if err != nil {
		t.Fatal(err)
	}
	no, level := false, 9
	for _, tc := range []struct {
		name      string
		o         PushOptions
		mime      string
		algorithm string
		force     bool
	}{
		{name: "defaults"},
		{name: "v2s2", o: PushOptions{Format: "v2s2"}, mime: manifest.DockerV2Schema2MediaType},
		{name: "zstd forces", o: PushOptions{CompressionFormat: "zstd", CompressionLevel: &level}, algorithm: "zstd", force: true},
		{name: "zstd not forced", o: PushOptions{CompressionFormat: "zstd", ForceCompression: &no}, algorithm: "zstd"},
	} {
		opts, err := pushCopyOptions(sys, tc.o)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if opts.ForceManifestMIMEType != tc.mime || opts.ForceCompressionFormat != tc.force {
			t.Errorf("%s: manifest type %q force %v, want %q %v", tc.name, opts.ForceManifestMIMEType, opts.ForceCompressionFormat, tc.mime, tc.force)
		}
		alg := ""
		if opts.DestinationCtx.CompressionFormat != nil {
			alg = opts.DestinationCtx.CompressionFormat.Name()
		}
		if alg != tc.algorithm {
			t.Errorf("%s: compression %q, want %q", tc.name, alg, tc.algorithm)
		}
		if sys.CompressionFormat != nil || sys.CompressionLevel != nil {
			t.Errorf("%s: the source context was changed", tc.name)
		}
		if tc.o.CompressionLevel != nil && (opts.DestinationCtx.CompressionLevel == nil || *opts.DestinationCtx.CompressionLevel != level) {
			t.Errorf("%s: compression level not set", tc.name)
		}
	}
	for _, o := range []PushOptions{{Format: "v3"}, {CompressionFormat: "xz"}, {CompressionFormat: "brotli"}} {
		if _, err := pushCopyOptions(sys, o); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("%+v: %v, want an invalid argument", o, err)
		}
	}
}

func TestDestinationReference(t *testing.T) {
	for in, want := range map[string]string{
		"reg.io/x/y":                "docker://reg.io/x/y:latest",
		"docker://reg.io:5000/x":    "docker://reg.io:5000/x:latest",
		"alpine":                    "docker://alpine:latest",
		"oci:/tmp/layout:name":      "oci:/tmp/layout:name",
		"dir:/tmp/d":                "dir:/tmp/d",
		"docker-archive:/tmp/a.tar": "docker-archive:/tmp/a.tar",
	} {
		ref, err := destinationReference(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := ref.Transport().Name() + ":" + ref.StringWithinTransport(); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
	for _, in := range []string{"Bad!", "docker://", "reg.io/x:bad tag"} {
		if _, err := destinationReference(in); !errors.Is(err, define.ErrBadReference) {
			t.Errorf("%s: %v, want a bad reference", in, err)
		}
	}
}
