package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// manifestDoc is what `manifest inspect` prints.
type manifestDoc struct {
	SchemaVersion int    `json:"schemaVersion"`
	MediaType     string `json:"mediaType"`
	Manifests     []struct {
		MediaType string `json:"mediaType"`
		Size      int64  `json:"size"`
		Digest    string `json:"digest"`
		Platform  struct {
			Architecture string `json:"architecture"`
			OS           string `json:"os"`
			Variant      string `json:"variant"`
		} `json:"platform"`
		Annotations map[string]string `json:"annotations"`
	} `json:"manifests"`
}

// inspectManifest runs `manifest inspect name` and parses its output.
func inspectManifest(t *testing.T, e *Env, name string) *manifestDoc {
	t.Helper()
	r := e.MustPod(t, "manifest", "inspect", name)
	var doc manifestDoc
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("manifest inspect %s: %v: %s", name, err, r.describe())
	}
	if !strings.HasPrefix(r.Stdout, "{\n    \"schemaVersion\": 2,\n") {
		t.Errorf("manifest inspect %s is not indented JSON: %q", name, r.Stdout)
	}
	return &doc
}

// registryManifest returns the digest, media type and body the local
// registry serves for repo:ref, accepting lists and images.
func registryManifest(t *testing.T, repo, ref string) (digest, mediaType string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+cfg.registry+"/v2/"+repo+"/manifests/"+ref, nil)
	req.Header.Set("Accept", strings.Join([]string{
		"application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
		"application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"}, ", "))
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("registry %s:%s: status %d, %v", repo, ref, resp.StatusCode, err)
	}
	return resp.Header.Get("Docker-Content-Digest"), resp.Header.Get("Content-Type"), body
}

// registryConfigID returns the config digest (the image id) of the image
// the registry serves as repo:ref.
func registryConfigID(t *testing.T, repo, ref string) string {
	t.Helper()
	_, _, body := registryManifest(t, repo, ref)
	var m struct {
		Config struct {
			Digest string `json:"digest"`
		} `json:"config"`
	}
	if err := json.Unmarshal(body, &m); err != nil || !strings.HasPrefix(m.Config.Digest, "sha256:") {
		t.Fatalf("manifest of %s:%s has no config: %v %s", repo, ref, err, body)
	}
	return strings.TrimPrefix(m.Config.Digest, "sha256:")
}

// TestManifestList builds a two-architecture list from alpine 3.20.3 (read
// from the registry, marked arm64) and 3.19.4 (a local image), pushes it,
// pulls each architecture back into a fresh store, inspects the remote
// list, then edits and removes the local list.
func TestManifestList(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	reg := cfg.registry
	d320, d319 := registryDigest(t, "3.20.3"), registryDigest(t, "3.19.4")
	id320, id319 := registryConfigID(t, "library/alpine", "3.20.3"), registryConfigID(t, "library/alpine", "3.19.4")

	r := e.MustPod(t, "manifest", "create", "multi1")
	id := r.Out()
	if !hex64Re.MatchString(id) {
		t.Fatalf("manifest create printed %q, want an id", r.Stdout)
	}
	if doc := inspectManifest(t, e, "multi1"); len(doc.Manifests) != 0 || doc.SchemaVersion != 2 {
		t.Errorf("a new list is not empty: %+v", doc)
	}
	if imgs := e.MustPod(t, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").Lines(); !contains(imgs, "localhost/multi1:latest "+id[:12]) {
		t.Errorf("images does not list the manifest list: %q", imgs)
	}
	e.MustPod(t, "manifest", "exists", "multi1")

	r = e.MustPod(t, "manifest", "add", "--arch", "arm64", "--tls-verify=false", "multi1", "docker://"+reg+"/library/alpine:3.20.3")
	expectStdout(t, r, id+"\n")
	e.MustPod(t, "pull", "-q", reg+"/library/alpine:3.19.4")
	r = e.MustPod(t, "manifest", "add", "--arch", "amd64", "--annotation", "org.example.build=yes", "multi1",
		"containers-storage:"+reg+"/library/alpine:3.19.4")
	expectStdout(t, r, id+"\n")

	doc := inspectManifest(t, e, "multi1")
	if len(doc.Manifests) != 2 {
		t.Fatalf("the list holds %d instances, want 2: %+v", len(doc.Manifests), doc)
	}
	arm, amd := doc.Manifests[0], doc.Manifests[1]
	if arm.Digest != d320 || arm.Platform.Architecture != "arm64" || arm.Platform.OS != "linux" || arm.Size == 0 {
		t.Errorf("first instance %+v, want %s linux/arm64", arm, d320)
	}
	if amd.Digest != d319 || amd.Platform.Architecture != "amd64" || amd.Platform.OS != "linux" || amd.Annotations["org.example.build"] != "yes" {
		t.Errorf("second instance %+v, want %s linux/amd64 with the annotation", amd, d319)
	}

	// Push the instances and the list.
	digestFile := filepath.Join(e.Home, "multi.digest")
	r = e.MustPod(t, "manifest", "push", "--tls-verify=false", "--digestfile", digestFile, "multi1", reg+"/test/multi:1")
	if r.Stdout != "" {
		t.Errorf("manifest push printed on stdout: %q", r.Stdout)
	}
	for _, want := range []string{"Copying 2 ", "Writing manifest list to image destination"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("manifest push progress lacks %q: %s", want, r.describe())
		}
	}
	pushed, mediaType, body := registryManifest(t, "test/multi", "1")
	if b, err := os.ReadFile(digestFile); err != nil || string(b) != pushed {
		t.Errorf("--digestfile holds %q (%v), the registry serves %s", b, err, pushed)
	}
	if !strings.Contains(mediaType, "index") && !strings.Contains(mediaType, "list") {
		t.Errorf("the registry serves test/multi:1 as %q: %s", mediaType, body)
	}

	// A fresh store pulls each architecture's instance.
	f := NewEnv(t, EnvOptions{})
	r = f.MustPod(t, "pull", "-q", "--arch", "arm64", "--tls-verify=false", reg+"/test/multi:1")
	if r.Out() != id320 {
		t.Errorf("pull --arch arm64 of the list got image %q, want alpine 3.20.3's %s", r.Out(), id320)
	}
	if got := f.MustPod(t, "image", "inspect", "--format", "{{.RepoDigests}}", r.Out()).Out(); !strings.Contains(got, d320) {
		t.Errorf("the arm64 image's digests %s lack the instance digest %s", got, d320)
	}
	r = f.MustPod(t, "pull", "-q", "--arch", "amd64", "--tls-verify=false", reg+"/test/multi:1")
	if r.Out() != id319 {
		t.Errorf("pull --arch amd64 of the list got image %q, want alpine 3.19.4's %s", r.Out(), id319)
	}
	// The local image of that name is not a list: inspect reads the registry's.
	remote := inspectManifest(t, f, reg+"/test/multi:1")
	if len(remote.Manifests) != 2 || remote.Manifests[0].Digest != d320 || remote.Manifests[0].Platform.Architecture != "arm64" ||
		remote.Manifests[1].Platform.Architecture != "amd64" {
		t.Errorf("remote list %+v", remote)
	}

	// Edit the local list: annotate, then remove an instance.
	r = e.MustPod(t, "manifest", "annotate", "--variant", "v8", "--annotation", "k=v", "multi1", d320)
	expectStdout(t, r, id+"\n")
	if doc := inspectManifest(t, e, "multi1"); doc.Manifests[0].Platform.Variant != "v8" || doc.Manifests[0].Annotations["k"] != "v" {
		t.Errorf("after annotate: %+v", doc.Manifests[0])
	}
	r = e.MustPod(t, "manifest", "remove", "multi1", d320)
	expectStdout(t, r, id+"\n")
	if doc := inspectManifest(t, e, "multi1"); len(doc.Manifests) != 1 || doc.Manifests[0].Digest != d319 {
		t.Errorf("after remove: %+v", doc)
	}
	r = e.Pod(t, "manifest", "remove", "multi1", d320)
	expectExit(t, r, 125)
	expectErrorLine(t, r, d320)

	r = e.MustPod(t, "manifest", "rm", "multi1")
	expectStdout(t, r, "Untagged: localhost/multi1:latest\nDeleted: "+id+"\n")
	expectExit(t, e.Pod(t, "manifest", "exists", "multi1"), 1)
	// The local image the list was made from stays.
	e.MustPod(t, "image", "exists", reg+"/library/alpine:3.19.4")
}

// TestManifestErrors checks the refusals: an unknown list, an image that is
// not a list, malformed references, a name already used.
func TestManifestErrors(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	reg := cfg.registry
	e.MustPod(t, "pull", "-q", reg+"/library/alpine:3.19.4")

	r := e.Pod(t, "manifest", "add", "nosuchlist", "docker://"+reg+"/library/alpine:3.20.3")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuchlist: image not known")
	r = e.Pod(t, "manifest", "add", reg+"/library/alpine:3.19.4", "docker://"+reg+"/library/alpine:3.20.3")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "image is not a manifest list")
	r = e.Pod(t, "manifest", "exists", reg+"/library/alpine:3.19.4")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "image is not a manifest list")
	r = e.Pod(t, "manifest", "rm", reg+"/library/alpine:3.19.4")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "image is not a manifest list")
	r = e.Pod(t, "manifest", "rm", "nosuchlist")
	expectExit(t, r, 1)
	expectErrorLine(t, r, "nosuchlist: image not known")
	r = e.Pod(t, "manifest", "push", "--tls-verify=false", "nosuchlist", reg+"/test/nosuch:1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuchlist: image not known")
	r = e.Pod(t, "manifest", "inspect", reg+"/library/alpine:3.19.4")
	expectExit(t, r, 125)
	if cfg.podman { // podman 4.3 prints the image library's own words
		expectErrorLine(t, r, "Treating single images as manifest lists is not implemented")
	} else {
		expectErrorLine(t, r, reg+"/library/alpine:3.19.4: image is not a manifest list")
	}

	r = e.Pod(t, "manifest", "create", "Bad!")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "invalid reference format")
	id := e.MustPod(t, "manifest", "create", "errlist").Out()
	r = e.Pod(t, "manifest", "add", "errlist", "docker://Bad!Ref")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "invalid reference format")
	r = e.Pod(t, "manifest", "add", "--tls-verify=false", "errlist", "docker://"+reg+"/library/nosuch:1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "manifest unknown")
	r = e.Pod(t, "manifest", "remove", "errlist", "notadigest")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "invalid image digest")
	r = e.Pod(t, "manifest", "create", "errlist")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "localhost/errlist:latest")
	r = e.MustPod(t, "manifest", "create", "--amend", "errlist")
	expectStdout(t, r, id+"\n")
	if doc := inspectManifest(t, e, "errlist"); len(doc.Manifests) != 0 {
		t.Errorf("failed adds changed the list: %+v", doc)
	}
	r = e.Pod(t, "manifest", "add", "errlist")
	expectExit(t, r, 125)
	e.MustPod(t, "rmi", "errlist")
}
