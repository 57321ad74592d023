package e2e

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var fullIDRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

// imageIDs lists the ids of every local image.
func imageIDs(t *testing.T, e *Env) []string {
	t.Helper()
	return e.MustPod(t, "images", "--no-trunc", "--format", "{{.ID}}").Lines()
}

// inspectImage decodes `image inspect` of one image.
func inspectImage(t *testing.T, e *Env, name string) map[string]any {
	t.Helper()
	var docs []map[string]any
	out := e.MustPod(t, "image", "inspect", name).Stdout
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 1 {
		t.Fatalf("image inspect %s: %v: %s", name, err, out)
	}
	return docs[0]
}

// rootLayers returns an inspect document's RootFS.Layers.
func rootLayers(doc map[string]any) []string {
	var out []string
	rootfs, _ := doc["RootFS"].(map[string]any)
	layers, _ := rootfs["Layers"].([]any)
	for _, l := range layers {
		s, _ := l.(string)
		out = append(out, s)
	}
	return out
}

// tarNames lists the entries of a tar archive, without a leading "./".
func tarNames(t *testing.T, r io.Reader) map[string]*tar.Header {
	t.Helper()
	names := map[string]*tar.Header{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatalf("reading the exported archive: %v", err)
		}
		names[strings.TrimPrefix(h.Name, "./")] = h
	}
}

// TestCommitContainer commits a stopped container: the new image has the
// file it wrote, one layer more than its image (whose layers it shares),
// a history entry on top, and its name normalized.
func TestCommitContainer(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	alpineID := e.MustPod(t, "pull", "-q", "alpine").Out()
	ctr := e.CtrName(t, "commit")
	e.MustPod(t, "run", "--name", ctr, "alpine", "sh", "-c", "echo hello > /hello.txt")

	r := e.MustPod(t, "commit", ctr, "committed")
	id := r.Out()
	if !fullIDRe.MatchString(id) {
		t.Fatalf("commit printed %q, want the full image id", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "Writing manifest to image destination") {
		t.Errorf("commit without -q printed no progress: %q", r.Stderr)
	}
	if got := inspectID(t, e, "localhost/committed:latest"); got != id {
		t.Errorf("localhost/committed:latest is %s, want %s", got, id)
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "committed", "cat", "/hello.txt"), "hello\n")

	doc, base := inspectImage(t, e, id), inspectImage(t, e, "alpine")
	layers, baseLayers := rootLayers(doc), rootLayers(base)
	if len(layers) != len(baseLayers)+1 || strings.Join(layers[:len(baseLayers)], " ") != strings.Join(baseLayers, " ") {
		t.Errorf("committed layers %q, want alpine's %q and one more", layers, baseLayers)
	}
	if doc["Parent"] != alpineID {
		t.Errorf("Parent %v, want %s", doc["Parent"], alpineID)
	}
	// The parent's storage layers are shared, not copied.
	if drv, _ := base["GraphDriver"].(map[string]any); drv["Name"] == "overlay" {
		baseData, _ := drv["Data"].(map[string]any)
		data, _ := doc["GraphDriver"].(map[string]any)["Data"].(map[string]any)
		if upper, _ := baseData["UpperDir"].(string); upper == "" || !strings.Contains(data["LowerDir"].(string), upper) {
			t.Errorf("the committed image's lower layers %v do not include alpine's layer %v", data["LowerDir"], baseData["UpperDir"])
		}
	}
	dfRow := false
	for _, l := range e.MustPod(t, "system", "df", "-v").Lines() {
		if f := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(l), -1); len(f) >= 7 && f[0] == "localhost/committed" {
			dfRow = true
			if unique := f[6]; !strings.HasSuffix(unique, "kB") && !regexp.MustCompile(`^\d+B$`).MatchString(unique) {
				t.Errorf("the committed image's unique size is %s: its parent's layers were not shared (%s)", unique, l)
			}
		}
	}
	if !dfRow {
		t.Errorf("system df -v lists no localhost/committed")
	}

	hist := e.MustPod(t, "history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", "committed").Lines()
	if len(hist) < 2 || !strings.HasPrefix(hist[0], id+"|") || !strings.HasSuffix(hist[0], "|FROM docker.io/library/alpine:latest") ||
		!strings.HasPrefix(hist[1], alpineID+"|") {
		t.Errorf("history of the committed image: %q", hist)
	}

	// Without a name: an untagged image; -q prints only the id.
	r = e.MustPod(t, "commit", "-q", ctr)
	if !fullIDRe.MatchString(r.Out()) || r.Stderr != "" {
		t.Errorf("commit -q printed %q, %q on stderr", r.Stdout, r.Stderr)
	}
	if tags := e.MustPod(t, "image", "inspect", "--format", "{{len .RepoTags}}", r.Out()).Out(); tags != "0" {
		t.Errorf("an image committed without a name has %s names", tags)
	}

	// The commit event names the container.
	ev := e.MustPod(t, "events", "--stream=false", "--filter", "event=commit", "--format", "{{.Type}} {{.Status}} {{.Name}}").Lines()
	if len(ev) != 2 || ev[0] != "container commit "+ctr {
		t.Errorf("commit events: %q", ev)
	}
}

// TestCommitChanges applies --change instructions: they show in image
// inspect and take effect in run; bad ones are refused before anything is
// stored.
func TestCommitChanges(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	ctr := e.CtrName(t, "commit")
	e.MustPod(t, "create", "--name", ctr, "--label", "from=ctr", "-e", "CTR=1", "alpine", "true")

	e.MustPod(t, "commit", "-q",
		"-c", `ENTRYPOINT ["/bin/sh","-c"]`,
		"-c", `CMD ["echo $GREETING in $(pwd) as $(id -u) $CTR"]`,
		"-c", "ENV GREETING=hi",
		"-c", "WORKDIR /tmp",
		"-c", "USER 1000",
		"-c", "LABEL purpose=test",
		"-c", "EXPOSE 8080",
		"-c", "STOPSIGNAL SIGUSR1",
		ctr, "changed")
	expectStdout(t, e.MustPod(t, "run", "--rm", "changed"), "hi in /tmp as 1000 1\n")
	cfg := e.MustPod(t, "image", "inspect", "--format", "{{json .Config}}", "changed").Out()
	var c struct {
		User         string
		ExposedPorts map[string]any
		Env          []string
		Entrypoint   []string
		Cmd          []string
		WorkingDir   string
		Labels       map[string]string
		StopSignal   string
	}
	if err := json.Unmarshal([]byte(cfg), &c); err != nil {
		t.Fatalf("%v: %s", err, cfg)
	}
	if c.User != "1000" || c.WorkingDir != "/tmp" || c.Labels["purpose"] != "test" || c.Labels["from"] != "ctr" ||
		c.ExposedPorts["8080/tcp"] == nil || !contains(c.Env, "GREETING=hi") || !contains(c.Env, "CTR=1") ||
		strings.Join(c.Entrypoint, " ") != "/bin/sh -c" || len(c.Cmd) != 1 || c.StopSignal != "10" {
		t.Errorf("config of the committed image: %s", cfg)
	}

	// A shell-form CMD runs through /bin/sh -c.
	e.MustPod(t, "commit", "-q", "-c", "CMD echo shell form", ctr, "shellform")
	expectStdout(t, e.MustPod(t, "run", "--rm", "shellform"), "shell form\n")

	// The docker format carries the message.
	e.MustPod(t, "commit", "-q", "-f", "docker", "-m", "my message", "-a", "me <me@example.com>", ctr, "dockerfmt")
	got := e.MustPod(t, "image", "inspect", "--format", "{{.Comment}}|{{.Author}}|{{.ManifestType}}", "dockerfmt").Out()
	if got != "my message|me <me@example.com>|application/vnd.docker.distribution.manifest.v2+json" {
		t.Errorf("docker-format commit: %q", got)
	}

	before := imageIDs(t, e)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-c", "BOGUS", ctr, "bad"}, []string{`invalid change "BOGUS"`}},
		{[]string{"-c", "FROM alpine", ctr, "bad"}, []string{`invalid change "FROM alpine"`, "invalid instruction FROM"}},
		{[]string{"-c", "EXPOSE 80/xyz", ctr, "bad"}, []string{"EXPOSE protocol must be TCP or UDP"}},
		{[]string{"-m", "msg", ctr, "bad"}, []string{"messages are only compatible with the docker image format (-f docker)"}},
		{[]string{"-f", "xyz", ctr, "bad"}, []string{`unrecognized image format "xyz"`}},
		{[]string{"nosuch", "bad"}, []string{"nosuch", "no such container"}},
		{[]string{ctr, "Bad!"}, []string{"invalid reference format"}},
	} {
		r := e.Pod(t, append([]string{"commit"}, tc.args...)...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, tc.want...)
	}
	if after := imageIDs(t, e); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("failed commits changed the images: %q, was %q", after, before)
	}
}

// TestCommitRunning commits a running container, without and with
// --pause: the file it wrote is in the image and it keeps running.
func TestCommitRunning(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	ctr := e.CtrName(t, "commit")
	e.MustPod(t, "run", "-d", "--name", ctr, "alpine", "sh", "-c", "echo live > /live.txt; echo ready; sleep 1000")
	e.waitLog(t, ctr, "ready")

	e.MustPod(t, "commit", "-q", ctr, "live1")
	expectStdout(t, e.MustPod(t, "run", "--rm", "live1", "cat", "/live.txt"), "live\n")
	if st := e.state(t, ctr); st != "running" {
		t.Errorf("after commit the container is %s, want running", st)
	}

	if cfg.podman {
		return // podman cannot pause a rootless container without cgroups v2
	}
	e.MustPod(t, "commit", "-q", "--pause", ctr, "live2")
	expectStdout(t, e.MustPod(t, "run", "--rm", "live2", "cat", "/live.txt"), "live\n")
	if st := e.state(t, ctr); st != "running" {
		t.Errorf("after commit --pause the container is %s, want running", st)
	}
	ev := e.MustPod(t, "events", "--stream=false", "--filter", "container="+ctr, "--format", "{{.Status}}").Lines()
	if i := indexOf(ev, "pause"); i < 0 || indexOf(ev[i:], "commit") < 0 || indexOf(ev[i:], "unpause") < 0 {
		t.Errorf("commit --pause events: %q, want pause, commit, unpause", ev)
	}
	// The container still works.
	expectStdout(t, e.MustPod(t, "exec", ctr, "cat", "/live.txt"), "live\n")
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// TestExportImport exports a container's file system, checks the archive,
// imports it back from a file and from stdin, and refuses broken archives
// without storing anything.
func TestExportImport(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	ctr := e.CtrName(t, "export")
	sum := e.MustPod(t, "run", "--name", ctr, "alpine", "sh", "-c",
		"head -c 200000 /dev/urandom > /data.bin && sha256sum /data.bin").Out()
	if len(sum) < 64 {
		t.Fatalf("sha256sum printed %q", sum)
	}

	// To stdout (podman reopens /dev/stdout, which a pipe of another user
	// refuses).
	if !cfg.podman {
		r := e.MustPod(t, "export", ctr)
		names := tarNames(t, strings.NewReader(r.Stdout))
		for _, want := range []string{"data.bin", "etc/alpine-release", "bin/busybox"} {
			if names[want] == nil {
				t.Errorf("the exported archive has no %s (%d entries)", want, len(names))
			}
		}
		if h := names["data.bin"]; h != nil && (h.Size != 200000 || h.Uid != 0) {
			t.Errorf("data.bin in the archive: size %d, uid %d", h.Size, h.Uid)
		}
	}

	// To a file.
	file := filepath.Join(e.Home, "ctr.tar")
	r := e.MustPod(t, "export", "-o", file, ctr)
	if r.Stdout != "" {
		t.Errorf("export -o printed %q", r.Stdout)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	names := tarNames(t, f)
	f.Close()
	if names["data.bin"] == nil || names["etc/alpine-release"] == nil {
		t.Errorf("the archive written by export -o lacks data.bin or etc/alpine-release (%d entries)", len(names))
	}

	// Never to a terminal.
	r = e.PodOpt(t, RunOpts{TTY: true}, "export", ctr)
	expectExit(t, r, 125)
	if !strings.Contains(r.Stdout+r.Stderr, "refusing to export to terminal") {
		t.Errorf("export to a terminal: %s", r.describe())
	}
	r = e.Pod(t, "export", "nosuch")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no such container")

	// Import from the file, with a message and a command.
	r = e.MustPod(t, "import", "-m", "round trip", "-c", `CMD ["sha256sum","/data.bin"]`, file, "imported")
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(r.Out()) {
		t.Errorf("import printed %q, want sha256:<id>", r.Stdout)
	}
	id := strings.TrimPrefix(r.Out(), "sha256:")
	if got := inspectID(t, e, "localhost/imported:latest"); got != id {
		t.Errorf("localhost/imported:latest is %s, want %s", got, id)
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "imported"), sum+"\n")
	doc := inspectImage(t, e, "imported")
	if len(rootLayers(doc)) != 1 || doc["Comment"] != "round trip" {
		t.Errorf("imported image: layers %q, comment %v", rootLayers(doc), doc["Comment"])
	}
	hist := e.MustPod(t, "history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", "imported").Lines()
	if len(hist) != 1 || !strings.HasPrefix(hist[0], "/bin/sh -c #(nop) ADD file:") || !strings.HasSuffix(hist[0], "|round trip") {
		t.Errorf("history of the imported image: %q", hist)
	}

	// Import from stdin, untagged.
	tarball, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r = e.PodOpt(t, RunOpts{Stdin: string(tarball), Timeout: 2 * time.Minute}, "import", "-q", "-c", "CMD cat /etc/alpine-release", "-")
	expectExit(t, r, 0)
	if r.Stderr != "" {
		t.Errorf("import -q printed on stderr: %q", r.Stderr)
	}
	release := e.MustPod(t, "run", "--rm", "alpine", "cat", "/etc/alpine-release").Stdout
	expectStdout(t, e.MustPod(t, "run", "--rm", strings.TrimPrefix(r.Out(), "sha256:")), release)

	// Broken archives store nothing.
	before := imageIDs(t, e)
	truncated := e.WriteFile(t, "truncated.tar", string(tarball[:len(tarball)/2+123]))
	garbage := e.WriteFile(t, "garbage.tar", "this is not a tar archive\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{truncated, "broken"}, "truncated"},
		{[]string{garbage, "broken"}, "tar archive"},
		{[]string{filepath.Join(e.Home, "missing.tar")}, "no such file or directory"},
		{[]string{"-c", "BOGUS", file}, `invalid change "BOGUS"`},
	} {
		r := e.Pod(t, append([]string{"import"}, tc.args...)...)
		expectExit(t, r, 125)
		if !cfg.podman { // podman reports the layer's failed extraction
			expectErrorLine(t, r, tc.want)
		}
	}
	if after := imageIDs(t, e); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("failed imports changed the images: %q, was %q", after, before)
	}
}
