package e2e

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The images these tests pull are seeded by test/setup-multiarch.sh:
// library/multi (an index of linux/amd64, linux/arm64/v8, linux/arm/v7),
// library/tags (t1, t2, t3) and library/big (the alpine layer + 60 MiB).

const (
	ociIndexType    = "application/vnd.oci.image.index.v1+json"
	ociManifestType = "application/vnd.oci.image.manifest.v1+json"
	ociConfigType   = "application/vnd.oci.image.config.v1+json"
)

// registryGet fetches path from the test registry with the Accept header,
// decodes the JSON body into v (when not nil) and returns the
// Docker-Content-Digest header.
func registryGet(t testing.TB, path, accept string, v any) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+cfg.registry+path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("registry GET %s: %d %s (run test/setup.sh)", path, resp.StatusCode, bytes.TrimSpace(body))
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("registry GET %s: %v", path, err)
		}
	}
	return resp.Header.Get("Docker-Content-Digest")
}

type ociDescriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
	Platform  *struct {
		Architecture string `json:"architecture"`
		OS           string `json:"os"`
		Variant      string `json:"variant"`
	} `json:"platform,omitempty"`
}

type ociManifest struct {
	Config    ociDescriptor   `json:"config"`
	Layers    []ociDescriptor `json:"layers"`
	Manifests []ociDescriptor `json:"manifests"`
}

// multiImages returns the digest of library/multi:latest's index and the
// image id (config digest without "sha256:") of each "os/arch[/variant]".
func multiImages(t testing.TB) (string, map[string]string) {
	t.Helper()
	var index ociManifest
	indexDigest := registryGet(t, "/v2/library/multi/manifests/latest", ociIndexType, &index)
	ids := map[string]string{}
	for _, m := range index.Manifests {
		if m.Platform == nil {
			continue
		}
		var man ociManifest
		registryGet(t, "/v2/library/multi/manifests/"+m.Digest, ociManifestType, &man)
		p := m.Platform.OS + "/" + m.Platform.Architecture
		if m.Platform.Variant != "" {
			p += "/" + m.Platform.Variant
		}
		ids[p] = strings.TrimPrefix(man.Config.Digest, "sha256:")
	}
	if len(ids) != 3 {
		t.Fatalf("library/multi:latest has platforms %v, want 3 (run test/setup.sh)", ids)
	}
	return indexDigest, ids
}

func registryLogPath() string {
	return filepath.Join(envOr("POD_TEST_REGISTRY_DIR", "/var/tmp/pod-test-registry"), "registry.log")
}

// registryLogSize is the current size of the registry's access log.
func registryLogSize(t testing.TB) int64 {
	t.Helper()
	st, err := os.Stat(registryLogPath())
	if err != nil {
		t.Fatalf("registry log: %v", err)
	}
	return st.Size()
}

// registryLogSince returns the access log lines written after offset.
func registryLogSince(t testing.TB, offset int64) []string {
	t.Helper()
	f, err := os.Open(registryLogPath())
	if err != nil {
		t.Fatalf("registry log: %v", err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	return splitLines(string(b))
}

func TestPullDigestDetails(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	d := registryDigest(t, "3.20.3")
	repo := cfg.registry + "/library/alpine"

	id := e.MustPod(t, "pull", "-q", repo+"@"+d).Out()
	if !hex64Re.MatchString(id) {
		t.Fatalf("pull by digest printed %q", id)
	}
	f := e.MustPod(t, "image", "inspect", "--format", "{{.Digest}} {{json .RepoDigests}} {{len .RepoTags}}", repo+"@"+d).Out()
	if want := fmt.Sprintf("%s [%q] 0", d, repo+"@"+d); f != want {
		t.Errorf("inspect after a pull by digest = %s, want %s", f, want)
	}
	r := e.MustPod(t, "images", "--digests")
	if !strings.Contains(r.Stdout, d) {
		t.Errorf("images --digests does not show %s:\n%s", d, r.Stdout)
	}

	// name:tag@digest: the digest names the image, the tag is neither checked nor stored.
	for _, ref := range []string{repo + ":3.20.3@" + d, repo + ":no-such-tag@" + d, "alpine:3.20.3@" + d} {
		if got := e.MustPod(t, "pull", "-q", ref).Out(); got != id {
			t.Errorf("pull %s printed %q, want %s", ref, got, id)
		}
	}
	if tags := e.MustPod(t, "image", "inspect", "--format", "{{len .RepoTags}}", id).Out(); tags != "0" {
		t.Errorf("a pull of tag@digest stored %s tags, want none", tags)
	}
	r = e.Pod(t, "pull", "-q", repo+":3.20.3@sha256:"+strings.Repeat("1", 64))
	expectExit(t, r, 125)
	expectErrorLine(t, r, "sha256:1111")
}

func TestPullPlatform(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	indexDigest, ids := multiImages(t)
	ref := cfg.registry + "/library/multi:latest"
	arch := func() string {
		return e.MustPod(t, "image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", ref).Out()
	}

	if got := e.MustPod(t, "pull", "-q", "--arch", "arm64", ref).Out(); got != ids["linux/arm64/v8"] {
		t.Errorf("pull --arch arm64 printed %q, want the arm64 image %s", got, ids["linux/arm64/v8"])
	}
	if got := arch(); got != "linux/arm64" {
		t.Errorf("after pull --arch arm64 the image is for %s", got)
	}
	r := e.MustPod(t, "image", "inspect", "--format", "{{.Digest}} {{json .RepoDigests}}", ref)
	if !strings.HasPrefix(r.Out(), indexDigest+" ") || !strings.Contains(r.Out(), cfg.registry+"/library/multi@"+indexDigest) {
		t.Errorf("inspect of a pull from an index = %s, want Digest and a RepoDigest %s", r.Out(), indexDigest)
	}

	for _, args := range [][]string{
		{"--platform", "linux/arm/v7"},
		{"--arch", "arm", "--variant", "v7"},
		{"--os", "linux", "--arch", "arm", "--variant", "v7"},
	} {
		got := e.MustPod(t, append(append([]string{"pull", "-q"}, args...), ref)...).Out()
		if got != ids["linux/arm/v7"] {
			t.Errorf("pull %v printed %q, want the arm/v7 image %s", args, got, ids["linux/arm/v7"])
		}
	}

	// Without a platform flag the host's image is chosen.
	host := "linux/" + runtime.GOARCH
	if got := e.MustPod(t, "pull", "-q", ref).Out(); got != ids[host] {
		t.Errorf("pull without --arch printed %q, want the %s image %s", got, host, ids[host])
	}
	if got := arch(); got != host {
		t.Errorf("pull without --arch stored an image for %s, want %s", got, host)
	}

	r = e.Pod(t, "pull", "-q", "--arch", "s390x", ref)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "s390x")
	r = e.Pod(t, "pull", "-q", "--platform", "linux/arm64", "--arch", "amd64", ref)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--platform", "--arch")
	if got := arch(); got != host {
		t.Errorf("failed pulls changed the image to %s", got)
	}

	// create --arch: the local image is for another platform, so the arm64
	// one is pulled (pull policy missing) and used.
	name := e.CtrName(t, "plat")
	e.MustPod(t, "create", "-q", "--name", name, "--arch", "arm64", ref, "true")
	if got := e.MustPod(t, "container", "inspect", "--format", "{{.Image}}", name).Out(); got != ids["linux/arm64/v8"] {
		t.Errorf("create --arch arm64 used image %q, want %s", got, ids["linux/arm64/v8"])
	}
	if got := arch(); got != "linux/arm64" {
		t.Errorf("after create --arch arm64 the image is for %s", got)
	}
}

func TestPullAllTags(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	var list struct {
		Tags []string `json:"tags"`
	}
	registryGet(t, "/v2/library/tags/tags/list", "", &list)
	repo := cfg.registry + "/library/tags"

	r := e.MustPod(t, "pull", "--all-tags", repo)
	if n := len(r.Lines()); n != len(list.Tags) {
		t.Errorf("pull --all-tags printed %d ids for %d tags: %q", n, len(list.Tags), r.Stdout)
	}
	for _, tag := range list.Tags {
		if !strings.Contains(r.Stderr, "Trying to pull "+repo+":"+tag+"...") {
			t.Errorf("pull --all-tags did not report pulling %s: %s", tag, r.describe())
		}
		id := e.MustPod(t, "image", "inspect", "--format", "{{.Id}}", repo+":"+tag).Out()
		if !contains(r.Lines(), id) {
			t.Errorf("%s:%s is %s, not among the printed ids %q", repo, tag, id, r.Lines())
		}
	}

	if cfg.podman {
		return // podman 4.3 ignores a tag given with --all-tags
	}
	r = e.Pod(t, "pull", "-a", "-q", repo+":t1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, repo+":t1", "--all-tags")
}

func TestPullMirrorFallback(t *testing.T) {
	e := NewEnv(t, EnvOptions{RegistriesConf: fmt.Sprintf(`[[registry]]
location = "%[1]s"
insecure = true

[[registry.mirror]]
location = "127.0.0.1:1"
insecure = true

[[registry.mirror]]
location = "%[1]s/nomirror"
insecure = true
`, cfg.registry)})
	off := registryLogSize(t)
	id := e.MustPod(t, "pull", "-q", cfg.registry+"/library/alpine:3.20.3").Out()
	if want := e.MustPod(t, "image", "inspect", "--format", "{{.Id}}", cfg.registry+"/library/alpine:3.20.3").Out(); id != want || !hex64Re.MatchString(id) {
		t.Errorf("pull through mirrors printed %q, stored %q", id, want)
	}
	asked := false
	for _, l := range registryLogSince(t, off) {
		if strings.Contains(l, "/v2/nomirror/library/alpine/manifests/3.20.3 ") && strings.Contains(l, `" 404 `) {
			asked = true
		}
	}
	if !asked {
		t.Errorf("the mirror %s/nomirror was not asked before the primary location", cfg.registry)
	}
}

// flakyRegistry is a registry that answers every request with status,
// counting the requests for /v2/.
func flakyRegistry(t *testing.T, status int) (string, *atomic.Int32) {
	t.Helper()
	var pings atomic.Int32
	srv := startRegistry(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			pings.Add(1)
		}
		http.Error(w, "injected failure", status)
	}))
	return srv, &pings
}

// startRegistry serves h on a loopback port until the test ends.
func startRegistry(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

func TestPullRetry(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 has no --retry or --retry-delay")
	e := sharedEnv(t)
	addr, pings := flakyRegistry(t, http.StatusInternalServerError)
	ref := addr + "/library/alpine:latest"

	r := e.Pod(t, "pull", "-q", "--tls-verify=false", "--retry", "0", ref)
	expectExit(t, r, 125)
	expectErrorLine(t, r, addr, "500")
	if n := pings.Load(); n != 1 {
		t.Errorf("--retry 0: the registry was asked %d times, want once", n)
	}
	if r.Duration > 5*time.Second {
		t.Errorf("--retry 0 took %s", r.Duration)
	}

	pings.Store(0)
	r = e.Pod(t, "pull", "-q", "--tls-verify=false", "--retry", "2", "--retry-delay", "100ms", ref)
	expectExit(t, r, 125)
	if n := pings.Load(); n != 3 {
		t.Errorf("--retry 2: the registry was asked %d times, want 3", n)
	}
	if n := strings.Count(r.Stderr, "retrying in 100ms"); n != 2 {
		t.Errorf("--retry 2 --retry-delay 100ms: want 2 retry warnings, got %d: %s", n, r.describe())
	}
	if last := splitLines(strings.TrimSpace(r.Stderr)); len(last) == 0 || !strings.HasPrefix(last[len(last)-1], "Error: ") || !strings.Contains(last[len(last)-1], addr) {
		t.Errorf("the last line must be the error naming %s: %s", addr, r.describe())
	}

	// A missing image is final: no retry.
	r = e.Pod(t, "pull", "-q", "--retry", "3", cfg.registry+"/library/alpine:no-such-tag-retry")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "manifest unknown", "no-such-tag-retry")

	r = e.Pod(t, "pull", "-q", "--retry-delay", "soon", ref)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--retry-delay", "soon")
}

// TestPullConcurrentBlobOnce pulls the 60 MiB image twice at once into one
// store: both pulls succeed and the big blob crosses the network once.
func TestPullConcurrentBlobOnce(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ref := cfg.registry + "/library/big:latest"
	var man ociManifest
	registryGet(t, "/v2/library/big/manifests/latest", ociManifestType, &man)
	if len(man.Layers) != 2 || man.Layers[1].Size < 50<<20 {
		t.Fatalf("library/big:latest is not the seeded 2-layer image of >= 50 MiB (run test/setup.sh): %+v", man.Layers)
	}
	big := man.Layers[1].Digest

	off := registryLogSize(t)
	var wg sync.WaitGroup
	results := make([]*Result, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.Pod(t, "pull", "-q", ref)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.ExitCode != 0 || !hex64Re.MatchString(r.Out()) {
			t.Fatalf("concurrent pull %d failed: %s", i, r.describe())
		}
	}
	if results[0].Out() != results[1].Out() {
		t.Errorf("the two pulls printed %q and %q", results[0].Out(), results[1].Out())
	}
	getRe := regexp.MustCompile(`"GET /v2/library/big/blobs/` + regexp.QuoteMeta(big) + ` HTTP/[0-9.]+" 2\d\d `)
	gets := 0
	for _, l := range registryLogSince(t, off) {
		if getRe.MatchString(l) {
			gets++
		}
	}
	if cfg.podman {
		t.Logf("podman: the big blob was downloaded %d times", gets)
	} else if gets != 1 {
		t.Errorf("the 60 MiB blob %s was downloaded %d times by two concurrent pulls, want once", big, gets)
	}
	if !cfg.podman { // podman 4.3 has no system check
		e.MustPod(t, "system", "check")
	}
	r := e.MustPod(t, "run", "--rm", ref, "sh", "-c", "wc -c < /big.bin")
	if r.Out() != fmt.Sprint(60<<20) {
		t.Errorf("/big.bin in the pulled image has %q bytes, want %d", r.Out(), 60<<20)
	}
}

// badBlobRegistry serves image "bad/img:latest" whose one layer blob has
// other content than its digest says.
func badBlobRegistry(t *testing.T) string {
	t.Helper()
	layerTar := func(fill byte) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		content := bytes.Repeat([]byte{fill}, 4096)
		_ = tw.WriteHeader(&tar.Header{Name: "file", Mode: 0o644, Size: int64(len(content)), ModTime: time.Unix(1725624000, 0), Format: tar.FormatPAX})
		_, _ = tw.Write(content)
		_ = tw.Close()
		return b.Bytes()
	}
	good, served := layerTar('a'), layerTar('b')
	digestOf := func(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }
	config := []byte(fmt.Sprintf(`{"architecture":%q,"os":"linux","config":{"Cmd":["/file"]},"rootfs":{"type":"layers","diff_ids":[%q]}}`,
		runtime.GOARCH, digestOf(good)))
	manifest := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"config":{"mediaType":%q,"digest":%q,"size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":%q,"size":%d}]}`,
		ociManifestType, ociConfigType, digestOf(config), len(config), digestOf(good), len(served)))
	blobs := map[string][]byte{digestOf(config): config, digestOf(good): served}
	return startRegistry(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v2/":
			w.WriteHeader(http.StatusOK)
		case r.URL.Path == "/v2/bad/img/manifests/latest":
			w.Header().Set("Content-Type", ociManifestType)
			w.Header().Set("Docker-Content-Digest", digestOf(manifest))
			_, _ = w.Write(manifest)
		case strings.HasPrefix(r.URL.Path, "/v2/bad/img/blobs/"):
			b, ok := blobs[strings.TrimPrefix(r.URL.Path, "/v2/bad/img/blobs/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Length", fmt.Sprint(len(b)))
			_, _ = w.Write(b)
		default:
			http.NotFound(w, r)
		}
	}))
}

func TestPullBadRegistry(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", cfg.registry+"/library/alpine:3.19.4")
	before := e.MustPod(t, "images", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}").Stdout

	// A registry answering 500.
	addr, _ := flakyRegistry(t, http.StatusInternalServerError)
	args := []string{"pull", "-q", "--tls-verify=false"}
	if !cfg.podman {
		args = append(args, "--retry", "0")
	}
	r := e.Pod(t, append(args, addr+"/library/alpine:latest")...)
	expectExit(t, r, 125)
	if !cfg.podman {
		expectErrorLine(t, r, addr, "500")
	}

	// A layer blob whose content does not match its digest.
	bad := badBlobRegistry(t)
	r = e.Pod(t, append(args, bad+"/bad/img:latest")...)
	expectExit(t, r, 125)
	if !cfg.podman {
		expectErrorLine(t, r, bad+"/bad/img", "digest")
	}
	if r.Stdout != "" {
		t.Errorf("a failed pull printed on stdout: %q", r.Stdout)
	}

	if after := e.MustPod(t, "images", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}").Stdout; after != before {
		t.Errorf("failed pulls changed the image list:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if !cfg.podman { // podman 4.3 has no system check
		e.MustPod(t, "system", "check")
	}

	// The good registry still works.
	id := e.MustPod(t, "pull", "-q", cfg.registry+"/library/alpine:3.20.3").Out()
	if got := e.MustPod(t, "run", "--rm", id, "cat", "/etc/alpine-release").Out(); got != "3.20.3" {
		t.Errorf("after the failed pulls, alpine:3.20.3 runs with release %q", got)
	}
}
