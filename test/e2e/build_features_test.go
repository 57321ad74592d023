package e2e

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// imageLayers is the number of layers of an image.
func imageLayers(t *testing.T, e *Env, img string) int {
	t.Helper()
	out := e.MustPod(t, "inspect", "--format", "{{len .RootFS.Layers}}", img).Out()
	var n int
	if _, err := fmt.Sscan(out, &n); err != nil {
		t.Fatalf("inspect %s: %q", img, out)
	}
	return n
}

// RUN --mount=type=cache keeps a directory between builds; type=bind
// shows the context (read-only) without copying it into the image.
func TestBuildRunMounts(t *testing.T) {
	e := sharedEnv(t)
	ctx := buildContext(t, e, "mounts", map[string]string{
		"Containerfile": "FROM alpine\nARG N\n" +
			"RUN --mount=type=cache,target=/cache echo run$N >> /cache/log && cat /cache/log > /seen\n" +
			"RUN --mount=type=bind,source=src,target=/src cat /src/in.txt > /copied && ! touch /src/new 2>/dev/null && test ! -e /src/../Containerfile\n" +
			"RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && test ! -e /in.txt\n",
		"src/in.txt": "from the context\n",
	})
	e.MustPod(t, "build", "-q", "--build-arg", "N=1", "-t", "mounts", ctx)
	e.MustPod(t, "build", "-q", "--build-arg", "N=2", "-t", "mounts", ctx)
	if out := e.MustPod(t, "run", "--rm", "mounts", "cat", "/seen", "/copied").Out(); out != "run1\nrun2\nfrom the context" {
		t.Errorf("the cache mount and the bind mount gave %q", out)
	}
	if out := e.MustPod(t, "run", "--rm", "mounts", "sh", "-c", "ls -A /cache /src /scratch 2>/dev/null | grep -v :; true").Out(); out != "" {
		t.Errorf("mount contents stayed in the image: %q", out)
	}
	// A changed bind source reruns the step that reads it.
	e.WriteFile(t, "build/mounts/src/in.txt", "changed\n")
	r := e.MustPod(t, "build", "--build-arg", "N=2", "-t", "mounts", ctx)
	steps := strings.Split(r.Stdout, "STEP ")
	if len(steps) < 5 || !strings.Contains(steps[3], "Using cache") || strings.Contains(steps[4], "Using cache") {
		t.Errorf("after changing the bind source:\n%s", r.Stdout)
	}
	if out := e.MustPod(t, "run", "--rm", "mounts", "cat", "/copied").Out(); out != "changed" {
		t.Errorf("bind mount after the change: %q", out)
	}
	bad := buildContext(t, e, "mounts-bad", map[string]string{"Containerfile": "FROM alpine\nRUN --mount=type=secret,id=x true\n"})
	if r := e.Pod(t, "build", bad); r.ExitCode != 125 || !strings.Contains(r.Stderr, "type=secret") {
		t.Errorf("an unsupported mount type: %s", r.describe())
	}
}

// --squash folds the build's layers into one on top of the base;
// --squash-all makes one layer; --layers=false keeps no step images.
func TestBuildSquashAndLayers(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	ctx := buildContext(t, e, "squash", map[string]string{
		"Containerfile": "FROM alpine\nRUN echo a > /a\nRUN echo b > /b && rm /a\nCOPY f /f\nENV X=1\n",
		"f":             "file\n",
	})
	e.MustPod(t, "pull", "-q", "alpine")
	base := imageLayers(t, e, "alpine")
	e.MustPod(t, "build", "-q", "-t", "plain", ctx)
	if n := imageLayers(t, e, "plain"); n != base+3 {
		t.Errorf("plain build has %d layers, want %d", n, base+3)
	}
	e.MustPod(t, "build", "-q", "--squash", "-t", "squashed", ctx)
	if n := imageLayers(t, e, "squashed"); n != base+1 {
		t.Errorf("--squash made %d layers, want %d", n, base+1)
	}
	e.MustPod(t, "build", "-q", "--squash-all", "-t", "squashall", ctx)
	if n := imageLayers(t, e, "squashall"); n != 1 {
		t.Errorf("--squash-all made %d layers, want 1", n)
	}
	for _, img := range []string{"squashed", "squashall"} {
		if out := e.MustPod(t, "run", "--rm", img, "sh", "-c", "cat /b /f; test -e /a && echo a; echo $X").Out(); out != "b\nfile\n1" {
			t.Errorf("%s holds %q", img, out)
		}
	}
	if r := e.Pod(t, "build", "--squash", "--squash-all", ctx); r.ExitCode != 125 {
		t.Errorf("--squash with --squash-all: %s", r.describe())
	}

	before := e.MustPod(t, "images", "-a", "-q", "--no-trunc").Lines()
	ctx2 := buildContext(t, e, "nolayers", map[string]string{"Containerfile": "FROM alpine\nRUN echo x > /x\nRUN echo y > /y\nLABEL k=v\n"})
	r := e.MustPod(t, "build", "--layers=false", "-t", "nolayers", ctx2)
	if strings.Contains(r.Stdout, "Using cache") {
		t.Errorf("--layers=false used the cache:\n%s", r.Stdout)
	}
	after := e.MustPod(t, "images", "-a", "-q", "--no-trunc").Lines()
	if len(after) != len(before)+1 {
		t.Errorf("--layers=false left %d images, want only the final one: %q", len(after)-len(before), after)
	}
	r = e.MustPod(t, "build", "--layers=false", "-t", "nolayers", ctx2)
	if strings.Contains(r.Stdout, "Using cache") {
		t.Errorf("a second --layers=false build used the cache:\n%s", r.Stdout)
	}
}

// Heredocs: a lone heredoc is the script; several are handed to the
// shell as here-documents of the command line.
func TestBuildHeredoc(t *testing.T) {
	e := sharedEnv(t)
	ctx := buildContext(t, e, "heredoc", map[string]string{
		"Containerfile": "FROM alpine\nRUN <<EOF\necho one > /one\necho two >> /one\nEOF\n" +
			"RUN <<A cat > /a && <<B cat > /b\nfirst\nA\nsecond\nB\n" +
			"RUN <<-EOF sh\n\techo tabbed > /t\nEOF\n",
	})
	e.MustPod(t, "build", "-q", "-t", "heredoc", ctx)
	if out := e.MustPod(t, "run", "--rm", "heredoc", "cat", "/one", "/a", "/b", "/t").Out(); out != "one\ntwo\nfirst\nsecond\ntabbed" {
		t.Errorf("heredoc RUNs made %q", out)
	}
}

// FROM --platform picks that platform's image; RUN --network and
// build --network choose the RUN containers' network.
func TestBuildPlatformAndNetwork(t *testing.T) {
	e := sharedEnv(t)
	ctx := buildContext(t, e, "platform", map[string]string{
		"Containerfile": "FROM --platform=$BUILDPLATFORM alpine\nARG TARGETARCH\nRUN echo $TARGETARCH > /arch\n" +
			"RUN --network=none sh -c 'ip -o link | grep -v \" lo:\" | wc -l' > /links\n",
	})
	e.MustPod(t, "build", "-q", "-t", "platform", ctx)
	if out := e.MustPod(t, "run", "--rm", "platform", "cat", "/arch", "/links").Out(); out != "amd64\n0" {
		t.Errorf("the image holds %q, want amd64 and no interface but lo", out)
	}
	other := buildContext(t, e, "platform-bad", map[string]string{"Containerfile": "FROM --platform=linux/amd64/v1/x alpine\nRUN true\n"})
	if r := e.Pod(t, "build", other); r.ExitCode != 125 || !strings.Contains(r.Stderr, "linux/amd64/v1/x") {
		t.Errorf("FROM --platform=linux/amd64/v1/x: %s", r.describe())
	}
	netctx := buildContext(t, e, "network", map[string]string{"Containerfile": "FROM alpine\nRUN ip -o link | grep -v ' lo:' | wc -l > /links\n"})
	e.MustPod(t, "build", "-q", "--network", "none", "-t", "nonet", netctx)
	if out := e.MustPod(t, "run", "--rm", "nonet", "cat", "/links").Out(); out != "0" {
		t.Errorf("build --network none: the RUN saw %s interfaces besides lo", out)
	}
}

// ADD of a URL is downloaded by pod on the host (not extracted, mode
// 0600, the server's modification time).
func TestBuildAddURL(t *testing.T) {
	e := sharedEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/files/data.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Last-Modified", mtime.Format(http.TimeFormat))
		fmt.Fprint(w, "downloaded\n")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	ctx := buildContext(t, e, "addurl", map[string]string{
		"Containerfile": "FROM alpine\nADD " + base + "/files/data.txt /d/\nADD " + base + "/files/data.txt /named\n",
	})
	e.MustPod(t, "build", "-q", "-t", "addurl", ctx)
	out := e.MustPod(t, "run", "--rm", "addurl", "sh", "-c", "cat /d/data.txt /named; stat -c '%a %Y' /named").Out()
	if want := fmt.Sprintf("downloaded\ndownloaded\n600 %d", mtime.Unix()); out != want {
		t.Errorf("ADD URL made %q, want %q", out, want)
	}
	missing := buildContext(t, e, "addurl-missing", map[string]string{"Containerfile": "FROM alpine\nADD " + base + "/nope /x\n"})
	if r := e.Pod(t, "build", missing); r.ExitCode != 125 || !strings.Contains(r.Stderr, "404") {
		t.Errorf("ADD of a missing URL: %s", r.describe())
	}
}

// ONBUILD triggers recorded with --format docker run in a child build;
// with the default OCI format they are dropped with a warning.
func TestBuildOnbuild(t *testing.T) {
	e := sharedEnv(t)
	parent := buildContext(t, e, "onbuild-parent", map[string]string{
		"Containerfile": "FROM alpine\nONBUILD RUN echo triggered > /trigger\nONBUILD COPY child.txt /child.txt\n",
	})
	e.MustPod(t, "build", "-q", "--format", "docker", "-t", "onbuild-parent", parent)
	child := buildContext(t, e, "onbuild-child", map[string]string{"Containerfile": "FROM onbuild-parent\nRUN cat /trigger\n", "child.txt": "child\n"})
	e.MustPod(t, "build", "-q", "-t", "onbuild-child", child)
	if out := e.MustPod(t, "run", "--rm", "onbuild-child", "cat", "/trigger", "/child.txt").Out(); out != "triggered\nchild" {
		t.Errorf("ONBUILD triggers made %q", out)
	}
	// Triggers run once: the child's own children do not run them.
	grand := buildContext(t, e, "onbuild-grand", map[string]string{"Containerfile": "FROM onbuild-child\nRUN test ! -e /child.txt || rm /child.txt\n"})
	r := e.MustPod(t, "build", "-t", "onbuild-grand", grand)
	if strings.Contains(r.Stderr, "child.txt") {
		t.Errorf("the grandchild ran the triggers again: %s", r.describe())
	}
	r = e.MustPod(t, "build", "-t", "onbuild-oci", parent)
	if !strings.Contains(r.Stderr, "ONBUILD is not supported for the OCI image format") {
		t.Errorf("no warning for ONBUILD with the OCI format: %s", r.Stderr)
	}
	ociChild := buildContext(t, e, "onbuild-oci-child", map[string]string{"Containerfile": "FROM onbuild-oci\nRUN test ! -e /trigger\n"})
	e.MustPod(t, "build", "-q", ociChild)
}

// -q prints only the id on stdout; the RUN's output goes to stderr.
func TestBuildQuietStreams(t *testing.T) {
	e := sharedEnv(t)
	ctx := buildContext(t, e, "quiet", map[string]string{"Containerfile": "FROM alpine\nRUN echo to-out; echo to-err >&2\n"})
	r := e.MustPod(t, "build", "-q", "--no-cache", ctx)
	if !fullIDRe.MatchString(r.Out()) {
		t.Errorf("build -q stdout %q, want only the id", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "to-out") || !strings.Contains(r.Stderr, "to-err") || strings.Contains(r.Stderr, "STEP") {
		t.Errorf("build -q stderr %q, want the RUN's output and no step lines", r.Stderr)
	}
}
