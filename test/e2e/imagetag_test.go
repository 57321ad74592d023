package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// inspectID returns the id of the local image name, failing the test when
// there is none.
func inspectID(t *testing.T, e *Env, name string) string {
	t.Helper()
	return e.MustPod(t, "image", "inspect", "--format", "{{.Id}}", name).Out()
}

// TestImageTag adds names (normalized), moves a name between images and
// checks the errors.
func TestImageTag(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine").Out()
	other := e.MustPod(t, "pull", "-q", "alpine:3.19.4").Out()

	r := e.MustPod(t, "tag", "alpine", "foo", "foo:1", "reg.io/x/y")
	if r.Stdout != "" {
		t.Errorf("tag printed %q", r.Stdout)
	}
	for _, n := range []string{"localhost/foo:latest", "localhost/foo:1", "reg.io/x/y:latest", "foo", "foo:1", "reg.io/x/y"} {
		if got := inspectID(t, e, n); got != id {
			t.Errorf("%s is image %s, want %s", n, got, id)
		}
	}
	tags := e.MustPod(t, "images", "--format", "{{.Repository}}:{{.Tag}}").Lines()
	for _, want := range []string{"localhost/foo:latest", "localhost/foo:1", "reg.io/x/y:latest"} {
		if !contains(tags, want) {
			t.Errorf("images does not list %s: %q", want, tags)
		}
	}

	// A name another image has moves to this one.
	e.MustPod(t, "image", "tag", "alpine:3.19.4", "foo")
	if got := inspectID(t, e, "foo"); got != other {
		t.Errorf("foo is image %s after tagging alpine:3.19.4, want %s", got, other)
	}
	if got := e.MustPod(t, "image", "inspect", "--format", "{{.RepoTags}}", id).Out(); strings.Contains(got, "localhost/foo:latest") {
		t.Errorf("alpine kept the moved name: %s", got)
	}

	r = e.Pod(t, "tag", "alpine", "Bad!")
	expectExit(t, r, 125)
	expectErrorLine(t, r, `normalizing name "Bad!"`, "invalid reference format")
	digest := "x@sha256:" + strings.Repeat("0", 64)
	r = e.Pod(t, "tag", "alpine", digest)
	expectExit(t, r, 125)
	expectErrorLine(t, r, digest+": tag by digest not supported")
	r = e.Pod(t, "tag", "nosuch", "foo2")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch: image not known")
	r = e.Pod(t, "tag", "alpine")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "requires at least 2 arg(s), only received 1")
}

// TestImageTagUntag removes given names, then all names, and checks the
// errors and the events.
func TestImageTagUntag(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine").Out()
	e.MustPod(t, "tag", "alpine", "foo", "foo:1", "reg.io/x/y")

	// Names go one by one: foo is removed, then nothere fails.
	r := e.Pod(t, "untag", "alpine", "foo", "nothere")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "localhost/nothere:latest: tag not known")
	if r = e.Pod(t, "image", "inspect", "foo"); r.ExitCode == 0 {
		t.Errorf("foo still names an image after untag foo nothere")
	}
	r = e.Pod(t, "untag", "alpine", "foo@sha256:"+strings.Repeat("0", 64))
	expectExit(t, r, 125)
	expectErrorLine(t, r, "tag not known")
	r = e.Pod(t, "untag", "nosuch")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch: image not known")
	if got := inspectID(t, e, "reg.io/x/y"); got != id {
		t.Errorf("failed untags removed reg.io/x/y (now %q)", got)
	}

	r = e.MustPod(t, "untag", "alpine", "reg.io/x/y:latest")
	if r.Stdout != "" {
		t.Errorf("untag printed %q", r.Stdout)
	}
	if r = e.Pod(t, "image", "inspect", "reg.io/x/y"); r.ExitCode == 0 {
		t.Errorf("reg.io/x/y still names an image after untag")
	}
	if got := inspectID(t, e, "foo:1"); got != id {
		t.Errorf("untag removed foo:1 too (now %q)", got)
	}

	e.MustPod(t, "image", "untag", id)
	if got := e.MustPod(t, "image", "inspect", "--format", "{{len .RepoTags}}", id).Out(); got != "0" {
		t.Errorf("after untag of all names the image has %s names", got)
	}
	if got := e.MustPod(t, "images", "--format", "{{.Repository}}:{{.Tag}}").Lines(); !contains(got, "<none>:<none>") {
		t.Errorf("images after untag all: %q", got)
	}

	evs := e.MustPod(t, "events", "--stream=false", "--filter", "type=image", "--format", "{{.Status}} {{.Name}}").Lines()
	want := []string{"tag foo", "tag foo:1", "tag reg.io/x/y", "untag reg.io/x/y:latest",
		"untag localhost/foo:1", "untag docker.io/library/alpine:latest"}
	if !cfg.podman { // podman writes no event for the name a failing untag removed
		want = append(want, "untag localhost/foo:latest")
	}
	for _, want := range want {
		if !contains(evs, want) {
			t.Errorf("events do not hold %q: %q", want, evs)
		}
	}
}

// TestImageHistory prints the history of the registry's alpine image in
// podman's formats.
func TestImageHistory(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine").Out()
	const createdBy = "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz in /"

	r := e.MustPod(t, "history", "--human=false", "alpine")
	expectStdout(t, r, ""+
		"ID            CREATED               CREATED BY                                     SIZE        COMMENT\n"+
		id[:12]+"  2024-09-06T12:00:00Z  ADD alpine-minirootfs-3.20.3-x86_64.tar.gz...  8.09 MB     \n")
	r = e.MustPod(t, "image", "history", "--no-trunc", "alpine")
	if l := r.Lines(); len(l) != 2 || !strings.HasPrefix(l[0], "ID  ") || !strings.HasPrefix(l[1], id+"  ") ||
		!strings.Contains(l[1], " ago  "+createdBy+"  8.09 MB") {
		t.Errorf("history --no-trunc:\n%s", r.Stdout)
	}
	expectStdout(t, e.MustPod(t, "history", "-q", "alpine"), id[:12]+"\n")
	expectStdout(t, e.MustPod(t, "history", "-q", "--no-trunc", "alpine"), id+"\n")
	expectStdout(t, e.MustPod(t, "history", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}|{{.Tags}}", "alpine"),
		id[:12]+"|ADD alpine-minirootfs-3.20.3-x86_64.tar.gz...|8.09 MB||[]\n")
	expectStdout(t, e.MustPod(t, "history", "--format", "table {{.ID}}\t{{.Size}}", "alpine"),
		"ID            SIZE\n"+id[:12]+"  8.09 MB\n")

	r = e.MustPod(t, "history", "--format", "json", "alpine")
	var js []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &js); err != nil || len(js) != 1 {
		t.Fatalf("history --format json: %v: %s", err, r.Stdout)
	}
	want := map[string]any{"id": id, "created": "2024-09-06T12:00:00Z", "CreatedBy": createdBy, "size": 8089600.0,
		"Created": "2024-09-06T12:00:00Z"}
	if len(js[0]) != len(want) {
		t.Errorf("history json keys: %v", js[0])
	}
	for k, v := range want {
		if js[0][k] != v {
			t.Errorf("history json %s = %v, want %v", k, js[0][k], v)
		}
	}

	r = e.Pod(t, "history", "nosuch")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch: image not known")
}
