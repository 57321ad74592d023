package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"
)

// testImage is a one-layer OCI image built in memory.
type testImage struct {
	manifest       []byte
	manifestDigest digest.Digest
	configDigest   digest.Digest
	diffID         digest.Digest
	blobs          map[digest.Digest][]byte
}

// id is the id the image gets in storage: its config digest.
func (ti *testImage) id() string { return ti.configDigest.Encoded() }

// buildImage builds a tiny image whose file /hello contains content.
func buildImage(t *testing.T, content string) *testImage {
	t.Helper()
	created := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	return buildImageWithHistory(t, content, []v1.History{{Created: &created, CreatedBy: "pod test"}})
}

// buildImageWithHistory is buildImage with the config's history entries
// (one of which, not marked EmptyLayer, stands for the layer).
func buildImageWithHistory(t *testing.T, content string, history []v1.History) *testImage {
	t.Helper()
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	for _, f := range []struct{ name, body string }{{"hello", content}, {"etc/motd", "hi\n"}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)),
			Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(layer.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}

	created := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	ti := &testImage{diffID: digest.FromBytes(layer.Bytes()), blobs: map[digest.Digest][]byte{}}
	config := v1.Image{
		Created:  &created,
		Author:   "pod tests",
		Platform: v1.Platform{Architecture: runtime.GOARCH, OS: "linux"},
		Config: v1.ImageConfig{
			User: "1000", Env: []string{"PATH=/bin", "GREETING=" + content}, Cmd: []string{"/bin/sh"},
			Entrypoint: []string{"/entry"}, WorkingDir: "/work", StopSignal: "SIGINT",
			Labels: map[string]string{"org.example.label": "yes"},
		},
		RootFS:  v1.RootFS{Type: "layers", DiffIDs: []digest.Digest{ti.diffID}},
		History: history,
	}
	configBytes := mustJSON(t, config)
	ti.configDigest = ti.add(configBytes)
	layerDigest := ti.add(gz.Bytes())
	ti.manifest = mustJSON(t, v1.Manifest{
		Versioned: specs.Versioned{SchemaVersion: 2},
		MediaType: v1.MediaTypeImageManifest,
		Config:    v1.Descriptor{MediaType: v1.MediaTypeImageConfig, Digest: ti.configDigest, Size: int64(len(configBytes))},
		Layers: []v1.Descriptor{{MediaType: v1.MediaTypeImageLayerGzip, Digest: layerDigest,
			Size: int64(gz.Len())}},
		Annotations: map[string]string{"org.example.annotation": "a"},
	})
	ti.manifestDigest = ti.add(ti.manifest)
	return ti
}

func (ti *testImage) add(b []byte) digest.Digest {
	d := digest.FromBytes(b)
	ti.blobs[d] = b
	return d
}

// writeLayout writes ti as an OCI image layout in dir; refName ("" for none)
// is recorded as the manifest's org.opencontainers.image.ref.name.
func (ti *testImage) writeLayout(t *testing.T, dir, refName string) {
	t.Helper()
	blobDir := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for d, b := range ti.blobs {
		if err := os.WriteFile(filepath.Join(blobDir, d.Encoded()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	desc := v1.Descriptor{MediaType: v1.MediaTypeImageManifest, Digest: ti.manifestDigest, Size: int64(len(ti.manifest))}
	if refName != "" {
		desc.Annotations = map[string]string{v1.AnnotationRefName: refName}
	}
	index := v1.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: v1.MediaTypeImageIndex, Manifests: []v1.Descriptor{desc}}
	for name, b := range map[string][]byte{
		"index.json": mustJSON(t, index),
		"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
