package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// eventJSON is one line of `events --format json`.
type eventJSON struct {
	ContainerExitCode int
	ID, Image, Name   string
	Status, Type      string
	Time              time.Time
	Attributes        map[string]string
}

func parseEvents(t *testing.T, r *Result) []eventJSON {
	t.Helper()
	var out []eventJSON
	for _, l := range r.Lines() {
		var ev eventJSON
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("events --format json printed %q: %v", l, err)
		}
		out = append(out, ev)
	}
	return out
}

// statuses lists `events --stream=false` for the filters, one status per event.
func (e *Env) statuses(t *testing.T, filters ...string) []string {
	t.Helper()
	args := []string{"events", "--stream=false", "--format", "{{.Status}}"}
	for _, f := range filters {
		args = append(args, "--filter", f)
	}
	return e.MustPod(t, args...).Lines()
}

// Every container transition and verb writes one event; podman's default
// line, JSON and templates; filters, --since and --until.
func TestEventsLifecycle(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	start := time.Now()
	e.MustPod(t, "pull", "-q", "alpine")
	r := e.Pod(t, "run", "--name", "ev1", "--label", "tier=front", "--label", "a=b", "alpine", "sh", "-c", "exit 3")
	expectExit(t, r, 3)
	id := e.MustPod(t, "inspect", "--format", "{{.Id}}", "ev1").Out()
	e.runSleeper(t, "ev2")
	e.MustPod(t, "kill", "ev2")
	expectStdout(t, e.MustPod(t, "wait", "ev2"), "137\n")
	e.MustPod(t, "start", "ev2")
	e.MustPod(t, "stop", "-t", "0", "ev2")
	e.MustPod(t, "rename", "ev2", "ev3")
	e.MustPod(t, "rm", "ev3")
	e.MustPod(t, "run", "--rm", "--name", "ev4", "alpine", "true")

	// ev1's life. podman also reports the foreground run's attach.
	want := []string{"create", "init", "start", "died", "cleanup"}
	if cfg.podman {
		want = []string{"create", "init", "start", "attach", "died", "cleanup"}
	}
	if got := e.statuses(t, "container=ev1"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("events of ev1: %q, want %q", got, want)
	}
	// The same by id prefix, and filters of one key are alternatives.
	if got := e.statuses(t, "container="+id[:12], "event=create", "event=died"); strings.Join(got, " ") != "create died" {
		t.Errorf("container=<id> event=create event=died: %q", got)
	}
	// Cleanups race with the next start (the monitor runs them): they are
	// not counted. podman 4.3 writes no stop event; pod writes it once the
	// container stopped.
	wantEv2 := []string{"create", "init", "start", "kill", "died", "init", "start", "died", "stop", "rename", "remove"}
	if cfg.podman {
		wantEv2 = slices.DeleteFunc(wantEv2, func(s string) bool { return s == "stop" })
	}
	got := slices.DeleteFunc(append(e.statuses(t, "container=ev2"), e.statuses(t, "container=ev3")...),
		func(s string) bool { return s == "cleanup" })
	if !slices.Equal(got, wantEv2) {
		t.Errorf("events of ev2/ev3 but cleanups: %q, want %q", got, wantEv2)
	}
	wantRm := []string{"create", "init", "start", "died", "remove"}
	if cfg.podman {
		wantRm = []string{"create", "init", "start", "attach", "died", "remove"}
	}
	if got := e.statuses(t, "container=ev4"); !slices.Equal(got, wantRm) {
		t.Errorf("events of run --rm: %q, want %q", got, wantRm)
	}

	// The default line is podman's.
	r = e.MustPod(t, "events", "--stream=false", "--filter", "container=ev1", "--filter", "event=create")
	lineRe := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [+-]\d{4} \S+ container create ` + id +
		` \(image=docker\.io/library/alpine:latest, name=ev1, (a=b, tier=front|tier=front, a=b)\)$`)
	if lines := r.Lines(); len(lines) != 1 || !lineRe.MatchString(lines[0]) {
		t.Errorf("default line %q does not match %s", r.Stdout, lineRe)
	}
	r = e.MustPod(t, "events", "--stream=false", "--no-trunc=false", "--filter", "container=ev1", "--filter", "event=create")
	if !strings.Contains(r.Out(), " container create "+id[:12]+" (image=") {
		t.Errorf("--no-trunc=false: %q", r.Out())
	}

	// JSON: podman's fields; died carries the exit code, labels are attributes.
	evs := parseEvents(t, e.MustPod(t, "events", "--stream=false", "--format", "json", "--filter", "container=ev1", "--filter", "status=died"))
	if len(evs) != 1 {
		t.Fatalf("one died event expected, got %+v", evs)
	}
	d := evs[0]
	if d.ContainerExitCode != 3 || d.ID != id || d.Name != "ev1" || d.Type != "container" || d.Image != "docker.io/library/alpine:latest" ||
		d.Attributes["tier"] != "front" || d.Time.Before(start.Add(-time.Second)) || time.Since(d.Time) > 5*time.Minute {
		t.Errorf("died event %+v", d)
	}
	r = e.MustPod(t, "events", "--stream=false", "--filter", "type=image", "--format", "{{.Type}} {{.Status}} {{.Name}}")
	if lines := r.Lines(); len(lines) == 0 || lines[0] != "image pull alpine" {
		t.Errorf("image events %q", lines)
	}
	if got := e.statuses(t, "label=tier=front", "event=start"); len(got) != 1 {
		t.Errorf("label=tier=front event=start: %q", got)
	}
	if got := e.statuses(t, "label=tier=back"); len(got) != 0 {
		t.Errorf("label=tier=back: %q", got)
	}

	// --since and --until: timestamps, Unix seconds and durations.
	all := len(e.MustPod(t, "events", "--stream=false").Lines())
	if n := len(e.MustPod(t, "events", "--stream=false", "--since", "10m").Lines()); n != all {
		t.Errorf("--since 10m listed %d of %d events", n, all)
	}
	if n := len(e.MustPod(t, "events", "--stream=false", "--since", fmt.Sprint(time.Now().Add(time.Hour).Unix())).Lines()); n != 0 {
		t.Errorf("--since in an hour listed %d events", n)
	}
	if n := len(e.MustPod(t, "events", "--until", "2001-01-01T00:00:00Z").Lines()); n != 0 {
		t.Errorf("--until 2001 listed %d events", n)
	}
	if !cfg.podman { // podman 4.3's --until with a timestamp lists nothing
		mid := evs[0].Time.Format(time.RFC3339Nano)
		before := len(e.MustPod(t, "events", "--until", mid).Lines())
		after := len(e.MustPod(t, "events", "--stream=false", "--since", mid).Lines())
		if before == 0 || after == 0 || before+after != all+1 {
			t.Errorf("--until/--since %s: %d + %d events, want %d (the died event in both)", mid, before, after, all+1)
		}
	}
	r = e.MustPod(t, "events", "--stream=false", "--format", "{{.Status}} {{.Name}}", "--filter", "event=rename")
	expectStdout(t, r, "rename ev3\n")

	// Bad input: one line, exit 125 (podman 4.3 ignores bad filters and
	// times in this mode and prints nothing).
	for _, args := range [][]string{
		{"events", "--stream=false", "--filter", "bogus=1"},
		{"events", "--stream=false", "--filter", "nokeyvalue"},
		{"events", "--stream=false", "--since", "yesterday-ish"},
		{"events", "--until", "later"},
	} {
		r := e.Pod(t, args...)
		if cfg.podman {
			expectExit(t, r, 0)
			continue
		}
		expectExit(t, r, 125)
		expectErrorLine(t, r, args[len(args)-1])
	}
	r = e.Pod(t, "events", "--stream=false", "--format", "{{.Bogus}}")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "Bogus")
	r = e.Pod(t, "events", "extra")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "takes no arguments")
}

// The default mode follows the log: events of other processes appear as
// they happen, and nothing older.
func TestEventsStream(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "evs")
	id := e.MustPod(t, "create", "--name", name, "alpine", "true").Out()
	bg := e.PodBG(t, "events", "--filter", "container="+id, "--format", "{{.Status}} {{.Name}}")
	// The follower starts at the end of the log: wait until it sees a probe.
	ready := false
	for i := 0; i < 50 && !ready; i++ {
		probe := fmt.Sprintf("%s-p%d", name, i)
		e.MustPod(t, "rename", name, probe)
		name = probe
		ready = waitFor(500*time.Millisecond, func() bool { return strings.Contains(bg.stdout.String(), "rename "+probe+"\n") })
	}
	if !ready {
		t.Fatalf("the event stream never showed a rename: %q %q", bg.stdout.String(), bg.stderr.String())
	}
	t.Cleanup(func() { e.run(nil, RunOpts{}, "rm", "-f", id) })
	e.MustPod(t, "start", "-a", name)
	e.MustPod(t, "rm", name)
	if !waitFor(10*time.Second, func() bool { return strings.Contains(bg.stdout.String(), "remove "+name+"\n") }) {
		t.Fatalf("the stream did not show the remove: %q", bg.stdout.String())
	}
	if bg.Exited() {
		t.Errorf("events exited while streaming: %s", bg.Wait(t, time.Second).describe())
	}
	bg.Kill()
	out := bg.stdout.String()
	if strings.Contains(out, "create") {
		t.Errorf("the stream showed an event from before it started:\n%s", out)
	}
	tail := out[strings.Index(out, "rename "+name+"\n"):]
	for _, want := range []string{"init", "start", "died", "remove"} {
		if !strings.Contains(tail, want+" "+name+"\n") {
			t.Errorf("the stream lacks %q:\n%s", want, out)
		}
	}
}

// Parallel processes append whole lines: every line of the file parses.
func TestEventsParallelWriters(t *testing.T) {
	e := sharedEnv(t)
	var names []string
	for i := 0; i < 8; i++ {
		names = append(names, e.CtrName(t, "evp"))
	}
	since := time.Now().Add(-time.Second).Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			e.MustPod(t, "create", "--name", n, "--label", "payload="+strings.Repeat("x", 3000), "alpine", "true")
			e.MustPod(t, "rename", n, n+"-r")
			e.MustPod(t, "rm", n+"-r")
		}(n)
	}
	wg.Wait()
	evs := parseEvents(t, e.MustPod(t, "events", "--stream=false", "--since", since, "--format", "json", "--filter", "type=container"))
	count := map[string]int{}
	for _, ev := range evs {
		for _, n := range names {
			if ev.Name == n || ev.Name == n+"-r" {
				count[n]++
				if ev.Attributes["payload"] != strings.Repeat("x", 3000) {
					t.Errorf("event %s %s lost its label", ev.Status, ev.Name)
				}
			}
		}
	}
	for _, n := range names {
		if count[n] != 3 {
			t.Errorf("%s: %d events, want create, rename, remove", n, count[n])
		}
	}
	if cfg.podman {
		return
	}
	data, err := os.ReadFile(filepath.Join(e.RunDir, "pod", "events", "events.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("torn line in the events file: %.200q", l)
		}
	}
}
