package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// saveloadLayers returns the ids of the layers the environment's overlay
// storage holds (pod's or, under podman, podman's), read as root.
func saveloadLayers(t *testing.T, e *Env) []string {
	t.Helper()
	dir := filepath.Join(e.Home, ".local/share/pod/storage/overlay-layers")
	if cfg.podman {
		dir = filepath.Join(e.Home, ".local/share/containers/storage/overlay-layers")
	}
	b, err := os.ReadFile(filepath.Join(dir, "layers.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var layers []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &layers); err != nil {
		t.Fatalf("layers.json: %v", err)
	}
	ids := make([]string, 0, len(layers))
	for _, l := range layers {
		ids = append(ids, l.ID)
	}
	sort.Strings(ids)
	return ids
}

// imageList is "repository:tag id" of every image, sorted.
func imageList(t *testing.T, e *Env) []string {
	t.Helper()
	l := e.MustPod(t, "images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").Lines()
	sort.Strings(l)
	return l
}

// loadedNames returns the names of the "Loaded image: NAME" lines, failing
// on any other line of stdout.
func loadedNames(t *testing.T, r *Result) []string {
	t.Helper()
	var names []string
	for _, l := range r.Lines() {
		n, ok := strings.CutPrefix(l, "Loaded image: ")
		if !ok {
			t.Errorf("load printed %q besides the Loaded image lines: %s", l, r.describe())
			continue
		}
		names = append(names, n)
	}
	return names
}

// busyboxSum is the sha256 of /bin/busybox in a container of image.
func busyboxSum(t *testing.T, e *Env, image string) string {
	t.Helper()
	f := strings.Fields(e.MustPod(t, "run", "--rm", "--network", "none", image, "sha256sum", "/bin/busybox").Out())
	if len(f) != 2 {
		t.Fatalf("sha256sum printed %q", f)
	}
	return f[0]
}

// TestSaveLoadFormats saves alpine in each format, removes it, loads it back
// and runs it: same id, same name, same file content.
func TestSaveLoadFormats(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	const img = "docker.io/library/alpine:3.20.3"
	id := e.MustPod(t, "pull", "-q", img).Out()
	want := busyboxSum(t, e, img)

	for _, c := range []struct {
		format string
		loaded string // the name load reports ("" : sha256:ID)
	}{
		{"docker-archive", img},
		{"oci-archive", img},
		{"oci-dir", img},
		{"docker-dir", ""},
	} {
		t.Run(c.format, func(t *testing.T) {
			out := filepath.Join(e.Home, "saved-"+c.format)
			r := e.MustPod(t, "save", "--format", c.format, "-o", out, img)
			if r.Stdout != "" {
				t.Errorf("save printed %q on stdout", r.Stdout)
			}
			// Nothing but the output is left next to it.
			ents, _ := os.ReadDir(e.Home)
			for _, ent := range ents {
				if strings.Contains(ent.Name(), "saved-"+c.format+".") {
					t.Errorf("save left %s", ent.Name())
				}
			}
			e.MustPod(t, "rmi", img)
			r = e.MustPod(t, "load", "-i", out)
			name := c.loaded
			if name == "" {
				name = "sha256:" + id
			}
			if c.format == "oci-dir" && cfg.podman {
				name = "localhost" + out // podman 4.3 names an oci-dir after its path
			}
			if got := loadedNames(t, r); len(got) != 1 || got[0] != name {
				t.Errorf("load reported %q, want %q", got, name)
			}
			ref := img
			if c.loaded == "" || name != c.loaded {
				ref = id
				e.MustPod(t, "tag", id, img)
			}
			if got := inspectID(t, e, img); got != id {
				t.Errorf("loaded image id %s, want %s", got, id)
			}
			if got := busyboxSum(t, e, ref); got != want {
				t.Errorf("/bin/busybox of the loaded image: sha256 %s, want %s", got, want)
			}
			if c.format == "oci-dir" && cfg.podman {
				e.MustPod(t, "untag", id, name)
			}
		})
	}
}

// TestSaveLoadMultiImage saves two images into one docker-archive with -m
// and loads both, with their names, into a fresh environment; without -m
// the extra names are tags of the first image.
func TestSaveLoadMultiImage(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	a := e.MustPod(t, "pull", "-q", "alpine:3.20.3").Out()
	b := e.MustPod(t, "pull", "-q", "alpine:3.19.4").Out()
	multi := filepath.Join(e.Home, "multi.tar")
	e.MustPod(t, "save", "-q", "-m", "-o", multi, "alpine:3.20.3", "alpine:3.19.4")
	tags := filepath.Join(e.Home, "tags.tar")
	e.MustPod(t, "save", "-q", "-o", tags, "alpine:3.20.3", "other:1")

	f := NewEnv(t, EnvOptions{})
	for _, name := range []string{"multi.tar", "tags.tar"} {
		data, err := os.ReadFile(filepath.Join(e.Home, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.Home, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := f.MustPod(t, "load", "-q", "-i", filepath.Join(f.Home, "multi.tar"))
	want := []string{"docker.io/library/alpine:3.20.3", "docker.io/library/alpine:3.19.4"}
	if got := loadedNames(t, r); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("load reported %q, want %q", got, want)
	}
	if r.Stderr != "" && !cfg.podman {
		t.Errorf("load -q printed on stderr: %q", r.Stderr)
	}
	wantList := []string{"docker.io/library/alpine:3.19.4 sha256:" + b, "docker.io/library/alpine:3.20.3 sha256:" + a}
	if got := imageList(t, f); strings.Join(got, "\n") != strings.Join(wantList, "\n") {
		t.Errorf("images after loading the multi-image archive:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantList, "\n"))
	}
	if got := len(saveloadLayers(t, f)); got != 2 {
		t.Errorf("two one-layer images stored %d layers", got)
	}

	r = f.MustPod(t, "load", "-q", "-i", filepath.Join(f.Home, "tags.tar"))
	want = []string{"localhost/other:1", "docker.io/library/alpine:3.20.3"}
	if got := loadedNames(t, r); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("load of the archive with an extra name reported %q, want %q", got, want)
	}
	if got := inspectID(t, f, "other:1"); got != a {
		t.Errorf("other:1 is %s, want %s", got, a)
	}
}

// TestSaveLoadStdio pipes save's stdout into load's stdin, and checks that
// neither talks to a terminal.
func TestSaveLoadStdio(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine:3.20.3").Out()
	e.MustPod(t, "tag", "alpine:3.20.3", "piped:1")
	// save to stdout prints no progress.
	r := e.MustPod(t, "save", "piped:1")
	if len(r.Stdout) < 1<<20 || r.Stderr != "" {
		t.Fatalf("save to stdout: %d bytes of stdout, stderr %q", len(r.Stdout), r.Stderr)
	}
	e.MustPod(t, "rmi", "piped:1")
	r = e.PodOpt(t, RunOpts{Stdin: r.Stdout}, "load")
	expectExit(t, r, 0)
	if got := loadedNames(t, r); len(got) != 1 || got[0] != "localhost/piped:1" {
		t.Errorf("load from stdin reported %q", got)
	}
	e.MustPod(t, "rmi", "piped:1")

	r = e.PodOpt(t, RunOpts{Program: "sh"}, "-c", `"$0" image save --format oci-archive alpine:3.20.3 | "$0" image load -q`, cfg.binary)
	if r.ExitCode != 0 {
		t.Fatalf("save | load: %s", r.describe())
	}
	if got := loadedNames(t, r); len(got) != 1 || got[0] != "docker.io/library/alpine:3.20.3" {
		t.Errorf("save --format oci-archive | load reported %q", got)
	}
	if got := inspectID(t, e, "alpine:3.20.3"); got != id {
		t.Errorf("alpine is %s after the piped load, want %s", got, id)
	}

	r = e.PodOpt(t, RunOpts{TTY: true}, "save", "alpine:3.20.3")
	expectExit(t, r, 125)
	if !strings.Contains(r.Stdout+r.Stderr, "terminal") {
		t.Errorf("save to a terminal: %s", r.describe())
	}
	r = e.PodOpt(t, RunOpts{TTY: true}, "load")
	expectExit(t, r, 125)
	if !strings.Contains(r.Stdout+r.Stderr, "terminal") {
		t.Errorf("load from a terminal: %s", r.describe())
	}
}

// TestLoadReusesLayers loads an archive of an image whose layers are
// stored: no layer is added and the image keeps its layers.
func TestLoadReusesLayers(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine:3.20.3")
	rootfs := e.MustPod(t, "image", "inspect", "--format", "{{.RootFS.Layers}}", "alpine:3.20.3").Out()
	layers := saveloadLayers(t, e)
	if len(layers) != 1 {
		t.Fatalf("after one pull the store holds %q", layers)
	}
	for _, format := range []string{"docker-archive", "oci-archive"} {
		out := filepath.Join(e.Home, "reuse-"+format)
		e.MustPod(t, "save", "-q", "--format", format, "-o", out, "alpine:3.20.3")
		e.MustPod(t, "tag", "alpine:3.20.3", "keep:1")
		e.MustPod(t, "rmi", "alpine:3.20.3")
		for i := 0; i < 2; i++ {
			e.MustPod(t, "load", "-q", "-i", out)
			if got := saveloadLayers(t, e); strings.Join(got, " ") != strings.Join(layers, " ") {
				t.Errorf("%s load %d: layers %q, want %q", format, i+1, got, layers)
			}
			if got := e.MustPod(t, "image", "inspect", "--format", "{{.RootFS.Layers}}", "alpine:3.20.3").Out(); got != rootfs {
				t.Errorf("%s load %d: RootFS.Layers %s, want %s", format, i+1, got, rootfs)
			}
		}
		e.MustPod(t, "untag", "keep:1", "localhost/keep:1")
	}
}

// TestSaveLoadBadInput: a truncated or foreign archive, a missing file, an
// unknown image, a bad format fail on one line with 125, change no image
// and leave no file; a good load works afterwards.
func TestSaveLoadBadInput(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine:3.20.3")
	good := filepath.Join(e.Home, "good.tar")
	e.MustPod(t, "save", "-q", "-o", good, "alpine:3.20.3")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{"trunc.tar": data[:len(data)/2], "head.tar": data[:1000], "garbage.tar": []byte("not an archive\n"), "empty.tar": nil}
	for name, b := range bad {
		if err := os.WriteFile(filepath.Join(e.Home, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e.MustPod(t, "rmi", "alpine:3.20.3")
	before, layers := imageList(t, e), saveloadLayers(t, e)

	for name := range bad {
		r := e.Pod(t, "load", "-i", filepath.Join(e.Home, name))
		expectExit(t, r, 125)
		expectErrorLine(t, r)
		if r.Stdout != "" {
			t.Errorf("a failed load printed %q", r.Stdout)
		}
	}
	r := e.PodOpt(t, RunOpts{Stdin: string(data[:len(data)/3])}, "load")
	expectExit(t, r, 125)
	expectErrorLine(t, r)
	r = e.Pod(t, "load", "-i", filepath.Join(e.Home, "nosuch.tar"))
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch.tar", "no such file")
	if got := imageList(t, e); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Errorf("failed loads changed the images: %q, was %q", got, before)
	}
	if got := saveloadLayers(t, e); strings.Join(got, " ") != strings.Join(layers, " ") {
		t.Errorf("failed loads changed the layers: %q, was %q", got, layers)
	}

	r = e.MustPod(t, "load", "-i", good)
	if got := loadedNames(t, r); len(got) != 1 || got[0] != "docker.io/library/alpine:3.20.3" {
		t.Errorf("load after failed loads reported %q", got)
	}

	out := filepath.Join(e.Home, "out.tar")
	r = e.Pod(t, "save", "-o", out, "nosuch")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch: image not known")
	r = e.Pod(t, "save", "-m", "-o", out, "alpine:3.20.3", "nosuch")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch: image not known")
	r = e.Pod(t, "save", "--format", "tar", "-o", out, "alpine:3.20.3")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "format value must be one of oci-dir oci-archive docker-dir docker-archive")
	r = e.Pod(t, "save", "--compress", "-o", out, "alpine:3.20.3")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--compress can only be set when --format is 'docker-dir'")
	r = e.Pod(t, "save", "-m", "--format", "oci-archive", "-o", out, "alpine:3.20.3", "alpine:3.20.3")
	expectExit(t, r, 125)
	expectErrorLine(t, r, `unsupported format "oci-archive" for saving multiple images`)
	// An existing docker-archive is never overwritten.
	r = e.Pod(t, "save", "-o", good, "alpine:3.20.3")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "docker-archive doesn't support modifying existing images")
	if after, _ := os.ReadFile(good); string(after) != string(data) {
		t.Errorf("a refused save changed %s", good)
	}
	r = e.Pod(t, "load", "x.tar")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "takes no arguments")
	ents, _ := os.ReadDir(e.Home)
	for _, ent := range ents {
		if ent.Name() == "out.tar" || strings.Contains(ent.Name(), ".pod-save-") {
			t.Errorf("failed saves left %s", ent.Name())
		}
	}
}

// TestSaveLoadQuiet: save -q prints nothing, load -q only the names.
func TestSaveLoadQuiet(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine:3.20.3")
	out := filepath.Join(e.Home, "q.tar")
	r := e.MustPod(t, "save", "-q", "-o", out, "alpine:3.20.3")
	if r.Stdout != "" || (r.Stderr != "" && !cfg.podman) {
		t.Errorf("save -q printed %q / %q", r.Stdout, r.Stderr)
	}
	r = e.MustPod(t, "load", "-q", "-i", out)
	if r.Stdout != "Loaded image: docker.io/library/alpine:3.20.3\n" || (r.Stderr != "" && !cfg.podman) {
		t.Errorf("load -q printed %q / %q", r.Stdout, r.Stderr)
	}
	// Without -q the progress goes to stderr, the names to stdout.
	r = e.MustPod(t, "load", "-i", out)
	if r.Stdout != "Loaded image: docker.io/library/alpine:3.20.3\n" || !strings.Contains(r.Stderr, "Copying") {
		t.Errorf("load printed %q / %q", r.Stdout, r.Stderr)
	}
	ev := e.MustPod(t, "events", "--stream=false", "--filter", "type=image", "--format", "{{.Status}} {{.Name}}").Lines()
	if !contains(ev, "save "+out) || !contains(ev, "loadfromarchive "+out) {
		t.Errorf("events %q lack save and loadfromarchive of %s", ev, out)
	}
}
