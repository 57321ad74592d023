package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sleeper runs until SIGTERM, which it answers with exit 0; it logs "ready" once its trap is set.
var sleeper = []string{"sh", "-c", `trap "exit 0" TERM; echo ready; while :; do sleep 0.2; done`}

// runSleeper starts a detached sleeper named name and waits until it is ready.
func (e *Env) runSleeper(t testing.TB, name string, extra ...string) string {
	t.Helper()
	args := append([]string{"run", "-d", "--name", name}, extra...)
	args = append(args, "alpine")
	args = append(args, sleeper...)
	r := e.MustPod(t, args...)
	id := r.Out()
	if !hex64Re.MatchString(id) {
		t.Fatalf("run -d printed %q, want a 64-hex container id", r.Stdout)
	}
	e.waitLog(t, name, "ready")
	return id
}

func TestCreateStartAttach(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "csa")
	r := e.MustPod(t, "create", "--name", name, "alpine", "sh", "-c", "echo out; echo err >&2; exit 7")
	id := r.Out()
	if !hex64Re.MatchString(id) {
		t.Fatalf("create printed %q, want a 64-hex id", r.Stdout)
	}
	if s := e.state(t, name); s != "created" {
		t.Errorf("state after create = %q, want created", s)
	}
	r = e.Pod(t, "start", "-a", name)
	expectExit(t, r, 7)
	expectStdout(t, r, "out\n")
	if !strings.Contains(r.Stderr, "err") {
		t.Errorf("start -a: container stderr not on stderr: %q", r.Stderr)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id).Out(); got != "exited 7" {
		t.Errorf("inspect after start -a: %q, want \"exited 7\"", got)
	}
	// A container that exited can be started again.
	r = e.Pod(t, "start", "--attach", name)
	expectExit(t, r, 7)
}

func TestStartWait(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "sw")
	e.MustPod(t, "create", "--name", name, "alpine", "sh", "-c", "sleep 1; exit 4")
	r := e.MustPod(t, "start", name)
	expectStdout(t, r, name+"\n")
	r = e.MustPod(t, "wait", name)
	expectStdout(t, r, "4\n")
	if s := e.state(t, name); s != "exited" {
		t.Errorf("state after wait = %q, want exited", s)
	}
	// Waiting on an exited container returns its code at once.
	expectStdout(t, e.MustPod(t, "wait", name), "4\n")

	r = e.Pod(t, "wait", "no-such-container-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-container-e2e")
}

func TestPs(t *testing.T) {
	e := sharedEnv(t)
	up, exited, created := e.CtrName(t, "psup"), e.CtrName(t, "psexit"), e.CtrName(t, "pscreated")
	upID := e.runSleeper(t, up, "-l", "e2e.ps=up")
	e.MustPod(t, "run", "--name", exited, "alpine", "true")
	e.MustPod(t, "create", "--name", created, "-l", "e2e.ps=created", "alpine", "true")

	// Table layout.
	r := e.MustPod(t, "ps", "-a")
	lines := r.Lines()
	if len(lines) < 4 {
		t.Fatalf("ps -a: want a header and 3+ rows, got %q", r.Stdout)
	}
	cols := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(lines[0]), -1)
	want := []string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}
	if strings.Join(cols, "|") != strings.Join(want, "|") {
		t.Errorf("ps header: got %q, want %q", cols, want)
	}
	row := ""
	for _, l := range lines[1:] {
		if strings.HasSuffix(l, " "+up) {
			row = l
		}
	}
	if !strings.HasPrefix(row, upID[:12]+" ") || !strings.Contains(row, "docker.io/library/alpine:latest") {
		t.Errorf("ps -a row for %s: %q (want id %s and image docker.io/library/alpine:latest)", up, row, upID[:12])
	}

	// Status words.
	status := map[string]string{}
	for _, l := range e.MustPod(t, "ps", "-a", "--format", "{{.Names}} {{.Status}}").Lines() {
		n, s, _ := strings.Cut(l, " ")
		status[n] = s
	}
	for n, re := range map[string]string{
		up:      `^Up \d+ seconds?( ago)?$|^Up Less than a second( ago)?$|^Up About a minute( ago)?$`,
		exited:  `^Exited \(0\) (\d+ seconds?|Less than a second|About a minute) ago$`,
		created: `^Created$`,
	} {
		if !regexp.MustCompile(re).MatchString(status[n]) {
			t.Errorf("status of %s: %q, want /%s/", n, status[n], re)
		}
	}

	// Running only without -a.
	names := e.MustPod(t, "ps", "--format", "{{.Names}}").Lines()
	if !contains(names, up) || contains(names, exited) || contains(names, created) {
		t.Errorf("ps (no -a) names %q: want %s but not %s or %s", names, up, exited, created)
	}

	// JSON.
	r = e.MustPod(t, "ps", "-a", "--format", "json")
	var list []struct {
		ID     string   `json:"Id"`
		Names  []string `json:"Names"`
		State  string   `json:"State"`
		Image  string   `json:"Image"`
		Labels map[string]string
	}
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil {
		t.Fatalf("ps --format json is not a JSON array of containers: %v\n%s", err, r.Stdout)
	}
	found := map[string]string{}
	for _, c := range list {
		if len(c.Names) > 0 {
			found[c.Names[0]] = c.State
		}
		if len(c.Names) > 0 && c.Names[0] == up {
			if c.ID != upID {
				t.Errorf("json Id of %s = %q, want %s", up, c.ID, upID)
			}
			if c.Labels["e2e.ps"] != "up" {
				t.Errorf("json Labels of %s = %v", up, c.Labels)
			}
		}
	}
	for n, s := range map[string]string{up: "running", exited: "exited", created: "created"} {
		if found[n] != s {
			t.Errorf("json State of %s = %q, want %q", n, found[n], s)
		}
	}
	if r = e.MustPod(t, "ps", "--format", "json", "--filter", "name=no-such-container-e2e"); r.Out() != "[]" {
		t.Errorf("ps --format json with no match: %q, want []", r.Out())
	}

	// Filters, -q, --no-trunc.
	filter := func(args ...string) []string {
		return e.MustPod(t, append([]string{"ps", "-a", "--format", "{{.Names}}"}, args...)...).Lines()
	}
	if got := filter("--filter", "name="+up); strings.Join(got, " ") != up {
		t.Errorf("--filter name=%s: %q", up, got)
	}
	if got := filter("--filter", "status=exited"); !contains(got, exited) || contains(got, up) || contains(got, created) {
		t.Errorf("--filter status=exited: %q", got)
	}
	if got := filter("--filter", "status=created"); !contains(got, created) || contains(got, up) {
		t.Errorf("--filter status=created: %q", got)
	}
	if got := filter("--filter", "status=running"); !contains(got, up) || contains(got, exited) {
		t.Errorf("--filter status=running: %q", got)
	}
	if got := filter("--filter", "label=e2e.ps=created"); strings.Join(got, " ") != created {
		t.Errorf("--filter label=e2e.ps=created: %q", got)
	}
	if got := filter("--filter", "id="+upID); strings.Join(got, " ") != up {
		t.Errorf("--filter id=<full id>: %q", got)
	}
	if got := filter("--filter", "id="+upID[:10]); strings.Join(got, " ") != up {
		t.Errorf("--filter id=<prefix>: %q", got)
	}
	if got := filter("--filter", "name="+up, "--filter", "status=exited"); len(got) != 0 {
		t.Errorf("two filters on different keys must both hold: %q", got)
	}

	q := e.MustPod(t, "ps", "-q").Lines()
	if !contains(q, upID[:12]) {
		t.Errorf("ps -q %q lacks %s", q, upID[:12])
	}
	for _, id := range q {
		if !hex12Re.MatchString(id) {
			t.Errorf("ps -q line %q is not a 12-hex id", id)
		}
	}
	full := e.MustPod(t, "ps", "-a", "-q", "--no-trunc").Lines()
	if !contains(full, upID) {
		t.Errorf("ps -a -q --no-trunc %q lacks %s", full, upID)
	}
	for _, id := range full {
		if !hex64Re.MatchString(id) {
			t.Errorf("ps -q --no-trunc line %q is not a 64-hex id", id)
		}
	}
	r = e.MustPod(t, "ps", "--no-trunc", "--filter", "id="+upID)
	if !strings.Contains(r.Stdout, upID) {
		t.Errorf("ps --no-trunc does not show the full id:\n%s", r.Stdout)
	}
}

func TestLogs(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "logs")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done")
	expectStdout(t, e.MustPod(t, "wait", name), "0\n")
	all := "line1\nline2\nline3\nline4\nline5\n"
	expectStdout(t, e.MustPod(t, "logs", name), all)
	expectStdout(t, e.MustPod(t, "logs", "--tail", "2", name), "line4\nline5\n")
	expectStdout(t, e.MustPod(t, "logs", "--tail=0", name), "")
	expectStdout(t, e.MustPod(t, "logs", "--since", "10m", name), all)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	expectStdout(t, e.MustPod(t, "logs", "--since", future, name), "")
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	expectStdout(t, e.MustPod(t, "logs", "--since", past, name), all)

	r := e.MustPod(t, "logs", "-t", name)
	lines := r.Lines()
	tsRe := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) line(\d)$`)
	if len(lines) != 5 {
		t.Errorf("logs -t: want 5 lines, got %q", r.Stdout)
	}
	for i, l := range lines {
		if m := tsRe.FindStringSubmatch(l); m == nil || m[3] != string(rune('1'+i)) {
			t.Errorf("logs -t line %d = %q, want \"<RFC3339 time> line%d\"", i+1, l, i+1)
		}
	}

	// The output of a foreground run is logged too, stdout and stderr apart.
	fg := e.CtrName(t, "logsfg")
	e.MustPod(t, "run", "--name", fg, "alpine", "sh", "-c", "echo to-stdout; echo to-stderr >&2")
	r = e.MustPod(t, "logs", fg)
	expectStdout(t, r, "to-stdout\n")
	if !strings.Contains(r.Stderr, "to-stderr") {
		t.Errorf("logs: the container's stderr should be on stderr, got %q", r.Stderr)
	}

	r = e.Pod(t, "logs", "no-such-container-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-container-e2e")
}

func TestLogsFollow(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "follow")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sh", "-c", "echo first; sleep 4; echo second")
	e.waitLog(t, name, "first")
	bg := e.PodBG(t, "logs", "-f", name)
	time.Sleep(time.Second)
	if bg.Exited() {
		t.Errorf("logs -f returned while the container was still running")
	}
	r := bg.Wait(t, 60*time.Second)
	expectExit(t, r, 0)
	expectStdout(t, r, "first\nsecond\n")
	if s := e.state(t, name); s != "exited" {
		t.Errorf("logs -f returned, container state %q", s)
	}
	// Following an exited container prints its log and returns.
	expectStdout(t, e.MustPod(t, "logs", "--follow", name), "first\nsecond\n")
}

func TestStop(t *testing.T) {
	e := sharedEnv(t)

	// SIGTERM reaches the container's process: it exits with its own code.
	term := e.CtrName(t, "stopterm")
	e.runSleeper(t, term)
	r := e.MustPod(t, "stop", term)
	expectStdout(t, r, term+"\n")
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", term).Out(); got != "exited 0" {
		t.Errorf("after stop of a TERM-handling container: %q, want \"exited 0\"", got)
	}
	// Stopping a stopped container is fine.
	e.MustPod(t, "stop", term)

	// A process that ignores SIGTERM is killed after the grace period.
	stubborn := e.CtrName(t, "stopkill")
	e.MustPod(t, "run", "-d", "--name", stubborn, "alpine", "sh", "-c", `trap "" TERM; echo ready; while :; do sleep 0.2; done`)
	e.waitLog(t, stubborn, "ready")
	e.MustPod(t, "stop", "-t", "1", stubborn)
	if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", stubborn).Out(); got != "exited 137" {
		t.Errorf("after stop -t 1 of a TERM-ignoring container: %q, want \"exited 137\"", got)
	}

	// A plain `sleep` as pid 1 has no SIGTERM handler either.
	plain := e.CtrName(t, "stopsleep")
	e.MustPod(t, "run", "-d", "--name", plain, "alpine", "sleep", "1000")
	e.MustPod(t, "stop", "--time", "2", plain)
	if s := e.state(t, plain); s != "exited" {
		t.Errorf("sleep 1000 after stop -t 2: state %q", s)
	}

	r = e.Pod(t, "stop", "no-such-container-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-container-e2e")
}

func TestKill(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "killusr1")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sh", "-c",
		`trap "exit 42" USR1; echo ready; while :; do sleep 0.2; done`)
	e.waitLog(t, name, "ready")
	expectStdout(t, e.MustPod(t, "kill", "-s", "USR1", name), name+"\n")
	expectStdout(t, e.MustPod(t, "wait", name), "42\n")

	plain := e.CtrName(t, "killdef")
	e.runSleeper(t, plain)
	e.MustPod(t, "kill", plain)
	expectStdout(t, e.MustPod(t, "wait", plain), "137\n")

	num := e.CtrName(t, "killnum")
	e.runSleeper(t, num)
	e.MustPod(t, "kill", "--signal", "15", num)
	expectStdout(t, e.MustPod(t, "wait", num), "0\n")

	r := e.Pod(t, "kill", "no-such-container-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-container-e2e")

	// Killing a container that is not running is an error.
	r = e.Pod(t, "kill", num)
	expectExit(t, r, 125)
	expectErrorLine(t, r)

	r = e.Pod(t, "kill", "-s", "NOSUCHSIG", num)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "NOSUCHSIG")
}

func TestRm(t *testing.T) {
	e := sharedEnv(t)
	running := e.CtrName(t, "rmrun")
	e.runSleeper(t, running)
	r := e.Pod(t, "rm", running)
	expectExit(t, r, 2)
	expectErrorLine(t, r, "running")
	if s := e.state(t, running); s != "running" {
		t.Errorf("rm without -f changed the container: state %q", s)
	}
	expectStdout(t, e.MustPod(t, "rm", "-f", running), running+"\n")
	if got := e.MustPod(t, "ps", "-a", "--filter", "name="+running, "-q").Lines(); len(got) != 0 {
		t.Errorf("rm -f left the container: %q", got)
	}

	stopped := e.CtrName(t, "rmstopped")
	id := e.MustPod(t, "create", "--name", stopped, "alpine", "true").Out()
	expectStdout(t, e.MustPod(t, "rm", id), id+"\n")

	r = e.Pod(t, "rm", "no-such-container-e2e")
	expectExit(t, r, 1)
	expectErrorLine(t, r, "no-such-container-e2e")
	r = e.MustPod(t, "rm", "--ignore", "no-such-container-e2e")
	expectStdout(t, r, "")
	r = e.MustPod(t, "rm", "-f", "no-such-container-e2e")
	expectStdout(t, r, "")
}

// TestRmAll uses its own store: rm -a removes everything.
func TestRmAll(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.MustPod(t, "create", "--name", "a1", "alpine", "true")
	e.MustPod(t, "run", "--name", "a2", "alpine", "true")
	e.MustPod(t, "rm", "-a")
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("rm -a left %q", ids)
	}
	e.runSleeper(t, "a3")
	e.MustPod(t, "create", "--name", "a4", "alpine", "true")
	r := e.Pod(t, "rm", "-a")
	expectExit(t, r, 2)
	if s := e.state(t, "a3"); s != "running" {
		t.Errorf("rm -a without -f touched a running container: %q", s)
	}
	e.MustPod(t, "rm", "-a", "-f", "-t", "0")
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("rm -af left %q", ids)
	}
	if m := e.containerMounts(t); len(m) != 0 {
		t.Errorf("rm -af left mounts: %q", m)
	}
}

func TestInspect(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "insp")
	id := e.MustPod(t, "create", "--name", name, "-e", "E2E=yes", "alpine", "true").Out()
	if got := e.MustPod(t, "inspect", "--format", "{{.Id}}", name).Out(); got != id {
		t.Errorf("inspect {{.Id}} = %q, want %s", got, id)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Name}}", id).Out(); got != name {
		t.Errorf("inspect {{.Name}} = %q, want %s", got, name)
	}
	env := e.MustPod(t, "inspect", "--format", "{{.Config.Env}}", name).Out()
	if !strings.Contains(env, "E2E=yes") || !strings.Contains(env, "PATH=") {
		t.Errorf("inspect {{.Config.Env}} = %q", env)
	}
	if got := e.state(t, name); got != "created" {
		t.Errorf("inspect {{.State.Status}} = %q", got)
	}

	r := e.MustPod(t, "inspect", name)
	var objs []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &objs); err != nil || len(objs) != 1 {
		t.Fatalf("inspect: want a JSON array of one object: %v\n%s", err, r.Stdout)
	}
	if objs[0]["Id"] != id || objs[0]["Name"] != name {
		t.Errorf("inspect JSON Id/Name = %v/%v", objs[0]["Id"], objs[0]["Name"])
	}
	if st, ok := objs[0]["State"].(map[string]any); !ok || st["Status"] != "created" {
		t.Errorf("inspect JSON State = %v", objs[0]["State"])
	}

	imgID := e.MustPod(t, "inspect", "--format", "{{.Id}}", "alpine").Out()
	if !hex64Re.MatchString(imgID) {
		t.Errorf("image inspect {{.Id}} = %q", imgID)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Image}}", name).Out(); got != imgID {
		t.Errorf("container inspect {{.Image}} = %q, want %s", got, imgID)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Config.Cmd}}", "alpine").Out(); got != "[/bin/sh]" {
		t.Errorf("image inspect {{.Config.Cmd}} = %q", got)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Os}}/{{.Architecture}}", "alpine").Out(); got != "linux/amd64" {
		t.Errorf("image inspect {{.Os}}/{{.Architecture}} = %q", got)
	}
	r = e.MustPod(t, "image", "inspect", "alpine")
	if err := json.Unmarshal([]byte(r.Stdout), &objs); err != nil || len(objs) != 1 || objs[0]["Id"] != imgID {
		t.Errorf("image inspect JSON: %v\n%s", err, r.Stdout)
	}

	r = e.Pod(t, "inspect", "no-such-object-e2e")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-object-e2e")

	r = e.Pod(t, "inspect", "--format", "{{.NoSuchField}}", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r)
}

func TestImages(t *testing.T) {
	e := sharedEnv(t)
	imgID := e.MustPod(t, "inspect", "--format", "{{.Id}}", "alpine").Out()
	r := e.MustPod(t, "images")
	lines := r.Lines()
	if len(lines) < 2 {
		t.Fatalf("images: %q", r.Stdout)
	}
	cols := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(lines[0]), -1)
	if strings.Join(cols, "|") != "REPOSITORY|TAG|IMAGE ID|CREATED|SIZE" {
		t.Errorf("images header: %q", cols)
	}
	rowRe := regexp.MustCompile(`^docker\.io/library/alpine\s+latest\s+` + imgID[:12] + `\s+\S.*\s+\d+(\.\d+)? [kMG]?B$`)
	ok := false
	for _, l := range lines[1:] {
		ok = ok || rowRe.MatchString(l)
	}
	if !ok {
		t.Errorf("images has no row matching %s:\n%s", rowRe, r.Stdout)
	}
	if q := e.MustPod(t, "images", "-q").Lines(); !contains(q, imgID[:12]) {
		t.Errorf("images -q %q lacks %s", q, imgID[:12])
	}
	if q := e.MustPod(t, "images", "-q", "--no-trunc").Lines(); !contains(q, "sha256:"+imgID) {
		t.Errorf("images -q --no-trunc %q lacks sha256:%s", q, imgID)
	}
	if !strings.Contains(e.MustPod(t, "images", "--no-trunc").Stdout, "sha256:"+imgID) {
		t.Errorf("images --no-trunc does not show the full id")
	}
	if f := e.MustPod(t, "images", "--format", "{{.Repository}}:{{.Tag}}").Lines(); !contains(f, "docker.io/library/alpine:latest") {
		t.Errorf("images --format {{.Repository}}:{{.Tag}}: %q", f)
	}
	if f := e.MustPod(t, "images", "-a", "--format", "{{.ID}}").Lines(); !contains(f, imgID[:12]) {
		t.Errorf("images -a --format {{.ID}}: %q", f)
	}
	r = e.MustPod(t, "images", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil || len(list) == 0 {
		t.Errorf("images --format json: %v\n%s", err, r.Stdout)
	}
}

// TestRmi uses its own store.
func TestRmi(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	old := e.MustPod(t, "pull", "-q", "alpine:3.19.4").Out()
	e.MustPod(t, "create", "--name", "user", "alpine:3.19.4", "true")

	r := e.Pod(t, "rmi", "alpine:3.19.4")
	expectExit(t, r, 2)
	expectErrorLine(t, r, "in use")
	if q := e.MustPod(t, "images", "-q", "--no-trunc").Lines(); !contains(q, "sha256:"+old) {
		t.Errorf("failed rmi removed the image")
	}

	r = e.MustPod(t, "rmi", "-f", "alpine:3.19.4")
	if !strings.Contains(r.Stdout, old) {
		t.Errorf("rmi -f should report the deleted id %s: %q", old, r.Stdout)
	}
	if ids := e.containerIDs(t); len(ids) != 0 {
		t.Errorf("rmi -f kept the image's container: %q", ids)
	}
	if q := e.MustPod(t, "images", "-q", "--no-trunc").Lines(); contains(q, "sha256:"+old) {
		t.Errorf("rmi -f kept the image")
	}

	r = e.Pod(t, "rmi", "no-such-image-e2e")
	expectExit(t, r, 1)
	expectErrorLine(t, r, "no-such-image-e2e")

	e.MustPod(t, "pull", "-q", "alpine:3.19.4")
	e.MustPod(t, "rmi", "-a")
	if q := e.MustPod(t, "images", "-q").Lines(); len(q) != 0 {
		t.Errorf("rmi -a left %q", q)
	}
}

func TestInfo(t *testing.T) {
	e := sharedEnv(t)
	expectStdout(t, e.MustPod(t, "info", "--format", "{{.Store.GraphDriverName}}"), "overlay\n")
	r := e.MustPod(t, "info", "--format", "{{.Store.GraphRoot}}")
	if !strings.HasPrefix(r.Out(), e.Home+"/.local/share/") {
		t.Errorf("info GraphRoot %q is not below %s/.local/share", r.Out(), e.Home)
	}
	r = e.MustPod(t, "info")
	for _, want := range []string{"host:", "store:", "graphDriverName: overlay"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("info lacks %q", want)
		}
	}
	r = e.MustPod(t, "info", "--format", "json")
	var v map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil || v["store"] == nil {
		t.Errorf("info --format json: %v\n%s", err, r.Stdout)
	}
}

func TestIDPrefix(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "prefix")
	id := e.runSleeper(t, name)
	prefix := id[:4]
	for _, other := range e.containerIDs(t) {
		for other != id && strings.HasPrefix(other, prefix) {
			prefix = id[:len(prefix)+1]
		}
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.Name}}", prefix).Out(); got != name {
		t.Errorf("inspect %s: %q, want %s", prefix, got, name)
	}
	if !strings.Contains(e.MustPod(t, "logs", prefix).Stdout, "ready") {
		t.Errorf("logs %s: no output", prefix)
	}
	e.MustPod(t, "stop", prefix)
	if s := e.state(t, name); s != "exited" {
		t.Errorf("stop %s: state %q", prefix, s)
	}
	e.MustPod(t, "rm", prefix)
	if got := e.MustPod(t, "ps", "-a", "-q", "--no-trunc").Lines(); contains(got, id) {
		t.Errorf("rm %s did not remove %s", prefix, id)
	}
}

// TestNoLockDuringStop checks that ps and inspect answer while another command waits out a
// stop grace period.
func TestNoLockDuringStop(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "slowstop")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sh", "-c", `trap "" TERM; echo ready; while :; do sleep 0.2; done`)
	e.waitLog(t, name, "ready")
	bg := e.PodBG(t, "stop", "-t", "5", name)
	time.Sleep(time.Second)
	r := e.MustPod(t, "ps", "-a", "--format", "{{.Names}}")
	if !contains(r.Lines(), name) {
		t.Errorf("ps -a during stop does not list %s", name)
	}
	e.MustPod(t, "inspect", "--format", "{{.State.Status}}", name)
	e.MustPod(t, "images", "-q")
	if bg.Exited() {
		t.Errorf("ps, inspect and images only returned after the stop grace period ended (they waited on its lock)")
	}
	r = bg.Wait(t, 60*time.Second)
	expectExit(t, r, 0)
	if got := e.MustPod(t, "inspect", "--format", "{{.State.ExitCode}}", name).Out(); got != "137" {
		t.Errorf("exit code after stop -t 5 of a TERM-ignoring container: %s, want 137", got)
	}
}

// A start right after the container exited (its monitor still finishing:
// runtime delete, cleanup, the network namespace it bound) waits for that
// monitor: the new run's namespace and records are not taken away.
func TestStartRightAfterExit(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "again")
	e.runSleeper(t, name)
	for i := 0; i < 8; i++ {
		e.MustPod(t, "kill", name)
		expectStdout(t, e.MustPod(t, "wait", name), "137\n")
		e.MustPod(t, "start", name)
		if got := e.MustPod(t, "inspect", "--format", "{{.State.Status}}", name).Out(); got != "running" {
			t.Fatalf("round %d: after start the container is %q", i, got)
		}
		e.MustPod(t, "exec", name, "true")
	}
	e.MustPod(t, "rm", "-f", "-t", "0", name)
}
