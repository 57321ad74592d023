package e2e

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDiff(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "diff")
	e.MustPod(t, "run", "--name", name, "alpine", "sh", "-c",
		"echo x > /etc/motd; rm /etc/issue; mkdir -p /a/b; touch /a-c /a/b/f /zz; rm -rf /media/cdrom; touch /tmp/t; ln -s x /etc/lnk")

	// podman's order: the storage library's walk, a directory before what
	// it holds ("/a/b/f" before "/a-c"); the runtime's mount points left out.
	want := "A /a\nA /a/b\nA /a/b/f\nA /a-c\nC /etc\nD /etc/issue\nA /etc/lnk\nC /etc/motd\nC /media\nD /media/cdrom\nC /tmp\nA /tmp/t\nA /zz\n"
	expectStdout(t, e.MustPod(t, "diff", name), want)
	expectStdout(t, e.MustPod(t, "container", "diff", name), want)

	r := e.MustPod(t, "diff", "--format", "json", name)
	var got map[string][]string
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatalf("diff --format json: %v: %s", err, r.describe())
	}
	wantJSON := map[string][]string{
		"changed": {"/etc", "/etc/motd", "/media", "/tmp"},
		"added":   {"/a", "/a/b", "/a/b/f", "/a-c", "/etc/lnk", "/tmp/t", "/zz"},
		"deleted": {"/etc/issue", "/media/cdrom"},
	}
	if !reflect.DeepEqual(got, wantJSON) {
		t.Errorf("diff --format json = %v, want %v", got, wantJSON)
	}

	// A container that never ran has no changes; a running one has its own.
	created := e.CtrName(t, "diffc")
	e.MustPod(t, "create", "--name", created, "alpine", "true")
	expectStdout(t, e.MustPod(t, "diff", created), "")
	expectStdout(t, e.MustPod(t, "diff", "--format", "json", created), "{}\n")
	running := e.CtrName(t, "diffr")
	e.MustPod(t, "run", "-d", "--name", running, "alpine", "sh", "-c", "touch /ran; echo ready; sleep 1000")
	e.waitLog(t, running, "ready")
	if r := e.MustPod(t, "diff", running); !contains(r.Lines(), "A /ran") || contains(r.Lines(), "A /etc/hosts") {
		t.Errorf("diff of a running container: %s", r.describe())
	}

	r = e.Pod(t, "diff", "nope-no-such")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nope-no-such")
	r = e.Pod(t, "diff", "--format", "{{.Path}}", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "json")
}
