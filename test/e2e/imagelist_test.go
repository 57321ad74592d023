package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// labelledTag is the seeded alpine image with the label org.pod.test=labelled,
// created 2024-10-01 (the other seeded images: 2024-09-06).
const labelledTag = "3.20.3-labelled"

// requireSeed fails the test when the registry lacks library/alpine:tag.
func requireSeed(t *testing.T, tag string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + cfg.registry + "/v2/library/alpine/tags/list")
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"`+tag+`"`) {
		t.Fatalf("registry %s lacks library/alpine:%s (%s): run `sudo bash test/setup.sh`", cfg.registry, tag, body)
	}
}

// imageNames lists `images` as sorted repository:tag lines for args.
func imageNames(t *testing.T, e *Env, args ...string) []string {
	t.Helper()
	r := e.MustPod(t, append([]string{"images", "--format", "{{.Repository}}:{{.Tag}}"}, args...)...)
	lines := r.Lines()
	sort.Strings(lines)
	return lines
}

func expectNames(t *testing.T, e *Env, want []string, args ...string) {
	t.Helper()
	sort.Strings(want)
	if got := imageNames(t, e, args...); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("images %q: %q, want %q", args, got, want)
	}
}

// TestImagesFilter lists images by reference, label, creation time, id and
// dangling state, alone and together.
func TestImagesFilter(t *testing.T) {
	requireSeed(t, labelledTag)
	e := NewEnv(t, EnvOptions{})
	latest := e.MustPod(t, "pull", "-q", "alpine").Out()
	old := e.MustPod(t, "pull", "-q", "alpine:3.19.4").Out()
	labelled := e.MustPod(t, "pull", "-q", "alpine:"+labelledTag).Out()
	e.MustPod(t, "tag", "alpine", "foo")

	const (
		al   = "docker.io/library/alpine:latest"
		a319 = "docker.io/library/alpine:3.19.4"
		alab = "docker.io/library/alpine:" + labelledTag
		foo  = "localhost/foo:latest"
	)
	all := []string{al, a319, alab, foo}
	expectNames(t, e, all)
	// An image passes when any name matches; all its names are listed.
	expectNames(t, e, []string{al, foo}, "--filter", "reference=foo")
	expectNames(t, e, []string{al, foo}, "foo") // the argument is a reference filter
	expectNames(t, e, []string{a319, alab}, "--filter", "reference=alpine:3*")
	expectNames(t, e, all, "--filter", "reference=library/alpine")
	expectNames(t, e, all, "--filter", "reference=docker.io/library/alpine")
	expectNames(t, e, []string{al, foo}, "--filter", "reference=localhost/*")
	expectNames(t, e, nil, "--filter", "reference=alp")
	// One key given twice: either value; two keys: both.
	expectNames(t, e, []string{al, foo, a319}, "--filter", "reference=foo", "--filter", "reference=alpine:3.19.4")
	expectNames(t, e, []string{alab}, "--filter", "reference=alpine", "--filter", "label=org.pod.test")
	expectNames(t, e, []string{alab}, "--filter", "label=org.pod.test=labelled")
	expectNames(t, e, nil, "--filter", "label=org.pod.test=other")
	expectNames(t, e, []string{al, foo, a319}, "--filter", "label!=org.pod.test")
	expectNames(t, e, []string{alab}, "--filter", "since=alpine")
	expectNames(t, e, []string{alab}, "--filter", "after="+old[:12])
	expectNames(t, e, []string{al, foo, a319}, "--filter", "before=alpine:"+labelledTag)
	expectNames(t, e, []string{al, foo, a319}, "--filter", "until=2024-09-10")
	expectNames(t, e, []string{al, foo}, "--filter", "id="+latest)
	expectNames(t, e, nil, "--filter", "dangling=true")
	expectNames(t, e, all, "--filter", "dangling=false")

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--filter", "bogus=1"}, "bogus"},
		{[]string{"--filter", "dangling"}, "dangling"},
		{[]string{"--filter", "dangling=maybe"}, "maybe"},
		{[]string{"--filter", "before=nosuch"}, "nosuch"},
		{[]string{"--filter", "until=soon"}, "soon"},
		{[]string{"--filter", "dangling=true", "--filter", "dangling=false"}, "dangling"},
		{[]string{"--filter", "dangling=true", "alpine"}, ""},
		{[]string{"--sort", "bogus"}, "bogus"},
	} {
		r := e.Pod(t, append([]string{"images"}, tc.args...)...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, tc.msg)
	}

	// Moving its only name to another image leaves 3.19.4 dangling.
	e.MustPod(t, "tag", "alpine", "docker.io/library/alpine:3.19.4")
	r := e.MustPod(t, "images", "--filter", "dangling=true", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Dangling}}")
	expectStdout(t, r, "<none>:<none> "+old[:12]+" true\n")
	if got := e.MustPod(t, "images", "-q").Lines(); len(got) != 3 || !contains(got, old[:12]) || !contains(got, labelled[:12]) {
		t.Errorf("images -q %q: want the 3 images, the dangling one included", got)
	}
}

// TestImagesOutput checks the table, --digests, --no-trunc, -q, --sort,
// --history and --format json.
func TestImagesOutput(t *testing.T) {
	requireSeed(t, labelledTag)
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	old := e.MustPod(t, "pull", "-q", "alpine:3.19.4").Out()
	labelled := e.MustPod(t, "pull", "-q", "alpine:"+labelledTag).Out()

	r := e.MustPod(t, "images")
	want := "REPOSITORY                TAG              IMAGE ID      CREATED      SIZE\n" +
		"docker.io/library/alpine  " + labelledTag + "  " + labelled[:12] + "  "
	if !strings.HasPrefix(r.Stdout, want) {
		t.Errorf("images: want the newest image first, columns as podman's:\n%s\nwant prefix:\n%s", r.Stdout, want)
	}
	rowRe := regexp.MustCompile(`(?m)^docker\.io/library/alpine  3\.19\.4           ` + old[:12] + `  \d+ years? ago  7\.69 MB$`)
	if !rowRe.MatchString(r.Stdout) {
		t.Errorf("images: no row matching %s:\n%s", rowRe, r.Stdout)
	}

	r = e.MustPod(t, "images", "--digests", "--noheading", "--filter", "reference=alpine:3.19.4")
	if f := strings.Fields(r.Out()); len(f) < 4 || f[2] != registryDigest(t, "3.19.4") || f[3] != old[:12] {
		t.Errorf("images --digests: %q, want the registry digest %s before the id", r.Out(), registryDigest(t, "3.19.4"))
	}
	if h := e.MustPod(t, "images", "--digests").Lines()[0]; !regexp.MustCompile(`^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID\s+CREATED\s+SIZE$`).MatchString(h) {
		t.Errorf("images --digests header %q", h)
	}
	expectStdout(t, e.MustPod(t, "images", "--no-trunc", "--format", "{{.ID}}", "alpine:3.19.4"), "sha256:"+old+"\n")
	if q := e.MustPod(t, "images", "-q", "--no-trunc").Lines(); len(q) != 3 || q[0] != "sha256:"+labelled {
		t.Errorf("images -q --no-trunc: %q", q)
	}

	e.MustPod(t, "tag", "alpine:3.19.4", "zzz", "aaa:1")
	for _, key := range []string{"size", "id", "repository", "tag", "created"} {
		lines := e.MustPod(t, "images", "--sort", key, "--format", "{{.Id}} {{.Repository}} {{.Tag}}").Lines()
		if len(lines) != 5 {
			t.Errorf("--sort %s: %q", key, lines)
			continue
		}
		var col []string
		for _, l := range lines {
			f := strings.Fields(l)
			switch key {
			case "id":
				col = append(col, f[0])
			case "repository":
				col = append(col, f[1])
			case "tag":
				col = append(col, f[2])
			}
		}
		if !sort.StringsAreSorted(col) {
			t.Errorf("--sort %s: not sorted: %q", key, lines)
		}
		first := map[string]string{"size": old, "created": labelled}[key]
		if first != "" && !strings.HasPrefix(lines[0], first+" ") {
			t.Errorf("--sort %s: first line %q, want image %s", key, lines[0], first[:12])
		}
	}
	r = e.MustPod(t, "images", "--history", "--format", "{{.History}}", "zzz")
	if l := r.Lines(); len(l) != 3 || !strings.Contains(l[0], "localhost/zzz:latest") || !strings.Contains(l[0], "docker.io/library/alpine:3.19.4") {
		t.Errorf("images --history: %q", l)
	}

	r = e.MustPod(t, "images", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil || len(list) != 5 {
		t.Fatalf("images --format json: one entry per name wanted: %v\n%s", err, r.Stdout)
	}
	for _, k := range []string{"Id", "ParentId", "RepoTags", "RepoDigests", "Size", "SharedSize", "VirtualSize", "Labels",
		"Containers", "Names", "Digest", "History", "Created", "CreatedAt"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("images --format json lacks %s: %v", k, list[0])
		}
	}
	if list[0]["Id"] != labelled || list[0]["Labels"].(map[string]any)["org.pod.test"] != "labelled" ||
		list[0]["CreatedAt"] != "2024-10-01T12:00:00Z" || list[0]["Created"] != float64(1727784000) {
		t.Errorf("images --format json, first entry: %v", list[0])
	}
	if !strings.Contains(r.Stdout, "\n    {\n        \"Id\": ") {
		t.Errorf("images --format json is indented by four spaces as podman's:\n%s", r.Stdout)
	}
	expectStdout(t, e.MustPod(t, "images", "--format", "json", "nosuch"), "[]\n")
}

// TestImageExistsInspect checks exists' exit codes and the types and values
// of image inspect's fields.
func TestImageExistsInspect(t *testing.T) {
	requireSeed(t, labelledTag)
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine").Out()
	e.MustPod(t, "pull", "-q", "alpine:"+labelledTag)

	for _, name := range []string{"alpine", "docker.io/library/alpine:latest", id, id[:12], "sha256:" + id,
		"alpine@" + registryDigest(t, "latest")} {
		r := e.Pod(t, "image", "exists", name)
		expectExit(t, r, 0)
		expectStdout(t, r, "")
	}
	r := e.Pod(t, "image", "exists", "nosuch")
	expectExit(t, r, 1)
	if r.Stdout != "" || strings.TrimSpace(r.Stderr) != "" {
		t.Errorf("exists of a missing image printed %q %q", r.Stdout, r.Stderr)
	}
	r = e.Pod(t, "image", "exists", "Bad!")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "invalid reference format")
	r = e.Pod(t, "image", "exists")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "accepts 1 arg(s), received 0")

	f := func(format, name string) string {
		t.Helper()
		return e.MustPod(t, "image", "inspect", "--format", format, name).Out()
	}
	if s := f("{{.Size}} {{.VirtualSize}}", "alpine"); !regexp.MustCompile(`^[1-9]\d{6} [1-9]\d{6}$`).MatchString(s) {
		t.Errorf("{{.Size}} {{.VirtualSize}}: %q, want integers", s)
	}
	checks := map[string]string{
		"{{.Id}}":                   id,
		"{{.ID}}":                   id,
		"{{.Digest}}":               registryDigest(t, "latest"),
		"{{.RepoDigests}}":          "[docker.io/library/alpine@" + registryDigest(t, "latest") + "]",
		"{{.RepoTags}}":             "[docker.io/library/alpine:latest]",
		"{{.Config.Cmd}}":           "[/bin/sh]",
		"{{.Architecture}} {{.Os}}": "amd64 linux",
		"{{.Created}}":              "2024-09-06 12:00:00 +0000 UTC",
		"{{.RootFS.Type}}":          "layers",
		"{{len .RootFS.Layers}}":    "1",
		"{{range .History}}{{.CreatedBy}}{{end}}": "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz in /",
		"{{.NamesHistory}}":                       "[docker.io/library/alpine:latest]",
		"{{.Labels}}":                             "map[]",
		"{{.Annotations}}":                        "map[]",
		"{{.ManifestType}}":                       "application/vnd.oci.image.manifest.v1+json",
		"{{.User}}|{{.Parent}}":                   "|",
	}
	for format, want := range checks {
		if got := f(format, "alpine"); got != want {
			t.Errorf("image inspect --format %s: %q, want %q", format, got, want)
		}
	}
	if got := f("{{.Labels}} {{index .Config.Labels \"org.pod.test\"}}", "alpine:"+labelledTag); got != "map[org.pod.test:labelled] labelled" {
		t.Errorf("labels of the labelled image: %q", got)
	}

	var docs []map[string]any
	if err := json.Unmarshal([]byte(e.MustPod(t, "image", "inspect", "alpine").Stdout), &docs); err != nil || len(docs) != 1 {
		t.Fatalf("image inspect JSON: %v", err)
	}
	d := docs[0]
	for _, k := range []string{"Id", "Digest", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Config", "Version",
		"Author", "Architecture", "Os", "Size", "VirtualSize", "GraphDriver", "RootFS", "Labels", "Annotations",
		"ManifestType", "User", "History", "NamesHistory"} {
		if _, ok := d[k]; !ok {
			t.Errorf("image inspect lacks %s", k)
		}
	}
	if s, ok := d["Size"].(float64); !ok || s != float64(int64(s)) || s <= 0 {
		t.Errorf("Size %v is not a positive integer", d["Size"])
	}
	if _, ok := d["History"].([]any); !ok {
		t.Errorf("History %v is not a list", d["History"])
	}
}

// TestRmiVariants removes images by digest, short id, several at once, and
// by force with a container using the image.
func TestRmiVariants(t *testing.T) {
	requireSeed(t, labelledTag)
	e := NewEnv(t, EnvOptions{})
	latest := e.MustPod(t, "pull", "-q", "alpine").Out()
	old := e.MustPod(t, "pull", "-q", "alpine:3.19.4").Out()
	labelled := e.MustPod(t, "pull", "-q", "alpine:"+labelledTag).Out()

	r := e.MustPod(t, "rmi", "alpine@"+registryDigest(t, labelledTag))
	expectStdout(t, r, "Untagged: docker.io/library/alpine:"+labelledTag+"\nDeleted: "+labelled+"\n")
	expectExit(t, e.Pod(t, "image", "exists", labelled), 1)

	r = e.MustPod(t, "rmi", old[:12])
	expectStdout(t, r, "Untagged: docker.io/library/alpine:3.19.4\nDeleted: "+old+"\n")

	// By id with several names: refused without --force.
	e.MustPod(t, "tag", "alpine", "foo")
	r = e.Pod(t, "rmi", latest[:12])
	expectExit(t, r, 125)
	expectErrorLine(t, r, latest[:12])
	// One of several names: untagged only.
	expectStdout(t, e.MustPod(t, "rmi", "foo"), "Untagged: localhost/foo:latest\n")

	// In use: exit 2; with -f the container goes, then the image.
	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	name := e.CtrName(t, "rmiuser")
	e.MustPod(t, "create", "--name", name, "alpine:3.19.4", "true")
	r = e.Pod(t, "rmi", "alpine:3.19.4")
	expectExit(t, r, 2)
	expectErrorLine(t, r, "in use")
	r = e.MustPod(t, "rmi", "-f", "alpine:3.19.4")
	expectStdout(t, r, "Untagged: docker.io/library/alpine:3.19.4\nDeleted: "+old+"\n")
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("rmi -f kept the container %q", ids)
	}
	expectExit(t, e.Pod(t, "image", "exists", old), 1)

	// Several names: a missing one is exit 1, the others still go; -i ignores it.
	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	r = e.Pod(t, "rmi", "nosuch", "alpine:3.19.4")
	expectExit(t, r, 1)
	expectErrorLine(t, r, "nosuch: image not known")
	if !strings.Contains(r.Stdout, "Deleted: "+old) {
		t.Errorf("rmi nosuch alpine:3.19.4 kept the image: %q", r.Stdout)
	}
	r = e.Pod(t, "rmi", "-i", "nosuch")
	expectExit(t, r, 0)
	expectStdout(t, r, "")

	// -a: an image with several names goes too; a used one stays (exit 2)
	// until -a -f, which removes its container first.
	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	e.MustPod(t, "tag", "alpine:3.19.4", "bar")
	name2 := e.CtrName(t, "rmiall")
	e.MustPod(t, "create", "--name", name2, "alpine", "true")
	r = e.Pod(t, "rmi", "-a")
	expectExit(t, r, 2)
	if !strings.Contains(r.Stdout, "Deleted: "+old) || strings.Contains(r.Stdout, "Deleted: "+latest) {
		t.Errorf("rmi -a: %q", r.Stdout)
	}
	r = e.MustPod(t, "rmi", "-a", "-f")
	expectStdout(t, r, "Untagged: docker.io/library/alpine:latest\nDeleted: "+latest+"\n")
	if q := e.MustPod(t, "images", "-a", "-q").Lines(); len(q) != 0 {
		t.Errorf("rmi -a -f left %q", q)
	}
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("rmi -a -f kept the container %q", ids)
	}
	r = e.Pod(t, "rmi", "-a", "alpine")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--all")
}

// TestImageTree shows a layer shared by several images, and what requires it.
func TestImageTree(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	id := e.MustPod(t, "pull", "-q", "alpine").Out()
	e.MustPod(t, "pull", "-q", "alpine:3.20.3-stopsignal")
	e.MustPod(t, "tag", "alpine", "foo")

	lines := e.MustPod(t, "image", "tree", "alpine").Lines()
	if len(lines) != 5 {
		t.Fatalf("image tree: %q", lines)
	}
	if lines[0] != "Image ID: "+id[:12] || lines[2] != "Size:     8.091MB" || lines[3] != "Image Layers" {
		t.Errorf("image tree head: %q", lines[:4])
	}
	if !strings.HasPrefix(lines[1], "Tags:     [") || !strings.Contains(lines[1], "docker.io/library/alpine:latest") ||
		!strings.Contains(lines[1], "localhost/foo:latest") {
		t.Errorf("image tree tags: %q", lines[1])
	}
	layerRe := regexp.MustCompile(`^└── ID: [0-9a-f]{12} Size:  8\.09MB Top Layer of: \[(.*)\]$`)
	m := layerRe.FindStringSubmatch(lines[4])
	if m == nil {
		t.Fatalf("image tree layer line %q does not match %s", lines[4], layerRe)
	}
	for _, n := range []string{"docker.io/library/alpine:latest", "localhost/foo:latest", "docker.io/library/alpine:3.20.3-stopsignal"} {
		if !strings.Contains(m[1], n) {
			t.Errorf("the shared layer is not listed as top layer of %s: %q", n, lines[4])
		}
	}

	name := e.CtrName(t, "treeuser")
	e.MustPod(t, "create", "--name", name, "alpine", "true")
	lines = e.MustPod(t, "image", "tree", "--whatrequires", "alpine").Lines()
	if len(lines) != 6 || !strings.HasPrefix(lines[4], "├── ID: ") ||
		!regexp.MustCompile(`^└── ID: [0-9a-f]{12} Size: +\S+$`).MatchString(lines[5]) {
		t.Errorf("image tree --whatrequires with a container: %q", lines)
	}
	r := e.Pod(t, "image", "tree", "nosuch")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nosuch: image not known")
}
