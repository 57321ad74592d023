package e2e

import (
	"strings"
	"testing"
)

// TestBuildCache rebuilds unchanged: every step comes from the cache and
// the id is the same. Changing one COPY source rebuilds from that step
// only; --no-cache rebuilds everything.
func TestBuildCache(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "cache", map[string]string{
		"Containerfile": "FROM alpine\nARG V=1\nRUN echo v$V > /v.txt\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy.txt\nCMD [\"cat\", \"/v.txt\", \"/copy.txt\"]\n",
		"a.txt":         "one\n",
	})
	first := e.MustPod(t, "build", "-t", "cached", ctx)
	if strings.Contains(first.Stdout, "Using cache") {
		t.Fatalf("first build used a cache:\n%s", first.Stdout)
	}
	id1 := first.Lines()[len(first.Lines())-1]

	second := e.MustPod(t, "build", "-t", "cached", ctx)
	if n := strings.Count(second.Stdout, "--> Using cache "); n != 4 {
		t.Errorf("second build used the cache %d times, want 4:\n%s", n, second.Stdout)
	}
	if id2 := second.Lines()[len(second.Lines())-1]; id2 != id1 {
		t.Errorf("unchanged rebuild made %s, want %s", id2, id1)
	}

	e.WriteFile(t, "build/cache/a.txt", "two\n")
	third := e.MustPod(t, "build", "-t", "cached", ctx)
	steps := strings.Split(third.Stdout, "STEP ")
	if len(steps) != 7 {
		t.Fatalf("third build output has %d steps:\n%s", len(steps)-1, third.Stdout)
	}
	for i, wantCache := range []bool{false, false, true, false, false, false} {
		if got := strings.Contains(steps[i+1], "Using cache"); got != wantCache {
			t.Errorf("step %d: cache used %v, want %v:\n%s", i+1, got, wantCache, third.Stdout)
		}
	}
	if out := e.MustPod(t, "run", "--rm", "cached").Stdout; out != "v1\ntwo\n" {
		t.Errorf("after changing a.txt the image prints %q", out)
	}

	// A different build argument is a different step.
	r := e.MustPod(t, "build", "--build-arg", "V=2", "-t", "cached", ctx)
	if strings.Contains(strings.Split(r.Stdout, "STEP 4/")[0], "Using cache") {
		t.Errorf("--build-arg V=2 reused the RUN that used V:\n%s", r.Stdout)
	}
	if out := e.MustPod(t, "run", "--rm", "cached").Stdout; out != "v2\ntwo\n" {
		t.Errorf("with V=2 the image prints %q", out)
	}

	r = e.MustPod(t, "build", "--no-cache", "-t", "cached", ctx)
	if strings.Contains(r.Stdout, "Using cache") {
		t.Errorf("--no-cache used the cache:\n%s", r.Stdout)
	}
}
