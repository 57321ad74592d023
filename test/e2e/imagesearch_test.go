package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestImageSearch searches the local registry's catalog and lists the tags
// of library/alpine. Other tests may push repositories: only ours are
// asserted.
func TestImageSearch(t *testing.T) {
	e := sharedEnv(t)
	reg := cfg.registry
	alpine := reg + "/library/alpine"

	r := e.MustPod(t, "search", reg+"/alp", "--tls-verify=false")
	lines := r.Lines()
	if len(lines) < 2 || !regexp.MustCompile(`^NAME\s+DESCRIPTION$`).MatchString(lines[0]) {
		t.Fatalf("search: %q", lines)
	}
	if !contains(lines, alpine) && !hasLinePrefix(lines, alpine+" ") {
		t.Errorf("search %s/alp does not find %s: %q", reg, alpine, lines)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(strings.TrimPrefix(strings.Fields(l)[0], reg+"/"), "alp") {
			t.Errorf("search %s/alp lists %q", reg, l)
		}
	}

	r = e.MustPod(t, "search", reg+"/alpine", "--format", "{{.Index}}|{{.Name}}|{{.Stars}}|{{.Official}}|{{.Tag}}")
	if !contains(r.Lines(), reg+"|"+alpine+"|0||") {
		t.Errorf("search --format: %q", r.Lines())
	}
	r = e.MustPod(t, "search", reg+"/alpine", "--format", "json")
	var found []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &found); err != nil || len(found) == 0 || found[0]["Index"] != reg {
		t.Errorf("search --format json: %v\n%s", err, r.Stdout)
	}
	expectStdout(t, e.MustPod(t, "search", reg+"/no-such-repository-e2e"), "")
	if got := e.MustPod(t, "search", "--limit", "1", reg+"/").Lines(); len(got) != 2 {
		t.Errorf("search --limit 1: %q", got)
	}
	r = e.MustPod(t, "search", "--filter", "stars=1", reg+"/alpine")
	expectStdout(t, r, "") // a v2 catalog has no stars
	r = e.MustPod(t, "search", "--filter", "is-official=false", reg+"/alpine")
	if !hasLinePrefix(r.Lines(), alpine) {
		t.Errorf("search --filter is-official=false: %q", r.Lines())
	}

	r = e.MustPod(t, "search", "--list-tags", alpine, "--tls-verify=false")
	lines = r.Lines()
	if len(lines) < 4 || !regexp.MustCompile(`^NAME\s+TAG$`).MatchString(lines[0]) {
		t.Fatalf("search --list-tags: %q", lines)
	}
	var tags []string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 2 || f[0] != alpine {
			t.Errorf("search --list-tags line %q", l)
			continue
		}
		tags = append(tags, f[1])
	}
	for _, want := range []string{"3.19.4", "3.20.3", "latest"} {
		if !contains(tags, want) {
			t.Errorf("search --list-tags lacks %s: %q", want, tags)
		}
	}
	if got := e.MustPod(t, "search", "--list-tags", "--limit", "2", alpine).Lines(); len(got) != 3 {
		t.Errorf("search --list-tags --limit 2: %q", got)
	}
	r = e.MustPod(t, "search", "--list-tags", "--format", "json", alpine)
	var tagDocs []struct {
		Name string
		Tags []string
	}
	if err := json.Unmarshal([]byte(r.Stdout), &tagDocs); err != nil || len(tagDocs) != 1 || tagDocs[0].Name != alpine ||
		len(tagDocs[0].Tags) != len(tags) {
		t.Errorf("search --list-tags --format json: %v\n%s", err, r.Stdout)
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"search", "--filter", "bogus=1", reg + "/alpine"}, "bogus"},
		{[]string{"search", "--filter", "stars=x", reg + "/alpine"}, "stars"},
		{[]string{"search", "--list-tags", "--filter", "stars=1", alpine}, "filter"},
		{[]string{"search", "--list-tags", reg + "/no-such-repository-e2e"}, "no-such-repository-e2e"},
		{[]string{"search"}, "accepts 1 arg(s), received 0"},
	} {
		r := e.Pod(t, tc.args...)
		expectExit(t, r, 125)
		if cfg.podman && strings.Contains(tc.msg, "no-such") {
			tc.msg = "" // podman 4.3 reports "1 error occurred:" on one line, the cause on the next
		}
		expectErrorLine(t, r, tc.msg)
	}
}

// hasLinePrefix reports whether a line of lines starts with p.
func hasLinePrefix(lines []string, p string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}
