package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// doctorLine is one entry of `pod system doctor --format json`.
type doctorLine struct {
	Check   string `json:"check"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// requiredChecks are the checks every report holds for a rootless user.
var requiredChecks = []string{"subuid", "subgid", "newuidmap", "newgidmap", "tun", "fuse", "userns", "overlay",
	"network", "runtime", "cgroups", "runtime-dir", "logout", "storage"}

// doctorChecks parses the text report: "STATUS CHECK MESSAGE[; fix: COMMAND]" per line.
func doctorChecks(t *testing.T, r *Result) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, l := range r.Lines() {
		f := strings.Fields(l)
		if len(f) < 3 {
			t.Errorf("doctor line %q has no message", l)
			continue
		}
		switch f[0] {
		case "ok", "warning", "error":
		default:
			t.Errorf("doctor line %q does not start with ok, warning or error", l)
		}
		got[f[1]] = f[0]
	}
	return got
}

func TestDoctor(t *testing.T) {
	skipUnderPodman(t, "pod system doctor is pod's own")
	// A fresh environment: the doctor must not create the user namespace.
	e := NewEnv(t, EnvOptions{})
	r := e.Pod(t, "system", "doctor")
	expectExit(t, r, 0)
	if r.Stderr != "" {
		t.Errorf("doctor wrote to stderr: %q", r.Stderr)
	}
	checks := doctorChecks(t, r)
	for _, c := range requiredChecks {
		switch checks[c] {
		case "ok", "warning":
		default:
			t.Errorf("check %s: %q, want ok or warning:\n%s", c, checks[c], r.Stdout)
		}
	}
	if !strings.Contains(r.Stdout, cfg.user.name+" has ") {
		t.Errorf("the subuid check does not name %s (was it run inside the namespace?):\n%s", cfg.user.name, r.Stdout)
	}
	if !strings.Contains(r.Stdout, "no per-container cgroups: resource limits cannot be enforced") &&
		!strings.Contains(r.Stdout, "cgroup v2") {
		t.Errorf("the cgroups check says neither v2 nor that limits cannot be enforced:\n%s", r.Stdout)
	}
	if pid := e.PausePID(); pid != 0 {
		t.Errorf("doctor started a pause process (%d)", pid)
	}

	r = e.Pod(t, "system", "doctor", "--format", "json")
	expectExit(t, r, 0)
	var lines []doctorLine
	if err := json.Unmarshal([]byte(r.Stdout), &lines); err != nil {
		t.Fatalf("--format json is not a JSON array: %v\n%s", err, r.Stdout)
	}
	if len(lines) != len(checks) {
		t.Errorf("JSON holds %d checks, the text %d", len(lines), len(checks))
	}
	for _, l := range lines {
		if l.Status != checks[l.Check] || l.Message == "" {
			t.Errorf("JSON %+v disagrees with the text (%s)", l, checks[l.Check])
		}
	}

	// `pod doctor` is the same command, also with the namespace alive.
	e.MustPod(t, "ps")
	if e.PausePID() == 0 {
		t.Fatal("ps started no pause process")
	}
	r = e.Pod(t, "doctor")
	expectExit(t, r, 0)
	if got := doctorChecks(t, r); len(got) != len(checks) || !strings.Contains(r.Stdout, cfg.user.name+" has ") {
		t.Errorf("pod doctor differs from pod system doctor:\n%s", r.Stdout)
	}
}

func TestDoctorWithoutSubuid(t *testing.T) {
	skipUnderPodman(t, "pod system doctor is pod's own")
	if len(cfg.user2.subuids) > 0 {
		t.Fatalf("user %s must have no /etc/subuid range: run `sudo bash test/setup.sh`", cfg.user2.name)
	}
	e := NewEnv(t, EnvOptions{User: cfg.user2})
	r := e.Pod(t, "system", "doctor")
	expectExit(t, r, 1)
	if r.Stderr != "" {
		t.Errorf("a failed check is no pod error, yet stderr holds %q", r.Stderr)
	}
	found := false
	for _, l := range r.Lines() {
		if strings.HasPrefix(l, "error") && strings.Contains(l, "/etc/subuid") &&
			strings.Contains(l, "fix: sudo usermod --add-subuids ") && strings.HasSuffix(l, " "+cfg.user2.name) {
			found = true
		}
	}
	if !found {
		t.Errorf("no error line names /etc/subuid and the usermod fix:\n%s", r.Stdout)
	}
	r = e.Pod(t, "doctor", "--format", "json")
	expectExit(t, r, 1)
	var lines []doctorLine
	if err := json.Unmarshal([]byte(r.Stdout), &lines); err != nil {
		t.Fatalf("--format json is not a JSON array: %v\n%s", err, r.Stdout)
	}
	if len(lines) == 0 || lines[0].Check != "subuid" || lines[0].Status != "error" || !strings.Contains(lines[0].Fix, "usermod") {
		t.Errorf("first JSON entry %+v, want the subuid error with its fix", lines)
	}
}

func TestSystemMigrate(t *testing.T) {
	skipUnderPodman(t, "pod's migrate messages")
	e := NewEnv(t, EnvOptions{})
	r := e.MustPod(t, "system", "migrate")
	expectStdout(t, r, "no pause process: the next command creates one with the current subordinate ids\n")
	e.MustPod(t, "run", "--rm", "alpine", "true")
	pause := e.PausePID()
	r = e.MustPod(t, "system", "migrate")
	expectStdout(t, r, "pause process up to date\n")
	if e.PausePID() != pause || !procAlive(pause) {
		t.Errorf("migrate touched an up-to-date pause process %d", pause)
	}
	r = e.MustPod(t, "system", "renumber")
	expectStdout(t, r, "")
	r = e.Pod(t, "system", "migrate", "--new-runtime", "no-such-runtime")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-runtime")
}
