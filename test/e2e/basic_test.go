package e2e

import (
	"regexp"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "version")
	for _, re := range []string{`(?m)^Version:\s+\S+`, `(?m)^Go Version:\s+go1\.\d+`, `(?m)^OS/Arch:\s+linux/amd64`} {
		if !regexp.MustCompile(re).MatchString(r.Stdout) {
			t.Errorf("version output does not match %s:\n%s", re, r.Stdout)
		}
	}
	if r.Stderr != "" {
		t.Errorf("version wrote to stderr: %q", r.Stderr)
	}
	m := regexp.MustCompile(`(?m)^Version:\s+(\S+)`).FindStringSubmatch(r.Stdout)
	r = e.MustPod(t, "version", "--format", "{{.Client.Version}}")
	if m == nil || r.Out() != m[1] {
		t.Errorf("version --format {{.Client.Version}} = %q, want the Version: field %q", r.Out(), m)
	}
}

func TestHelp(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "--help")
	if !strings.Contains(r.Stdout, "Available Commands:") {
		t.Errorf("--help has no \"Available Commands:\" section:\n%s", r.Stdout)
	}
	for _, verb := range []string{"create", "images", "info", "inspect", "kill", "logs", "ps", "pull",
		"rm", "rmi", "run", "start", "stop", "unshare", "version", "wait"} {
		if !regexp.MustCompile(`(?m)^\s+` + verb + `\s`).MatchString(r.Stdout) {
			t.Errorf("--help does not list %q", verb)
		}
	}
	r = e.MustPod(t, "run", "--help")
	for _, flag := range []string{"--rm", "--detach", "--env", "--name", "--pull", "--network", "--entrypoint"} {
		if !strings.Contains(r.Stdout, flag) {
			t.Errorf("run --help does not mention %s", flag)
		}
	}
}

func TestUnknownFlagAndCommand(t *testing.T) {
	e := sharedEnv(t)
	r := e.Pod(t, "--no-such-flag")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "unknown flag", "--no-such-flag")
	if r.Stdout != "" {
		t.Errorf("stdout should be empty, got %q", r.Stdout)
	}

	r = e.Pod(t, "ps", "--no-such-flag")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "unknown flag", "--no-such-flag")

	r = e.Pod(t, "no-such-verb")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-verb")
}
