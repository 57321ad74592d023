package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// --restart is carried out by the monitor: on-failure:N restarts N times,
// always restarts until the user stops the container; restart stops and
// starts; a bad policy or --rm with a policy is refused.
func TestRestartPolicies(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "onfail")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	e.MustPod(t, "run", "-d", "--name", name, "--restart", "on-failure:2", "--network", "none", "alpine", "sh", "-c", "echo ran; exit 3")
	if !waitFor(30*time.Second, func() bool { return e.state(t, name) == "exited" }) {
		t.Fatalf("the on-failure:2 container never settled as exited")
	}
	got := e.MustPod(t, "inspect", "--format", "{{.RestartCount}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", name).Out()
	if got != "2 3 on-failure 2" {
		t.Errorf("inspect after on-failure:2: %q, want \"2 3 on-failure 2\"", got)
	}
	if n := strings.Count(e.MustPod(t, "logs", name).Stdout, "ran"); n != 3 {
		t.Errorf("the container ran %d times, want 3", n)
	}

	always := e.CtrName(t, "always")
	defer e.Pod(t, "rm", "-f", "-t", "0", always)
	e.MustPod(t, "run", "-d", "--name", always, "--restart", "always", "--network", "none", "alpine", "sh", "-c", "echo up; sleep 0.3")
	if !waitFor(30*time.Second, func() bool {
		n, _ := strconv.Atoi(e.MustPod(t, "inspect", "--format", "{{.RestartCount}}", always).Out())
		return n >= 2
	}) {
		t.Fatalf("the always container was not restarted twice")
	}
	if got := e.state(t, always); got != "running" {
		t.Errorf("an always container between runs is %q", got)
	}
	e.MustPod(t, "stop", "-t", "2", always)
	time.Sleep(time.Second)
	if got := e.state(t, always); got != "exited" {
		t.Errorf("after stop the always container is %q: the monitor restarted it", got)
	}
	// What a login script runs after a reboot: only the containers with the
	// policy start; start clears the user's stop, so the policy holds again.
	e.MustPod(t, "start", "--all", "--filter", "restart-policy=always", "--filter", "restart-policy=unless-stopped")
	if got := e.state(t, always); got != "running" {
		t.Errorf("after start --all --filter restart-policy=always: %q", got)
	}
	if got := e.state(t, name); got != "exited" {
		t.Errorf("start --all --filter restart-policy=always started the on-failure container: %q", got)
	}

	sleeper := e.CtrName(t, "restart")
	e.runSleeper(t, sleeper, "--network", "none")
	defer e.Pod(t, "rm", "-f", "-t", "0", sleeper)
	pid := e.MustPod(t, "inspect", "--format", "{{.State.Pid}}", sleeper).Out()
	expectStdout(t, e.MustPod(t, "restart", "-t", "2", sleeper), sleeper+"\n")
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.Pid}}", sleeper).Out(); got == "running "+pid || !strings.HasPrefix(got, "running ") {
		t.Errorf("after restart: %q (pid before %s)", got, pid)
	}

	r := e.Pod(t, "run", "--rm", "--restart", "always", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--rm")
	r = e.Pod(t, "create", "--restart", "sometimes", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "sometimes")
	r = e.Pod(t, "restart", "no-such-ctr")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-ctr")
}

// Health checks run in the monitor: starting, unhealthy after the retries,
// healthy after a success, shown by ps and inspect; healthcheck run;
// a hanging check is killed at its timeout and --health-on-failure=kill
// acts on it.
func TestHealthchecks(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "health")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	e.MustPod(t, "run", "-d", "--name", name, "--network", "none", "--health-cmd", "test -f /tmp/ok",
		"--health-interval", "1s", "--health-retries", "2", "alpine", "sleep", "1000")
	status := func() string {
		return e.MustPod(t, "inspect", "--format", "{{.State.Health.Status}}", name).Out()
	}
	if !waitFor(15*time.Second, func() bool { return status() == "unhealthy" }) {
		t.Fatalf("never unhealthy; health is %q", status())
	}
	if ps := e.MustPod(t, "ps", "--filter", "name=^"+name+"$", "--format", "{{.Status}}").Out(); !strings.HasSuffix(ps, "(unhealthy)") {
		t.Errorf("ps status %q", ps)
	}
	r := e.Pod(t, "healthcheck", "run", name)
	expectExit(t, r, 1)
	expectStdout(t, r, "unhealthy\n")
	e.MustPod(t, "exec", name, "touch", "/tmp/ok")
	expectExit(t, e.Pod(t, "healthcheck", "run", name), 0)
	if got := status(); got != "healthy" {
		t.Errorf("after a passing check: %q", got)
	}
	got := e.MustPod(t, "inspect", "--format", "{{index .Config.Healthcheck.Test 0}} {{.Config.Healthcheck.Retries}}", name).Out()
	if got != "CMD-SHELL 2" {
		t.Errorf("Config.Healthcheck: %q", got)
	}

	hang := e.CtrName(t, "hang")
	defer e.Pod(t, "rm", "-f", "-t", "0", hang)
	e.MustPod(t, "run", "-d", "--name", hang, "--network", "none", "--health-cmd", "sleep 60", "--health-timeout", "1s",
		"--health-interval", "1s", "--health-retries", "1", "--health-on-failure", "kill", "alpine", "sleep", "1000")
	if !waitFor(20*time.Second, func() bool { return e.state(t, hang) == "exited" }) {
		t.Fatalf("--health-on-failure=kill did not kill the container")
	}
	out := e.MustPod(t, "inspect", "--format", "{{.State.ExitCode}} {{(index .State.Health.Log 0).Output}}", hang).Out()
	if !strings.HasPrefix(out, "137 ") || !strings.Contains(out, "timed out") {
		t.Errorf("after the hanging check: %q", out)
	}

	none := e.CtrName(t, "nohealth")
	e.runSleeper(t, none, "--network", "none")
	defer e.Pod(t, "rm", "-f", "-t", "0", none)
	r = e.Pod(t, "healthcheck", "run", none)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no defined healthcheck")
	r = e.Pod(t, "run", "--health-on-failure", "explode", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "explode")
}

// port of a container that publishes nothing prints nothing, as podman's;
// a bad port is refused.
func TestPortWithoutPublishedPorts(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "port")
	e.runSleeper(t, name, "--network", "none")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	expectStdout(t, e.MustPod(t, "port", name), "")
	expectStdout(t, e.MustPod(t, "port", name, "80"), "")
	r := e.Pod(t, "port", name, "http")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "http")
	r = e.Pod(t, "port")
	expectExit(t, r, 125)
}
