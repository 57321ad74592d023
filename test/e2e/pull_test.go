package e2e

import (
	"strings"
	"testing"
)

// TestPull pulls into an empty store: by short name, by digest and by tag.
func TestPull(t *testing.T) {
	e := NewEnv(t, EnvOptions{})

	r := e.MustPod(t, "pull", "alpine")
	if !hex64Re.MatchString(strings.TrimSuffix(r.Stdout, "\n")) || strings.Count(r.Stdout, "\n") != 1 {
		t.Errorf("pull stdout must be the image id alone, got %q", r.Stdout)
	}
	id := r.Out()
	for _, want := range []string{"Copying blob", "Writing manifest"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("pull (stderr not a TTY) should report %q on stderr: %s", want, r.describe())
		}
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Id}}", "alpine").Out(); got != id {
		t.Errorf("inspect alpine: id %q, pull printed %q", got, id)
	}
	if !contains(e.MustPod(t, "images", "-q", "--no-trunc").Lines(), "sha256:"+id) {
		t.Errorf("images -q --no-trunc does not list sha256:%s", id)
	}
	if got, want := e.MustPod(t, "inspect", "--format", "{{.Digest}}", "alpine").Out(), registryDigest(t, "latest"); got != want {
		t.Errorf("inspect --format {{.Digest}} alpine = %q, registry serves %q", got, want)
	}

	// By digest (as in the registry), then the same image by tag.
	digest := registryDigest(t, "3.19.4")
	r = e.MustPod(t, "pull", "-q", "alpine@"+digest)
	if r.Stderr != "" {
		t.Errorf("pull -q wrote to stderr: %q", r.Stderr)
	}
	byDigest := r.Out()
	if !hex64Re.MatchString(byDigest) || byDigest == id {
		t.Errorf("pull by digest printed %q (alpine:latest is %s)", byDigest, id)
	}
	r = e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	if r.Out() != byDigest {
		t.Errorf("pull alpine:3.19.4 printed %q, pull by digest printed %q", r.Out(), byDigest)
	}
	if r.Stderr != "" {
		t.Errorf("pull -q wrote to stderr: %q", r.Stderr)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Digest}}", "alpine:3.19.4").Out(); got != digest {
		t.Errorf("inspect --format {{.Digest}} alpine:3.19.4 = %q, want %q", got, digest)
	}

	// The content is what was pulled.
	for ref, release := range map[string]string{"alpine": "3.20.3", "alpine:3.19.4": "3.19.4", "alpine@" + digest: "3.19.4"} {
		r = e.MustPod(t, "run", "--rm", ref, "cat", "/etc/alpine-release")
		if r.Out() != release {
			t.Errorf("%s: /etc/alpine-release = %q, want %q", ref, r.Out(), release)
		}
	}
}

func TestPullErrors(t *testing.T) {
	e := sharedEnv(t)

	r := e.Pod(t, "pull", "alpine:no-such-tag")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-tag")

	r = e.Pod(t, "pull", "-q", "Alpine!!")
	expectExit(t, r, 125)
	expectErrorLine(t, r)

	r = e.Pod(t, "pull", "-q", cfg.registry+"/library/no-such-image-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-image-e2e")

	r = e.Pod(t, "pull", "-q", cfg.registry+"/library/alpine@sha256:"+strings.Repeat("0", 64))
	expectExit(t, r, 125)
	expectErrorLine(t, r)
	if r.Stdout != "" {
		t.Errorf("failed pull printed on stdout: %q", r.Stdout)
	}

	r = e.Pod(t, "pull")
	expectExit(t, r, 125)
	expectErrorLine(t, r)
}

// TestPullUnknownShortName resolves an unknown short name through the mirror and docker.io.
func TestPullUnknownShortName(t *testing.T) {
	e := sharedEnv(t)
	r := e.Pod(t, "pull", "-q", "no-such-image-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-image-e2e")
}

// TestPullRegistryDown points docker.io at a closed port.
func TestPullRegistryDown(t *testing.T) {
	e := NewEnv(t, EnvOptions{RegistriesConf: `unqualified-search-registries = ["docker.io"]

[[registry]]
prefix = "docker.io"
location = "127.0.0.1:1"
insecure = true
`})
	// Connection refused is retried (3 times by default, with warnings on
	// stderr): --retry 0 fails at once with the error line alone.
	var noRetry []string
	if !cfg.podman {
		noRetry = []string{"--retry", "0"}
	}
	r := e.Pod(t, append(append([]string{"pull", "-q"}, noRetry...), "alpine")...)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "127.0.0.1:1")
	if r.Stdout != "" {
		t.Errorf("failed pull printed on stdout: %q", r.Stdout)
	}
	r = e.Pod(t, append(append([]string{"run", "--rm"}, noRetry...), "alpine", "true")...)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "127.0.0.1:1")
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("a failed run left containers behind: %v", ids)
	}
}

func TestPullOptions(t *testing.T) {
	e := sharedEnv(t)
	authfile := e.WriteFile(t, "auth.json", `{"auths":{}}`)
	want := e.MustPod(t, "inspect", "--format", "{{.Id}}", "alpine").Out()
	for _, args := range [][]string{
		{"pull", "-q", "--tls-verify=false", "alpine"},
		{"pull", "-q", "--creds", "e2e:secret", "alpine"},
		{"pull", "-q", "--authfile", authfile, "alpine"},
	} {
		r := e.MustPod(t, args...)
		if r.Out() != want {
			t.Errorf("%v printed %q, want %q", args, r.Out(), want)
		}
	}
	// podman 4.3 has no --creds on run and create; pod has.
	var creds []string
	if !cfg.podman {
		creds = []string{"--creds", "e2e:secret"}
	}
	args := append([]string{"run", "--rm", "--tls-verify=false", "--authfile", authfile, "--pull=always"}, creds...)
	r := e.MustPod(t, append(args, "alpine", "echo", "ok")...)
	expectStdout(t, r, "ok\n")
	name := e.CtrName(t, "popt")
	args = append([]string{"create", "--tls-verify=false", "--authfile", authfile, "--pull=always", "--name", name}, creds...)
	r = e.MustPod(t, append(args, "alpine", "true")...)
	if !hex64Re.MatchString(r.Out()) {
		t.Errorf("create printed %q, want a container id", r.Out())
	}

	r = e.Pod(t, "pull", "-q", "--authfile", e.Home+"/no-such-auth.json", "alpine")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-auth.json")
}
