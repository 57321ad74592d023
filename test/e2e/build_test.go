package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildContext writes files (relative path → content) into a new context
// directory owned by the environment's user and returns it.
func buildContext(t *testing.T, e *Env, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join("build", name)
	for rel, content := range files {
		e.WriteFile(t, filepath.Join(dir, rel), content)
	}
	return e.hostDir(t, dir)
}

// historyLines is `history` as "CREATED BY|SIZE" lines, newest first.
func historyLines(t *testing.T, e *Env, img string) []string {
	t.Helper()
	return e.MustPod(t, "history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", img).Lines()
}

// TestBuildBasic builds RUN, COPY, ENV and CMD and runs the result: the
// output has podman's step lines, the id is last, history has one layer per
// RUN/COPY and empty layers for the metadata instructions.
func TestBuildBasic(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "basic", map[string]string{
		"Containerfile": "FROM alpine\nENV GREETING=hello\nCOPY msg.txt /data/\nRUN echo built > /built.txt\nWORKDIR /data\nCMD [\"sh\", \"-c\", \"echo $GREETING; cat msg.txt /built.txt; pwd\"]\n",
		"msg.txt":       "from the context\n",
	})
	r := e.MustPod(t, "build", "-t", "basic", "-t", "basic:v2", ctx)
	for _, want := range []string{"STEP 1/6: FROM alpine\n", "STEP 2/6: ENV GREETING=hello\n", "STEP 4/6: RUN echo built > /built.txt\n",
		"STEP 6/6: CMD", "\nCOMMIT basic basic:v2\n", "Successfully tagged localhost/basic:latest\n", "Successfully tagged localhost/basic:v2\n"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("build output lacks %q:\n%s", want, r.Stdout)
		}
	}
	lines := r.Lines()
	id := lines[len(lines)-1]
	if !fullIDRe.MatchString(id) {
		t.Fatalf("last line %q is not the image id", id)
	}
	if got := e.MustPod(t, "images", "--no-trunc", "--format", "{{.ID}}", "basic:v2").Out(); !strings.HasSuffix(got, id) {
		t.Errorf("basic:v2 is %q, want %s", got, id)
	}
	out := e.MustPod(t, "run", "--rm", "basic").Stdout
	if out != "hello\nfrom the context\nbuilt\n/data\n" {
		t.Errorf("run of the built image printed %q", out)
	}
	hist := historyLines(t, e, "basic")
	if len(hist) != 6 {
		t.Fatalf("history has %d entries, want 6 (alpine's and five steps): %q", len(hist), hist)
	}
	for i, want := range []struct {
		prefix string
		empty  bool
	}{{"/bin/sh -c #(nop) CMD", true}, {"/bin/sh -c #(nop) WORKDIR /data", true}, {"/bin/sh -c echo built > /built.txt", false},
		{"/bin/sh -c #(nop) COPY file:", false}, {"/bin/sh -c #(nop) ENV GREETING=hello", true}} {
		by, size, _ := strings.Cut(hist[i], "|")
		if !strings.HasPrefix(by, want.prefix) || (size == "0 B") != want.empty {
			t.Errorf("history entry %d is %q, want %q with empty layer %v", i, hist[i], want.prefix, want.empty)
		}
	}
	if ids := e.MustPod(t, "ps", "-a", "-q").Out(); ids != "" {
		t.Errorf("build left containers: %q", ids)
	}
}

// TestBuildMultiStage copies from an earlier stage; a stage the target
// does not need is never built (its base does not even exist).
func TestBuildMultiStage(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "multi", map[string]string{
		"Containerfile": "ARG BASE=alpine\nFROM $BASE AS builder\nRUN mkdir /out && echo artifact > /out/a.txt\n" +
			"FROM localhost/does-not-exist AS unused\nRUN false\n" +
			"FROM alpine\nCOPY --from=builder /out /app\nCMD [\"cat\", \"/app/a.txt\"]\n",
	})
	r := e.MustPod(t, "build", "-t", "multi", ctx)
	if strings.Contains(r.Stdout, "does-not-exist") {
		t.Errorf("the unused stage was built:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stdout, "STEP 1/5: FROM $BASE AS builder") {
		t.Errorf("output lacks the first stage's step:\n%s", r.Stdout)
	}
	if out := e.MustPod(t, "run", "--rm", "multi").Out(); out != "artifact" {
		t.Errorf("run printed %q, want the artifact copied from the builder stage", out)
	}
	if got := len(historyLines(t, e, "multi")); got != 3 {
		t.Errorf("final image history has %d entries, want 3 (nothing of the builder stage)", got)
	}
	r = e.MustPod(t, "build", "-q", "--target", "builder", "-t", "stage1", ctx)
	if !fullIDRe.MatchString(r.Out()) {
		t.Errorf("build -q printed %q, want only the id", r.Stdout)
	}
	if out := e.MustPod(t, "run", "--rm", "stage1", "cat", "/out/a.txt").Out(); out != "artifact" {
		t.Errorf("--target builder: %q", out)
	}
}

// TestBuildIgnoreFile excludes what .containerignore lists, keeping its
// "!" exceptions.
func TestBuildIgnoreFile(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "ignore", map[string]string{
		"Containerfile":    "FROM alpine\nCOPY . /ctx/\nCMD [\"sh\", \"-c\", \"cd /ctx && find . -type f | sort\"]\n",
		".containerignore": "*.log\n!keep.log\nsecret/\n",
		"a.txt":            "a",
		"debug.log":        "no",
		"keep.log":         "yes",
		"secret/key":       "no",
		"sub/b.txt":        "b",
	})
	e.MustPod(t, "build", "-q", "-t", "ignored", ctx)
	got := e.MustPod(t, "run", "--rm", "ignored").Lines()
	want := []string{"./.containerignore", "./Containerfile", "./a.txt", "./keep.log", "./sub/b.txt"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("copied %q, want %q", got, want)
	}
}

// TestBuildStdin reads the Containerfile from stdin with -f -, and writes
// the id to --iidfile.
func TestBuildStdin(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := e.hostDir(t, "build/stdin")
	iid := filepath.Join(ctx, "iid")
	r := e.PodOpt(t, RunOpts{Stdin: "FROM alpine\nLABEL from=stdin\nRUN echo hi > /hi\n"}, "build", "-q", "--iidfile", iid, "-f", "-", "-t", "fromstdin", ctx)
	if r.ExitCode != 0 {
		t.Fatal(r.describe())
	}
	id := r.Out()
	if !fullIDRe.MatchString(id) {
		t.Fatalf("build -q printed %q, want only the id", r.Stdout)
	}
	if got := e.MustPod(t, "image", "inspect", "--format", "{{.Labels.from}}", "fromstdin").Out(); got != "stdin" {
		t.Errorf("label from stdin's Containerfile: %q", got)
	}
	if got := e.MustPod(t, "run", "--rm", "fromstdin", "cat", "/hi").Out(); got != "hi" {
		t.Errorf("RUN of the stdin Containerfile: %q", got)
	}
	if data, err := os.ReadFile(iid); err != nil || string(data) != "sha256:"+id {
		t.Errorf("--iidfile holds %q, want sha256:%s", data, id)
	}
}

// TestBuildFailingRun reports the failing step and its exit code, and
// leaves no container behind.
func TestBuildFailingRun(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "fail", map[string]string{
		"Containerfile": "FROM alpine\nRUN echo before\nRUN echo failing && exit 3\nRUN echo never\n",
	})
	r := e.Pod(t, "build", "-t", "failing", ctx)
	if r.ExitCode != 3 {
		t.Fatalf("want exit 3 (the RUN's code):\n%s", r.describe())
	}
	if !strings.Contains(r.Stderr, `building at STEP "RUN echo failing && exit 3"`) || !strings.Contains(r.Stderr, "exit status 3") {
		t.Errorf("error does not name the step and code: %q", r.Stderr)
	}
	if !strings.Contains(r.Stdout, "failing\n") || strings.Contains(r.Stdout, "never") {
		t.Errorf("output: %q", r.Stdout)
	}
	if ids := e.MustPod(t, "ps", "-a", "-q").Out(); ids != "" {
		t.Errorf("failed build left containers: %q", ids)
	}
	if e.Pod(t, "image", "exists", "failing").ExitCode == 0 {
		t.Errorf("a failed build tagged its image")
	}
	// The steps before the failure are cached.
	r = e.Pod(t, "build", "-t", "failing", ctx)
	if r.ExitCode != 3 || !strings.Contains(r.Stdout, "--> Using cache") {
		t.Errorf("second failing build did not reuse the first step:\n%s", r.describe())
	}
}

// TestBuildBadContainerfile refuses an unknown instruction with its line.
func TestBuildBadContainerfile(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "bad", map[string]string{
		"Containerfile": "FROM alpine\nFOO bar\n",
		"Dockerfile2":   "FROM alpine\nCOPY missing.txt /\n",
	})
	r := e.Pod(t, "build", ctx)
	if r.ExitCode != 125 || !strings.Contains(r.Stderr, "line 2") || !strings.Contains(r.Stderr, "unknown instruction: FOO") {
		t.Errorf("unknown instruction:\n%s", r.describe())
	}
	if n := strings.Count(strings.TrimSpace(r.Stderr), "\n"); n != 0 {
		t.Errorf("error of %d lines: %q", n+1, r.Stderr)
	}
	r = e.Pod(t, "build", "-f", filepath.Join(ctx, "Dockerfile2"), ctx)
	if r.ExitCode != 125 || !strings.Contains(r.Stderr, "missing.txt") {
		t.Errorf("missing COPY source:\n%s", r.describe())
	}
	if ids := e.MustPod(t, "ps", "-a", "-q").Out(); ids != "" {
		t.Errorf("failed build left containers: %q", ids)
	}
}
