package image

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

// testSystem returns SystemOptions that read and write only files under a
// temporary directory; registriesConf is the registries.conf content.
func testSystem(t *testing.T, registriesConf string) SystemOptions {
	t.Helper()
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, []byte(insecureAcceptAnything), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "registries.conf")
	if err := os.WriteFile(conf, []byte(registriesConf), 0o600); err != nil {
		t.Fatal(err)
	}
	return SystemOptions{
		AuthFile:         filepath.Join(dir, "auth.json"),
		RegistriesConf:   conf,
		SignaturePolicy:  policy,
		BlobInfoCacheDir: filepath.Join(dir, "cache"),
	}
}

func TestPullOCILayout(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	ti := buildImage(t, "hello\n")
	dir := t.TempDir()
	ti.writeLayout(t, dir, "test")
	opts := PullOptions{System: testSystem(t, ""), Quiet: true}

	img, err := Pull(ctx, store, "oci:"+dir+":test", opts)
	if err != nil {
		t.Fatal(err)
	}
	if img.ID != ti.id() || !reflect.DeepEqual(img.Names, []string{"localhost/test:latest"}) {
		t.Fatalf("pulled %s %v, want %s [localhost/test:latest]", img.ID, img.Names, ti.id())
	}
	if found, err := Lookup(store, "test"); err != nil || found.ID != img.ID {
		t.Fatalf("Lookup(test) = %v, %v", found, err)
	}

	cfg, _, err := Config(ctx, store, img)
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Config
	if c.User != "1000" || c.WorkingDir != "/work" || c.StopSignal != "SIGINT" ||
		!reflect.DeepEqual(c.Env, []string{"PATH=/bin", "GREETING=hello\n"}) ||
		!reflect.DeepEqual(c.Cmd, []string{"/bin/sh"}) || !reflect.DeepEqual(c.Entrypoint, []string{"/entry"}) ||
		c.Labels["org.example.label"] != "yes" || cfg.Architecture != runtime.GOARCH || cfg.OS != "linux" ||
		len(cfg.RootFS.DiffIDs) != 1 || cfg.RootFS.DiffIDs[0] != ti.diffID {
		t.Fatalf("config: %+v", cfg)
	}

	// The layer content is in the store.
	rc, err := store.Diff("", img.TopLayer, nil)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()

	data, err := Inspect(ctx, store, img)
	if err != nil {
		t.Fatal(err)
	}
	if data.ID != img.ID || data.Digest != ti.manifestDigest || data.Os != "linux" || data.User != "1000" ||
		data.Author != "pod tests" || data.ManifestType != "application/vnd.oci.image.manifest.v1+json" ||
		data.Annotations["org.example.annotation"] != "a" || data.Labels["org.example.label"] != "yes" ||
		data.RootFS.Type != "layers" || data.RootFS.Layers[0] != ti.diffID || data.Size <= 0 ||
		data.VirtualSize != data.Size || data.GraphDriver.Name != "vfs" || len(data.History) != 1 ||
		!reflect.DeepEqual(data.RepoTags, []string{"localhost/test:latest"}) ||
		!reflect.DeepEqual(data.RepoDigests, []string{"localhost/test@" + ti.manifestDigest.String()}) ||
		data.Created == nil || data.Created.Year() != 2024 {
		t.Fatalf("inspect: %+v", data)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Id", "Digest", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Config",
		"Version", "Author", "Architecture", "Os", "Size", "VirtualSize", "GraphDriver", "RootFS", "Labels",
		"Annotations", "ManifestType", "User", "History", "NamesHistory"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("inspect JSON lacks %q: %s", k, raw)
		}
	}
	if !strings.Contains(string(keys["Config"]), `"WorkingDir":"/work"`) {
		t.Errorf("inspect Config: %s", keys["Config"])
	}

	// Pulling again reuses the image; without a name the image is stored by id.
	again, err := Pull(ctx, store, "oci:"+dir, opts)
	if err != nil || again.ID != img.ID {
		t.Fatalf("second pull: %v %v", again, err)
	}
	list, err := List(store)
	if err != nil || len(list) != 1 || list[0].Labels["org.example.label"] != "yes" {
		t.Fatalf("List after pulls: %+v %v", list, err)
	}
}

func TestPullOCILayoutWithoutName(t *testing.T) {
	store := newStore(t)
	ti := buildImage(t, "anonymous\n")
	dir := t.TempDir()
	ti.writeLayout(t, dir, "")
	img, err := Pull(context.Background(), store, "oci:"+dir, PullOptions{System: testSystem(t, ""), Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	if img.ID != ti.id() || len(img.Names) != 0 {
		t.Fatalf("pulled %s %v", img.ID, img.Names)
	}
}

func TestPullOCILayoutMissing(t *testing.T) {
	store := newStore(t)
	_, err := Pull(context.Background(), store, "oci:"+filepath.Join(t.TempDir(), "nothing")+":x",
		PullOptions{System: testSystem(t, ""), Quiet: true})
	if !errors.Is(err, define.ErrNoSuchImage) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("pull from a missing layout: %v", err)
	}
}

// Progress goes to a non-terminal writer as one line per blob; Quiet prints
// nothing.
func TestPullProgress(t *testing.T) {
	ti := buildImage(t, "progress\n")
	dir := t.TempDir()
	ti.writeLayout(t, dir, "p")
	sys := testSystem(t, "")

	var out bytes.Buffer
	if _, err := Pull(context.Background(), newStore(t), "oci:"+dir+":p", PullOptions{System: sys, Progress: &out}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Copying blob sha256:", "Copying config " + ti.configDigest.String(), "Writing manifest to image destination",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if _, err := Pull(context.Background(), newStore(t), "oci:"+dir+":p", PullOptions{System: sys, Progress: &out, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("quiet pull printed:\n%s", out.String())
	}
}
