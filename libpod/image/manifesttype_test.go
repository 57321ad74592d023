package image

import (
	"errors"
	"testing"

	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"go.podman.io/image/v5/manifest"

	"github.com/pod-engine/pod/libpod/define"
)

// push takes v2s1 besides the formats manifest push takes.
func TestManifestType(t *testing.T) {
	for _, tc := range []struct {
		format  string
		schema1 bool
		want    string
	}{
		{"", true, ""},
		{"oci", false, imgspecv1.MediaTypeImageManifest},
		{"OCI", true, imgspecv1.MediaTypeImageManifest},
		{"v2s2", false, manifest.DockerV2Schema2MediaType},
		{"docker", true, manifest.DockerV2Schema2MediaType},
		{"v2s1", true, manifest.DockerV2Schema1SignedMediaType},
	} {
		if got, err := manifestType(tc.format, tc.schema1); err != nil || got != tc.want {
			t.Errorf("manifestType(%q, %v) = %q, %v; want %q", tc.format, tc.schema1, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		format  string
		schema1 bool
	}{{"v2s1", false}, {"bogus", true}, {"bogus", false}} {
		if _, err := manifestType(tc.format, tc.schema1); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("manifestType(%q, %v): %v, want ErrInvalidArg", tc.format, tc.schema1, err)
		}
	}
}
