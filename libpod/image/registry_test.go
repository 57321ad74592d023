package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/pod-engine/pod/libpod/define"
)

// fakeRegistry serves images over the registry v2 API (TLS, self-signed).
type fakeRegistry struct {
	*httptest.Server
	mu     sync.Mutex
	repos  map[string]map[string]*testImage // repo → tag → image
	counts map[string]int                   // "GET manifest", "HEAD manifest", "GET blob"
}

func newFakeRegistry(t *testing.T) *fakeRegistry {
	r := &fakeRegistry{repos: map[string]map[string]*testImage{}, counts: map[string]int{}}
	r.Server = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	r.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	r.StartTLS()
	t.Cleanup(r.Close)
	return r
}

// host is the registry's host:port.
func (r *fakeRegistry) host() string { return strings.TrimPrefix(r.URL, "https://") }

func (r *fakeRegistry) put(repo, tag string, ti *testImage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.repos[repo] == nil {
		r.repos[repo] = map[string]*testImage{}
	}
	r.repos[repo][tag] = ti
}

func (r *fakeRegistry) count(what string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[what]
}

func (r *fakeRegistry) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.URL.Path == "/v2/" {
		w.WriteHeader(http.StatusOK)
		return
	}
	path := strings.TrimPrefix(req.URL.Path, "/v2/")
	unknown := func(code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"errors":[{"code":%q,"message":%q}]}`, code, msg)
	}
	if repo, ref, ok := cutLast(path, "/manifests/"); ok {
		r.counts[req.Method+" manifest"]++
		for tag, ti := range r.repos[repo] {
			if tag == ref || ti.manifestDigest.String() == ref {
				w.Header().Set("Content-Type", v1.MediaTypeImageManifest)
				w.Header().Set("Docker-Content-Digest", ti.manifestDigest.String())
				w.Header().Set("Content-Length", fmt.Sprint(len(ti.manifest)))
				if req.Method == http.MethodGet {
					_, _ = w.Write(ti.manifest)
				}
				return
			}
		}
		unknown("MANIFEST_UNKNOWN", "manifest unknown")
		return
	}
	if repo, ref, ok := cutLast(path, "/blobs/"); ok {
		r.counts[req.Method+" blob"]++
		for _, ti := range r.repos[repo] {
			if b, ok := ti.blobs[digest.Digest(ref)]; ok {
				w.Header().Set("Content-Length", fmt.Sprint(len(b)))
				w.Header().Set("Docker-Content-Digest", ref)
				if req.Method == http.MethodGet {
					_, _ = w.Write(b)
				}
				return
			}
		}
		unknown("BLOB_UNKNOWN", "blob unknown to registry")
		return
	}
	unknown("NAME_UNKNOWN", "repository name not known to registry")
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+len(sep):], true
}

// registrySystem points unqualified-search registries at r (insecure through
// registries.conf) and defines the alias "myalias" = r/aliased/image.
func registrySystem(t *testing.T, r *fakeRegistry) SystemOptions {
	return testSystem(t, fmt.Sprintf(`unqualified-search-registries = [%q]
short-name-mode = "permissive"

[[registry]]
location = %q
insecure = true

[aliases]
"myalias" = "%s/aliased/image"
`, r.host(), r.host(), r.host()))
}

func TestPullRegistry(t *testing.T) {
	ctx := context.Background()
	reg := newFakeRegistry(t)
	first := buildImage(t, "v1\n")
	reg.put("testimg", "latest", first)
	reg.put("testimg", "v1", first)
	store := newStore(t)
	sys := registrySystem(t, reg)
	var out strings.Builder
	opts := PullOptions{System: sys, Progress: &out}

	img, err := Pull(ctx, store, "testimg", opts)
	if err != nil {
		t.Fatal(err)
	}
	want := reg.host() + "/testimg:latest"
	if img.ID != first.id() || len(img.Names) != 1 || img.Names[0] != want {
		t.Fatalf("pulled %s %v, want %s", img.ID, img.Names, want)
	}
	for _, line := range []string{
		`Resolving "testimg" using unqualified-search registries (` + sys.RegistriesConf + ")",
		"Trying to pull " + want + "...",
		"Copying blob sha256:",
		"Writing manifest to image destination",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}

	// missing: present locally, the registry is not asked.
	gets := reg.count("GET manifest")
	opts.Quiet = true
	if img, err = Pull(ctx, store, "testimg", opts); err != nil || img.ID != first.id() || reg.count("GET manifest") != gets {
		t.Fatalf("missing policy: %v %v, manifest GETs %d → %d", img, err, gets, reg.count("GET manifest"))
	}

	// never: present locally is fine; absent is ErrPullNever.
	opts.Policy = PullNever
	if _, err = Pull(ctx, store, "testimg", opts); err != nil {
		t.Fatalf("never, present: %v", err)
	}
	_, err = Pull(ctx, store, "other", opts)
	if !errors.Is(err, define.ErrPullNever) || err.Error() != "other: image not known" {
		t.Fatalf("never, absent: %v", err)
	}

	// newer: same digest → no pull; a new image behind the tag → pulled.
	opts.Policy = PullNewer
	gets = reg.count("GET manifest")
	if img, err = Pull(ctx, store, "testimg", opts); err != nil || img.ID != first.id() || reg.count("GET manifest") != gets {
		t.Fatalf("newer, unchanged: %v %v", img, err)
	}
	if reg.count("HEAD manifest") == 0 {
		t.Fatal("newer did not ask the registry for the digest")
	}
	second := buildImage(t, "v2\n")
	reg.put("testimg", "latest", second)
	if img, err = Pull(ctx, store, "testimg", opts); err != nil || img.ID != second.id() {
		t.Fatalf("newer, changed: %v %v", img, err)
	}
	old, err := Lookup(store, first.id())
	if err != nil || len(old.Names) != 0 {
		t.Fatalf("the tag did not move away from the old image: %v %v", old, err)
	}

	// always: pulls although present.
	opts.Policy = PullAlways
	gets = reg.count("GET manifest")
	if img, err = Pull(ctx, store, want, opts); err != nil || img.ID != second.id() || reg.count("GET manifest") == gets {
		t.Fatalf("always: %v %v", img, err)
	}

	// By digest, with the docker:// prefix.
	opts.Policy = PullMissing
	byDigest := reg.host() + "/testimg@" + first.manifestDigest.String()
	if img, err = Pull(ctx, store, "docker://"+byDigest, opts); err != nil || img.ID != first.id() {
		t.Fatalf("by digest: %v %v", img, err)
	}
	if found, err := Lookup(store, "testimg@"+first.manifestDigest.String()); err != nil || found.ID != first.id() {
		t.Fatalf("Lookup by digest: %v %v", found, err)
	}

	// An id is looked up locally, whatever the policy.
	if img, err = Pull(ctx, store, "sha256:"+first.id()[:10], PullOptions{Policy: PullAlways}); err != nil || img.ID != first.id() {
		t.Fatalf("pull by id: %v %v", img, err)
	}

	// Aliases from registries.conf.
	reg.put("aliased/image", "latest", first)
	out.Reset()
	opts.Quiet = false
	if img, err = Pull(ctx, store, "myalias", opts); err != nil || img.Names[0] != reg.host()+"/aliased/image:latest" {
		t.Fatalf("alias: %v %v", img, err)
	}
	if !strings.Contains(out.String(), `Resolved "myalias" as an alias`) {
		t.Errorf("alias output:\n%s", out.String())
	}
}

func TestPullRegistryErrors(t *testing.T) {
	ctx := context.Background()
	reg := newFakeRegistry(t)
	reg.put("testimg", "latest", buildImage(t, "v1\n"))
	store := newStore(t)
	opts := PullOptions{System: registrySystem(t, reg), Quiet: true}

	_, err := Pull(ctx, store, "testimg:nosuchtag", opts)
	want := fmt.Sprintf("pull testimg:nosuchtag: initializing source docker://%[1]s/testimg:nosuchtag: "+
		"reading manifest nosuchtag in %[1]s/testimg: manifest unknown", reg.host())
	if !errors.Is(err, define.ErrNoSuchImage) || err.Error() != want {
		t.Errorf("unknown tag:\n got %v\nwant %s", err, want)
	}

	_, err = Pull(ctx, store, "nosuchrepo", opts)
	if !errors.Is(err, define.ErrNoSuchImage) {
		t.Errorf("unknown repository: %v", err)
	}

	_, err = Pull(ctx, store, "127.0.0.1:1/x", opts)
	if !errors.Is(err, define.ErrRegistry) || strings.Contains(err.Error(), "\n") ||
		!strings.HasPrefix(err.Error(), "pull 127.0.0.1:1/x: ") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("unreachable registry: %v", err)
	}

	// Without insecure in registries.conf the self-signed certificate is refused…
	strict := opts
	strict.System = testSystem(t, "")
	_, err = Pull(ctx, store, reg.host()+"/testimg", strict)
	if !errors.Is(err, define.ErrRegistry) {
		t.Errorf("untrusted certificate: %v", err)
	}
	// …unless --tls-verify=false.
	no := false
	strict.System.TLSVerify = &no
	if _, err = Pull(ctx, store, reg.host()+"/testimg", strict); err != nil {
		t.Errorf("--tls-verify=false: %v", err)
	}

	if _, err = Pull(ctx, store, "sha256:"+strings.Repeat("9", 64), opts); !errors.Is(err, define.ErrNoSuchImage) {
		t.Errorf("pull of an unknown id: %v", err)
	}
	_, err = Pull(ctx, store, "docker://"+reg.host()+"/testimg:nosuchtag", opts)
	if !errors.Is(err, define.ErrNoSuchImage) || !strings.HasPrefix(err.Error(), "pull docker://"+reg.host()+"/testimg:nosuchtag: ") {
		t.Errorf("docker:// unknown tag: %v", err)
	}

	for _, name := range []string{"Testimg", "testimg::x", "a b"} {
		_, err = Pull(ctx, store, name, opts)
		if !errors.Is(err, define.ErrBadReference) || !strings.HasPrefix(err.Error(), "pull "+name+": invalid reference format") {
			t.Errorf("Pull(%q): %v", name, err)
		}
	}
	if _, err = Pull(ctx, store, "testimg", PullOptions{Policy: "sometimes"}); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("bad policy: %v", err)
	}
}
