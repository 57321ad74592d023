package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// volumeEnv is a fresh environment with alpine pulled: the volume tests
// prune, which would touch other tests' volumes in the shared one.
func volumeEnv(t *testing.T) *Env {
	t.Helper()
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	return e
}

// inspectVolumeDoc decodes `volume inspect NAME`.
func inspectVolumeDoc(t *testing.T, e *Env, name string) map[string]any {
	t.Helper()
	var docs []map[string]any
	out := e.MustPod(t, "volume", "inspect", name).Stdout
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 1 {
		t.Fatalf("volume inspect %s: %v: %s", name, err, out)
	}
	return docs[0]
}

func TestVolumeVerbs(t *testing.T) {
	e := volumeEnv(t)
	expectStdout(t, e.MustPod(t, "volume", "create", "--label", "app=web", "data"), "data\n")
	r := e.Pod(t, "volume", "create", "data")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "volume with name data already exists")
	r = e.Pod(t, "volume", "create", "bad/name")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "names must match")

	doc := inspectVolumeDoc(t, e, "data")
	for k, want := range map[string]any{"Name": "data", "Driver": "local", "Scope": "local", "MountCount": float64(0)} {
		if doc[k] != want {
			t.Errorf("volume inspect: %s = %v, want %v", k, doc[k], want)
		}
	}
	if mp, _ := doc["Mountpoint"].(string); !strings.HasSuffix(mp, "/volumes/data/_data") {
		t.Errorf("Mountpoint = %q", mp)
	}
	if labels, _ := doc["Labels"].(map[string]any); labels["app"] != "web" {
		t.Errorf("Labels = %v", doc["Labels"])
	}
	expectExit(t, e.Pod(t, "volume", "exists", "data"), 0)
	expectExit(t, e.Pod(t, "volume", "exists", "nope"), 1)
	r = e.Pod(t, "volume", "inspect", "nope")
	expectExit(t, r, 125)

	e.MustPod(t, "volume", "create", "other")
	expectStdout(t, e.MustPod(t, "volume", "ls"), "DRIVER      VOLUME NAME\nlocal       data\nlocal       other\n")
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q", "--filter", "label=app=web"), "data\n")
	expectStdout(t, e.MustPod(t, "volume", "ls", "--format", "{{.Name}} {{.Driver}}", "--filter", "name=oth"), "other local\n")
	r = e.Pod(t, "volume", "ls", "--filter", "bogus=1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, `"bogus" is an invalid volume filter`)

	// Data persists across containers; ro is enforced.
	e.MustPod(t, "run", "--rm", "-v", "data:/data", "alpine", "sh", "-c", "echo persisted > /data/f")
	expectStdout(t, e.MustPod(t, "run", "--rm", "-v", "data:/data:ro", "alpine", "cat", "/data/f"), "persisted\n")
	r = e.Pod(t, "run", "--rm", "-v", "data:/data:ro", "alpine", "touch", "/data/g")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "Read-only file system") {
		t.Errorf("write to a ro volume: %s", r.describe())
	}

	// In use: rm refuses with exit 2, -f removes the container too.
	ctr := e.CtrName(t, "voluser")
	e.MustPod(t, "create", "--name", ctr, "-v", "data:/data", "alpine", "true")
	r = e.Pod(t, "volume", "rm", "data")
	expectExit(t, r, 2)
	expectErrorLine(t, r, "volume data is being used")
	expectExit(t, e.Pod(t, "volume", "rm", "nope"), 1)
	r = e.MustPod(t, "volume", "prune", "-f")
	expectStdout(t, r, "other\n")
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "data\n")

	// export and import round trip, through a file and through stdin.
	tarPath := filepath.Join(e.Home, "data.tar")
	e.MustPod(t, "volume", "export", "-o", tarPath, "data")
	var raw string
	if cfg.podman {
		// podman 4.3 cannot open /dev/stdout as the test user.
		b, err := os.ReadFile(tarPath)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	} else {
		raw = e.MustPod(t, "volume", "export", "data").Stdout
	}
	if !strings.Contains(raw, "persisted") {
		t.Errorf("the exported archive lacks the file's content")
	}
	e.MustPod(t, "volume", "create", "copy1")
	e.MustPod(t, "volume", "import", "copy1", tarPath)
	expectStdout(t, e.MustPod(t, "run", "--rm", "-v", "copy1:/c", "alpine", "cat", "/c/f"), "persisted\n")
	e.MustPod(t, "volume", "create", "copy2")
	e.MustPod(t, "run", "--rm", "-v", "copy2:/c", "alpine", "true")
	if r := e.PodOpt(t, RunOpts{Stdin: raw}, "volume", "import", "copy2", "-"); r.ExitCode != 0 {
		t.Fatalf("import from stdin: %s", r.describe())
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "-v", "copy2:/c", "alpine", "cat", "/c/f"), "persisted\n")
	r = e.PodOpt(t, RunOpts{Stdin: "not a tar archive\n"}, "volume", "import", "copy2", "-")
	expectExit(t, r, 125)
	if !cfg.podman { // podman 4.3: "unexpected EOF"
		expectErrorLine(t, r, "copy2", "not a tar archive")
	}
	expectExit(t, e.Pod(t, "volume", "import", "nope", tarPath), 125)

	// mount prints the path inside `pod unshare` only, as podman.
	skipMount := cfg.podman
	if !skipMount {
		r = e.Pod(t, "volume", "mount", "data")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "pod unshare")
	}

	expectStdout(t, e.MustPod(t, "volume", "rm", "-f", "data"), "data\n")
	if e.Pod(t, "container", "exists", ctr).ExitCode != 1 {
		t.Errorf("volume rm -f left the container using it")
	}
	e.MustPod(t, "volume", "rm", "copy1", "copy2")
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "")
}

// TestVolumePruneFilter keeps what the label filter does not select.
func TestVolumePruneFilter(t *testing.T) {
	e := volumeEnv(t)
	e.MustPod(t, "volume", "create", "--label", "tmp=1", "scratch")
	e.MustPod(t, "volume", "create", "keep")
	expectStdout(t, e.MustPod(t, "volume", "prune", "-f", "--filter", "label=tmp=1"), "scratch\n")
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "keep\n")
	r := e.PodOpt(t, RunOpts{Stdin: "n\n"}, "volume", "prune")
	if r.ExitCode != 0 || !strings.Contains(r.Stdout, "keep") {
		t.Errorf("declined prune: %s", r.describe())
	}
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "keep\n")
}

// TestVolumeAnonymous: -v /path and an image's VOLUME make anonymous
// volumes; the image's content at the path is copied up on first use; rm
// -v and run --rm remove them.
func TestVolumeAnonymous(t *testing.T) {
	e := volumeEnv(t)
	src := e.CtrName(t, "volsrc")
	e.MustPod(t, "run", "--name", src, "alpine", "sh", "-c", "mkdir /data && echo from-image > /data/x && chown 1000:1000 /data")
	img := "localhost/voltest-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	e.MustPod(t, "commit", "-q", "-c", "VOLUME /data", src, img)
	t.Cleanup(func() { e.Pod(t, "rmi", "-f", img) })
	e.MustPod(t, "rm", src)

	expectStdout(t, e.MustPod(t, "run", "--rm", img, "sh", "-c", "cat /data/x; stat -c %u /data; grep -c ' /data ' /proc/mounts"),
		"from-image\n1000\n1\n")
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "") // run --rm removed it

	ctr := e.CtrName(t, "volanon")
	e.MustPod(t, "create", "--name", ctr, "-v", "/scratch", img, "sh", "-c", "echo more >> /data/x; touch /scratch/s")
	var mounts []map[string]any
	if err := json.Unmarshal([]byte(e.MustPod(t, "inspect", "--format", "{{json .Mounts}}", ctr).Stdout), &mounts); err != nil || len(mounts) != 2 {
		t.Fatalf("inspect Mounts: %v %v", mounts, err)
	}
	names := map[string]string{}
	for _, m := range mounts {
		if m["Type"] != "volume" || m["RW"] != true {
			t.Errorf("mount %v", m)
		}
		names[m["Destination"].(string)] = m["Name"].(string)
	}
	e.MustPod(t, "start", "-a", ctr)
	doc := inspectVolumeDoc(t, e, names["/data"])
	if doc["Anonymous"] != true || doc["NeedsCopyUp"] != nil {
		t.Errorf("anonymous volume after copy-up: %v", doc)
	}
	// A second start does not copy again: the volume keeps its content.
	e.MustPod(t, "start", "-a", ctr)
	got := e.MustPod(t, "run", "--rm", "-v", names["/data"]+":/d", "alpine", "cat", "/d/x").Stdout
	if got != "from-image\nmore\nmore\n" {
		t.Errorf("volume content = %q", got)
	}
	if n := len(e.MustPod(t, "volume", "ls", "-q").Lines()); n != 2 {
		t.Errorf("want 2 anonymous volumes, got %d", n)
	}
	e.MustPod(t, "rm", "-v", ctr)
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "")

	// Without -v they stay.
	ctr2 := e.CtrName(t, "volkeep")
	e.MustPod(t, "create", "--name", ctr2, "-v", "/scratch", "alpine", "true")
	e.MustPod(t, "rm", ctr2)
	if n := len(e.MustPod(t, "volume", "ls", "-q").Lines()); n != 1 {
		t.Errorf("rm without -v: want 1 volume left, got %d", n)
	}
}

// TestVolumesFrom shares another container's volumes, ro when asked.
func TestVolumesFrom(t *testing.T) {
	e := volumeEnv(t)
	src := e.CtrName(t, "vfsrc")
	e.MustPod(t, "run", "--name", src, "-v", "shared:/shared", "alpine", "sh", "-c", "echo hello > /shared/f")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--volumes-from", src, "alpine", "sh", "-c", "cat /shared/f; echo rw >> /shared/f"), "hello\n")
	r := e.Pod(t, "run", "--rm", "--volumes-from", src+":ro", "alpine", "sh", "-c", "cat /shared/f; touch /shared/g")
	if r.ExitCode == 0 || r.Stdout != "hello\nrw\n" {
		t.Errorf("--volumes-from :ro: %s", r.describe())
	}
	r = e.Pod(t, "run", "--rm", "--volumes-from", "nosuchctr", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuchctr")
}

// TestVolumeTmpfsAndBindOptions: volumes made with -o type=tmpfs and
// -o type=bind,device=DIR.
func TestVolumeTmpfsAndBindOptions(t *testing.T) {
	e := volumeEnv(t)
	// podman 4.3 refuses size= here (it wants project quota).
	opt, size := "o=size=2m", "size=2048k"
	if cfg.podman {
		opt, size = "o=nodev", "nodev"
	}
	e.MustPod(t, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", opt, "tv")
	out := e.MustPod(t, "run", "--rm", "-v", "tv:/t", "alpine", "grep", " /t ", "/proc/mounts").Stdout
	if !strings.HasPrefix(out, "tmpfs /t tmpfs") || !strings.Contains(out, size) {
		t.Errorf("tmpfs volume mount: %q", out)
	}
	dir := hostDir(t, e, "bindvol")
	e.MustPod(t, "volume", "create", "-o", "type=bind", "-o", "device="+dir, "bv")
	e.MustPod(t, "run", "--rm", "-v", "bv:/b", "alpine", "sh", "-c", "echo via-volume > /b/f")
	if b, err := os.ReadFile(filepath.Join(dir, "f")); err != nil || string(b) != "via-volume\n" {
		t.Errorf("bind volume: %q %v", b, err)
	}
	r := e.Pod(t, "volume", "create", "-o", "foo=bar", "x")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "foo")
}

// hostDir makes a directory of the test user's on the host.
func hostDir(t *testing.T, e *Env, name string) string {
	t.Helper()
	dir := filepath.Join(e.Dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, e.User.uid, e.User.gid); err != nil {
		t.Fatal(err)
	}
	return dir
}
