package image

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// storeWith pulls test images (content → name) from OCI layouts into a new
// store and returns the store and the images' ids by name.
func storeWith(t *testing.T, sys SystemOptions, images map[string]string) (storage.Store, map[string]string) {
	t.Helper()
	store := newStore(t)
	ids := map[string]string{}
	for content, name := range images {
		dir := t.TempDir()
		buildImage(t, content).writeLayout(t, dir, name)
		img, err := Pull(context.Background(), store, "oci:"+dir+":"+name, PullOptions{System: sys, Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = img.ID
	}
	return store, ids
}

func layerCount(t *testing.T, store storage.Store) int {
	t.Helper()
	layers, err := store.Layers()
	if err != nil {
		t.Fatal(err)
	}
	return len(layers)
}

// Every format round-trips: save, remove, load gives the same id and name;
// loading again reuses the stored layer.
func TestSaveLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	sys := testSystem(t, "")
	for _, format := range []SaveFormat{DockerArchive, OCIArchive, OCIDir, DockerDir} {
		t.Run(string(format), func(t *testing.T) {
			store, ids := storeWith(t, sys, map[string]string{"one\n": "one"})
			out := filepath.Join(t.TempDir(), "out")
			saved, err := Save(ctx, store, []string{"one"}, SaveOptions{System: sys, Format: format, Output: out, Quiet: true})
			if err != nil {
				t.Fatal(err)
			}
			if want := []SavedImage{{ID: ids["one"], Names: []string{"localhost/one:latest"}}}; !reflect.DeepEqual(saved, want) {
				t.Fatalf("saved %+v, want %+v", saved, want)
			}
			// Nothing but the output is left next to it.
			if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
				t.Fatalf("output dir holds %v", ents)
			}
			if _, _, err := Remove(store, "one", false, func(string) []string { return nil }); err != nil {
				t.Fatal(err)
			}
			res, err := Load(ctx, store, LoadOptions{System: sys, Input: out, Quiet: true})
			if err != nil {
				t.Fatal(err)
			}
			wantName := "localhost/one:latest"
			if format == DockerDir {
				wantName = "sha256:" + ids["one"]
			}
			if !reflect.DeepEqual(res.Names, []string{wantName}) || !reflect.DeepEqual(res.IDs, []string{ids["one"]}) {
				t.Fatalf("loaded %+v", res)
			}
			layers := layerCount(t, store)
			if _, err := Load(ctx, store, LoadOptions{System: sys, Input: out, Quiet: true}); err != nil {
				t.Fatal(err)
			}
			if n := layerCount(t, store); n != layers {
				t.Fatalf("a second load went from %d to %d layers", layers, n)
			}
		})
	}
}

// -m puts several images in one docker-archive; without it the other names
// are the first image's extra names. Load stores every image and name.
func TestSaveMultiAndExtraNames(t *testing.T) {
	ctx := context.Background()
	sys := testSystem(t, "")
	store, ids := storeWith(t, sys, map[string]string{"a\n": "a:1", "b\n": "b:2"})
	dir := t.TempDir()
	multi := filepath.Join(dir, "m.tar")
	if _, err := Save(ctx, store, []string{"a:1", "b:2", ids["a:1"]}, SaveOptions{System: sys, Output: multi, MultiImage: true}); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(dir, "x.tar")
	if _, err := Save(ctx, store, []string{"a:1", "other:3"}, SaveOptions{System: sys, Output: extra}); err != nil {
		t.Fatal(err)
	}

	fresh := newStore(t)
	res, err := Load(ctx, fresh, LoadOptions{System: sys, Input: multi})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"localhost/a:1", "localhost/b:2"}; !reflect.DeepEqual(res.Names, want) {
		t.Fatalf("loaded %v, want %v", res.Names, want)
	}
	if want := []string{ids["a:1"], ids["b:2"]}; !reflect.DeepEqual(res.IDs, want) {
		t.Fatalf("loaded ids %v, want %v", res.IDs, want)
	}
	res, err = Load(ctx, fresh, LoadOptions{System: sys, Input: extra})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"localhost/other:3", "localhost/a:1"}; !reflect.DeepEqual(res.Names, want) {
		t.Fatalf("loaded %v, want %v", res.Names, want)
	}
	img, err := Lookup(fresh, "other:3")
	if err != nil || img.ID != ids["a:1"] {
		t.Fatalf("other:3 is %v, %v", img, err)
	}
}

// Bad input fails on one line, stores nothing and leaves no file behind.
func TestSaveLoadErrors(t *testing.T) {
	ctx := context.Background()
	sys := testSystem(t, "")
	store, _ := storeWith(t, sys, map[string]string{"e\n": "e"})
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tar")
	if _, err := Save(ctx, store, []string{"e"}, SaveOptions{System: sys, Output: good}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fresh := newStore(t)
	for _, in := range []string{
		write("trunc.tar", data[:len(data)/2]),
		write("short.tar", data[:100]),
		write("garbage.tar", []byte("garbage\n")),
		write("empty.tar", nil),
		filepath.Join(dir, "missing.tar"),
		dir,
	} {
		_, err := Load(ctx, fresh, LoadOptions{System: sys, Input: in})
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("load %s: %v", in, err)
		}
		if n := layerCount(t, fresh); n != 0 {
			t.Fatalf("load %s left %d layers", in, n)
		}
	}
	_, err = Load(ctx, fresh, LoadOptions{System: sys, Input: filepath.Join(dir, "trunc.tar")})
	if !errors.Is(err, define.ErrBadArchive) {
		t.Errorf("truncated: %v", err)
	}
	// From stdin.
	res, err := Load(ctx, fresh, LoadOptions{System: sys, Stdin: bytes.NewReader(data)})
	if err != nil || !reflect.DeepEqual(res.Names, []string{"localhost/e:latest"}) {
		t.Fatalf("load from stdin: %+v, %v", res, err)
	}
	if _, err := os.Stat(res.Source); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stdin copy %s left behind", res.Source)
	}

	for _, c := range []struct {
		names []string
		o     SaveOptions
		want  error
	}{
		{[]string{"nosuch"}, SaveOptions{Output: filepath.Join(dir, "n.tar")}, define.ErrNoSuchImage},
		{[]string{"e", "nosuch"}, SaveOptions{Output: filepath.Join(dir, "n.tar"), MultiImage: true}, define.ErrNoSuchImage},
		{[]string{"e"}, SaveOptions{Output: good}, define.ErrInvalidArg}, // an existing docker-archive
		{[]string{"e"}, SaveOptions{Output: filepath.Join(dir, "n.tar"), Format: "tar"}, define.ErrInvalidArg},
		{[]string{"e"}, SaveOptions{Output: filepath.Join(dir, "n.tar"), Compress: true}, define.ErrInvalidArg},
		{[]string{"e", "e"}, SaveOptions{Output: filepath.Join(dir, "n.tar"), Format: OCIArchive, MultiImage: true}, define.ErrInvalidArg},
		{[]string{"e"}, SaveOptions{Output: filepath.Join(dir, "nodir", "n.tar")}, os.ErrNotExist},
	} {
		c.o.System = sys
		_, err := Save(ctx, store, c.names, c.o)
		if !errors.Is(err, c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("save %v %+v: %v, want %v", c.names, c.o, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "n.tar")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed save left n.tar")
	}
	if after, _ := os.ReadFile(good); !bytes.Equal(after, data) {
		t.Errorf("a refused save changed good.tar")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "pod-save") {
			t.Errorf("temporary %s left", e.Name())
		}
	}
}
