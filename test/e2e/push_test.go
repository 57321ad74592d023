package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The TLS + htpasswd registry test/setup-tls-registry.sh starts.
const (
	tlsUser  = "podtest"
	tlsPass  = "podpass"
	tlsUser2 = "podtest2"
	tlsPass2 = "podpass2"
)

var pushRepoSeq atomic.Int64

// tlsRegistryDir holds the TLS registry's ca.crt, and nothing else a cert dir reads.
func tlsRegistryDir() string {
	return envOr("POD_TEST_TLS_REGISTRY_DIR", "/var/tmp/pod-test-registry-tls")
}

// tlsRegistry returns host:port of the TLS registry, failing the test when it does not answer.
func tlsRegistry(t testing.TB) string {
	t.Helper()
	addr := envOr("POD_TEST_TLS_REGISTRY_ADDR", "127.0.0.1:5001")
	resp, err := tlsClient(t).Get("https://" + addr + "/v2/")
	if err != nil {
		t.Fatalf("TLS registry %s not reachable (%v): run `sudo bash test/setup.sh`", addr, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("TLS registry %s answers /v2/ without credentials with %d, want 401: run `sudo bash test/setup.sh`", addr, resp.StatusCode)
	}
	return addr
}

func tlsClient(t testing.TB) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(tlsRegistryDir(), "ca.crt"))
	if err != nil {
		t.Fatalf("TLS registry CA: %v: run `sudo bash test/setup.sh`", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// pushRepo returns a repository name no other test or run uses.
func pushRepo(what string) string {
	return fmt.Sprintf("pod-e2e/%s-%d-%d", what, time.Now().UnixNano(), pushRepoSeq.Add(1))
}

// plainRegistryManifest fetches repo:tag from the plain registry and returns the manifest's digest
// and its JSON.
func plainRegistryManifest(t testing.TB, repo, tag string) (string, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+cfg.registry+"/v2/"+repo+"/manifests/"+tag, nil)
	req.Header.Set("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("registry has no %s:%s (%d %s)", repo, tag, resp.StatusCode, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("manifest of %s:%s: %v", repo, tag, err)
	}
	return resp.Header.Get("Docker-Content-Digest"), m
}

// layerMediaTypes lists the media types of a manifest's layers.
func layerMediaTypes(m map[string]any) []string {
	var types []string
	layers, _ := m["layers"].([]any)
	for _, l := range layers {
		if lm, ok := l.(map[string]any); ok {
			types = append(types, fmt.Sprint(lm["mediaType"]))
		}
	}
	return types
}

// checkPulledBack pulls ref into a fresh environment (extra files in its home, extra pull
// flags) and checks its digest and that it runs.
func checkPulledBack(t *testing.T, ref, digest string, files map[string]string, pullFlags ...string) {
	t.Helper()
	e := NewEnv(t, EnvOptions{})
	for rel, content := range files {
		e.WriteFile(t, rel, content)
	}
	e.MustPod(t, append(append([]string{"pull", "-q"}, pullFlags...), ref)...)
	if got := e.MustPod(t, "inspect", "--format", "{{.Digest}}", ref).Out(); got != digest {
		t.Errorf("%s pulled back: digest %q, push reported %q", ref, got, digest)
	}
	if got := e.MustPod(t, "run", "--rm", ref, "cat", "/etc/alpine-release").Out(); got != "3.20.3" {
		t.Errorf("%s pulled back: /etc/alpine-release = %q, want 3.20.3", ref, got)
	}
}

// TestPushPlainRegistry pushes to the plain-HTTP registry (insecure in registries.conf), with
// and without a destination, and pulls the image back.
func TestPushPlainRegistry(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	repo := pushRepo("plain")
	dest := cfg.registry + "/" + repo + ":1"
	digestFile := filepath.Join(e.Home, "digest")

	r := e.MustPod(t, "push", "--digestfile", digestFile, "alpine", dest)
	if r.Stdout != "" {
		t.Errorf("push wrote to stdout: %q", r.Stdout)
	}
	for _, want := range []string{"Copying blob", "Copying config", "Writing manifest"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("push (stderr not a TTY) should report %q on stderr: %s", want, r.describe())
		}
	}
	data, err := os.ReadFile(digestFile)
	if err != nil {
		t.Fatalf("--digestfile: %v", err)
	}
	regDigest, _ := plainRegistryManifest(t, repo, "1")
	if string(data) != regDigest {
		t.Errorf("--digestfile holds %q, the registry serves %s", data, regDigest)
	}

	// Quiet, and without a destination: the image's own name.
	own := cfg.registry + "/" + repo + ":own"
	e.MustPod(t, "tag", "alpine", own)
	r = e.MustPod(t, "push", "-q", own)
	if r.Stdout != "" || r.Stderr != "" {
		t.Errorf("push -q printed something: %s", r.describe())
	}
	if d, _ := plainRegistryManifest(t, repo, "own"); d != regDigest {
		t.Errorf("push %s (no destination): registry digest %s, want %s", own, d, regDigest)
	}
	// docker:// is the same destination.
	e.MustPod(t, "push", "-q", "alpine", "docker://"+cfg.registry+"/"+repo+":2")
	if d, _ := plainRegistryManifest(t, repo, "2"); d != regDigest {
		t.Errorf("push to docker://...:2: registry digest %s, want %s", d, regDigest)
	}

	checkPulledBack(t, dest, regDigest, nil)
}

// TestPushTLSVerify: a registry that registries.conf does not mark insecure needs
// --tls-verify=false when it speaks plain HTTP.
func TestPushTLSVerify(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.WriteFile(t, ".config/containers/registries.conf", "unqualified-search-registries = []\n")
	repo := pushRepo("tlsverify")
	dest := cfg.registry + "/" + repo + ":1"

	r := e.Pod(t, "push", "-q", "alpine", dest)
	expectExit(t, r, 125)
	expectErrorLine(t, r, cfg.registry, "https")

	e.MustPod(t, "push", "-q", "--tls-verify=false", "alpine", dest)
	plainRegistryManifest(t, repo, "1")
}

// TestPushTLSAuth pushes to the TLS + htpasswd registry with --cert-dir and --creds, then
// through the user's certs.d; a second push uploads no blob.
func TestPushTLSAuth(t *testing.T) {
	reg := tlsRegistry(t)
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	repo := pushRepo("tls")
	dest := reg + "/" + repo + ":1"
	creds := tlsUser + ":" + tlsPass

	// Without the CA: the certificate is refused.
	r := e.Pod(t, "push", "-q", "--creds", creds, "alpine", dest)
	expectExit(t, r, 125)
	expectErrorLine(t, r, reg, "certificate")

	// Without credentials, and with wrong ones: the registry refuses, the error says how to log in.
	for _, c := range []string{"", tlsUser + ":wrong"} {
		args := []string{"push", "-q", "--cert-dir", tlsRegistryDir()}
		if c != "" {
			args = append(args, "--creds", c)
		}
		r = e.Pod(t, append(args, "alpine", dest)...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, reg, "authentication required")
		if !cfg.podman && !strings.Contains(r.Stderr, "pod login "+reg) {
			t.Errorf("an authentication failure should name `pod login %s`: %s", reg, r.describe())
		}
	}

	digestFile := filepath.Join(e.Home, "digest")
	e.MustPod(t, "push", "-q", "--cert-dir", tlsRegistryDir(), "--creds", creds, "--digestfile", digestFile, "alpine", dest)
	data, err := os.ReadFile(digestFile)
	if err != nil || !strings.HasPrefix(string(data), "sha256:") || len(data) != 71 {
		t.Fatalf("--digestfile: %q, %v", data, err)
	}

	// The user's certs.d is read (inside the user namespace too); only missing blobs are sent.
	certsD := ".config/containers/certs.d/" + reg + "/ca.crt"
	ca, err := os.ReadFile(filepath.Join(tlsRegistryDir(), "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	e.WriteFile(t, certsD, string(ca))
	logBefore := tlsRegistryLogSize(t)
	e.MustPod(t, "push", "-q", "--creds", creds, "alpine", dest)
	if uploads := tlsRegistryUploads(t, logBefore, repo); uploads != 0 {
		t.Errorf("second push of the same image uploaded %d blobs, want 0", uploads)
	}

	checkPulledBack(t, dest, string(data), map[string]string{certsD: string(ca)}, "--creds", creds)
}

// tlsRegistryLogSize is the size of the TLS registry's log, to read what comes after.
func tlsRegistryLogSize(t testing.TB) int64 {
	t.Helper()
	fi, err := os.Stat(filepath.Join(tlsRegistryDir(), "registry.log"))
	if err != nil {
		t.Fatalf("TLS registry log: %v", err)
	}
	return fi.Size()
}

// tlsRegistryUploads counts the blob uploads to repo the TLS registry logged after offset.
func tlsRegistryUploads(t testing.TB, offset int64, repo string) int {
	t.Helper()
	f, err := os.Open(filepath.Join(tlsRegistryDir(), "registry.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(f)
	heads := strings.Count(string(data), `"HEAD /v2/`+repo+`/blobs/`)
	if heads == 0 {
		t.Errorf("the TLS registry logged no blob check for %s: is its access log on?", repo)
	}
	return strings.Count(string(data), `"POST /v2/`+repo+`/blobs/uploads/`)
}

// TestPushFormats: zstd layers and a Docker v2s2 manifest; the zstd image pulls and runs.
func TestPushFormats(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	repo := pushRepo("formats")

	e.MustPod(t, "push", "-q", "--compression-format", "zstd", "alpine", cfg.registry+"/"+repo+":zstd")
	zd, m := plainRegistryManifest(t, repo, "zstd")
	// podman 4.3 reuses the gzip layer the registry already has; pod (as podman 5) forces the
	// format asked for unless --force-compression=false.
	if lt := layerMediaTypes(m); !cfg.podman && (len(lt) != 1 || !strings.HasSuffix(lt[0], "+zstd")) {
		t.Errorf("push --compression-format zstd: layer media types %q, want one ...+zstd", lt)
	}

	e.MustPod(t, "push", "-q", "--format", "v2s2", "alpine", cfg.registry+"/"+repo+":v2s2")
	_, m = plainRegistryManifest(t, repo, "v2s2")
	if mt := fmt.Sprint(m["mediaType"]); mt != "application/vnd.docker.distribution.manifest.v2+json" {
		t.Errorf("push --format v2s2: manifest media type %q", mt)
	}

	checkPulledBack(t, cfg.registry+"/"+repo+":zstd", zd, nil)
}

// TestPushTransports pushes to an OCI layout, a docker archive and a dir, and pulls each back.
func TestPushTransports(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine").Out()
	f := NewEnv(t, EnvOptions{}) // pulls back what e pushed (same user: it can read e's files)
	for _, tc := range []struct{ push, pull string }{
		{"oci:" + filepath.Join(e.Home, "layout") + ":pushed", "oci:" + filepath.Join(e.Home, "layout") + ":pushed"},
		{"oci-archive:" + filepath.Join(e.Home, "img.tar") + ":pushed", "oci-archive:" + filepath.Join(e.Home, "img.tar")},
		{"docker-archive:" + filepath.Join(e.Home, "docker.tar") + ":localhost/pushed:1", "docker-archive:" + filepath.Join(e.Home, "docker.tar")},
		{"dir:" + filepath.Join(e.Home, "dir"), "dir:" + filepath.Join(e.Home, "dir")},
	} {
		e.MustPod(t, "push", "-q", "alpine", tc.push)
		got := f.MustPod(t, "pull", "-q", tc.pull).Lines() // podman prints a docker archive's id twice
		if len(got) == 0 || got[0] != id {
			t.Errorf("push %s, pull %s: image id %s, want %s", tc.push, tc.pull, got, id)
		}
	}
	// The docker archive carries the name given with it.
	if got := f.MustPod(t, "inspect", "--format", "{{.Id}}", "localhost/pushed:1").Out(); got != id {
		t.Errorf("image pulled from the docker archive named localhost/pushed:1: id %q, want %s", got, id)
	}
}

// TestPushErrors: unknown image, registry down, id without destination, bad options.
func TestPushErrors(t *testing.T) {
	e := sharedEnv(t)

	r := e.Pod(t, "push", "no-such-image-e2e", cfg.registry+"/"+pushRepo("x")+":1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-image-e2e", "image not known")

	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := l.Addr().String()
	l.Close()
	args := []string{"push", "-q", "--tls-verify=false", "alpine", down + "/x/y:1"}
	if !cfg.podman {
		// Retried 3 times by default (1s, 2s, 4s), with a warning each time.
		r = e.PodOpt(t, RunOpts{Timeout: 60 * time.Second}, args...)
		expectExit(t, r, 125)
		if n := strings.Count(r.Stderr, "retrying"); n != 3 || r.Duration < 7*time.Second {
			t.Errorf("push to a registry that is down: %d retries in %s, want 3 in 7s or more: %s", n, r.Duration, r.describe())
		}
		args = append([]string{"push", "--retry=0"}, args[1:]...)
	}
	r = e.PodOpt(t, RunOpts{Timeout: 60 * time.Second}, args...)
	expectExit(t, r, 125)
	expectErrorLine(t, r, down, "connection refused")

	r = e.Pod(t, "push")
	expectExit(t, r, 125)
	r = e.Pod(t, "push", "alpine", "a", "b")
	expectExit(t, r, 125)

	if cfg.podman {
		return // podman pushes an id to docker.io/library/<id> and accepts any --sign-by
	}
	id := e.MustPod(t, "inspect", "--format", "{{.Id}}", "alpine").Out()
	r = e.Pod(t, "push", id[:12])
	expectExit(t, r, 125)
	expectErrorLine(t, r, id[:12], "destination")

	for _, args := range [][]string{
		{"--format", "bogus"}, {"--compression-format", "bogus"}, {"--sign-by", "ABCD"},
	} {
		r = e.Pod(t, append(append([]string{"push"}, args...), "alpine", cfg.registry+"/"+pushRepo("x")+":1")...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, args[1])
	}
}
