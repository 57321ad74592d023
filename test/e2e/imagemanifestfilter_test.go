package e2e

import "testing"

// TestImagesManifestFilter: --filter manifest=true lists the manifest
// lists only, manifest=false every other image.
func TestImagesManifestFilter(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	const img = "docker.io/library/alpine:3.20.3"
	e.MustPod(t, "pull", "-q", img)
	e.MustPod(t, "manifest", "create", "mylist")
	format := "{{.Repository}}:{{.Tag}}"
	if got := e.MustPod(t, "images", "--filter", "manifest=true", "--format", format).Out(); got != "localhost/mylist:latest" {
		t.Errorf("manifest=true listed %q, want the list only", got)
	}
	if got := e.MustPod(t, "images", "--filter", "manifest=false", "--format", format).Out(); got != img {
		t.Errorf("manifest=false listed %q, want %s only", got, img)
	}
}
