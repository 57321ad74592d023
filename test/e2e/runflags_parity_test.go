package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// The parity tests check run and create flags podman scripts use: -h is --hostname,
// --cidfile, --env-file, --env-host, --label-file, --rmi, and the flags pod parses but does
// not implement yet, which fail before anything is created.

func TestRunParityHostnameShort(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "-h", "myhost", "alpine", "hostname")
	expectStdout(t, r, "myhost\n")
	r = e.MustPod(t, "run", "--help")
	if !strings.Contains(r.Stdout, "-h, --hostname") || !strings.Contains(r.Stdout, "--cidfile") {
		t.Errorf("run --help: %q", r.Stdout)
	}
	r = e.MustPod(t, "create", "--help")
	if !strings.Contains(r.Stdout, "-h, --hostname") {
		t.Errorf("create --help: %q", r.Stdout)
	}
}

func TestRunParityCidfile(t *testing.T) {
	e := sharedEnv(t)
	cid := filepath.Join(e.Home, "cidfile-"+e.CtrName(t, "x"))
	name := e.CtrName(t, "cid")
	r := e.MustPod(t, "create", "--cidfile", cid, "--name", name, "alpine", "true")
	data := e.MustPod(t, "unshare", "cat", cid)
	if data.Stdout != r.Out() || len(r.Out()) != 64 {
		t.Errorf("--cidfile holds %q, create printed %q", data.Stdout, r.Out())
	}
	name2 := e.CtrName(t, "cid")
	r = e.Pod(t, "create", "--cidfile", cid, "--name", name2, "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, cid, "exists")
	if r := e.Pod(t, "container", "exists", name2); r.ExitCode != 1 {
		t.Errorf("a container was created despite the existing --cidfile")
	}
	cid2 := filepath.Join(e.Home, "cidfile-run-"+name)
	name3 := e.CtrName(t, "cid")
	e.MustPod(t, "run", "--rm", "--cidfile", cid2, "--name", name3, "alpine", "true")
	if r := e.MustPod(t, "unshare", "cat", cid2); len(r.Out()) != 64 {
		t.Errorf("run --cidfile holds %q", r.Out())
	}
}

func TestRunParityEnvAndLabelFiles(t *testing.T) {
	e := sharedEnv(t)
	envFile := e.WriteFile(t, "parity.env", "# comment\nPARITY_A=1\nPARITY_B=two words\n")
	r := e.MustPod(t, "run", "--rm", "--env-file", envFile, "-e", "PARITY_A=3", "alpine", "sh", "-c", `echo "$PARITY_A|$PARITY_B"`)
	expectStdout(t, r, "3|two words\n")

	r = e.PodOpt(t, RunOpts{Env: []string{"PARITY_HOST=42"}}, "run", "--rm", "--env-host", "alpine", "printenv", "PARITY_HOST")
	expectStdout(t, r, "42\n")
	r = e.PodOpt(t, RunOpts{Env: []string{"PARITY_HOST=42"}}, "run", "--rm", "alpine", "printenv", "PARITY_HOST")
	expectExit(t, r, 1)
	r = e.PodOpt(t, RunOpts{Env: []string{"http_proxy=http://proxy.example:3128"}}, "run", "--rm", "alpine", "printenv", "http_proxy")
	expectStdout(t, r, "http://proxy.example:3128\n")
	r = e.PodOpt(t, RunOpts{Env: []string{"http_proxy=http://proxy.example:3128"}}, "run", "--rm", "--http-proxy=false", "alpine", "printenv", "http_proxy")
	expectExit(t, r, 1)

	labelFile := e.WriteFile(t, "parity.labels", "# comment\nparity.a=1\n\nparity.b=2\n")
	name := e.CtrName(t, "labels")
	e.MustPod(t, "create", "--name", name, "--label-file", labelFile, "-l", "parity.b=3", "alpine", "true")
	r = e.MustPod(t, "inspect", "--format", `{{index .Config.Labels "parity.a"}} {{index .Config.Labels "parity.b"}}`, name)
	expectStdout(t, r, "1 3\n")
}

// TestRunParityPending checks that a flag pod does not implement yet fails with exit 125
// naming it, and creates nothing.
func TestRunParityPending(t *testing.T) {
	e := sharedEnv(t)
	before := len(e.containerIDs(t))
	for _, args := range [][]string{
		{"--pod", "p1"}, {"--ip6", "fd00::9"},
		{"--systemd", "always"}, {"--secret", "s"},
		{"--attach", "stdout"},
	} {
		for _, verb := range []string{"run", "create"} {
			r := e.Pod(t, append(append([]string{verb}, args...), "alpine", "true")...)
			expectExit(t, r, 125)
			expectErrorLine(t, r, "not supported yet: "+args[0])
		}
	}
	if after := len(e.containerIDs(t)); after != before {
		t.Errorf("refused flags created containers: %d → %d", before, after)
	}
	// Values that are what pod does are accepted.
	r := e.MustPod(t, "run", "--rm", "--systemd=false", "--pid", "private", "--uts", "private", "--ipc", "private",
		"--seccomp-policy", "default", "--disable-content-trust", "--passwd=false", "-a", "stdout", "-a", "stderr", "alpine", "echo", "ok")
	expectStdout(t, r, "ok\n")
}

// TestRunParityRmi removes the image after the run, and keeps one another container uses.
func TestRunParityRmi(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	r := e.MustPod(t, "run", "--rmi", "alpine:3.19.4", "echo", "ok")
	expectStdout(t, r, "ok\n")
	if r := e.Pod(t, "image", "exists", "alpine:3.19.4"); r.ExitCode != 1 {
		t.Errorf("--rmi left the image: %s", r.describe())
	}
	if r := e.MustPod(t, "ps", "-a", "-q"); r.Out() != "" {
		t.Errorf("--rmi did not imply --rm: %q", r.Out())
	}
	e.MustPod(t, "create", "--name", "keeper", "alpine:3.19.4", "true")
	e.MustPod(t, "run", "--rmi", "alpine:3.19.4", "true")
	e.MustPod(t, "image", "exists", "alpine:3.19.4")
}
