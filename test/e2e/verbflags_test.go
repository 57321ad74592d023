package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// verbCase is one command of a verb-flag scenario: its exit code, and
// what its stdout must be (exactly, as lines) or hold, or what its error
// line must mention.
type verbCase struct {
	args      []string
	code      int
	lines     []string // the exact lines of stdout (nil: not checked)
	anyOrder  bool     // lines in any order (podman reads several logs at once)
	has       []string // substrings of stdout
	errorLine []string // the one "Error:" line mentions these (code != 0)
}

func runVerbCases(t *testing.T, e *Env, cases []verbCase) {
	t.Helper()
	for _, c := range cases {
		r := e.Pod(t, c.args...)
		expectExit(t, r, c.code)
		got := r.Lines()
		if c.anyOrder {
			got, c.lines = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(c.lines))
		}
		if c.lines != nil && !slices.Equal(got, c.lines) {
			t.Errorf("%q printed %q, want %q", c.args, r.Lines(), c.lines)
		}
		for _, h := range c.has {
			if !strings.Contains(r.Stdout, h) {
				t.Errorf("%q printed %q, want it to hold %q", c.args, r.Stdout, h)
			}
		}
		if c.code != 0 {
			expectErrorLine(t, r, c.errorLine...)
		}
	}
}

// TestVerbFlagsEmpty: --latest with no container, and bad input, with
// podman's exit codes (ps -l lists nothing and succeeds; rm -l is a
// missing container, 1; the others fail with 125).
func TestVerbFlagsEmpty(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	header := "CONTAINER ID  IMAGE       COMMAND     CREATED     STATUS      PORTS       NAMES"
	runVerbCases(t, e, []verbCase{
		{args: []string{"ps", "-l"}, lines: []string{header}},
		{args: []string{"ps", "-a", "--noheading"}, lines: []string{}},
		{args: []string{"ps", "-a", "-q", "--sync"}, lines: []string{}},
		{args: []string{"stop", "-l"}, code: 125, errorLine: []string{"no such container"}},
		{args: []string{"start", "-l"}, code: 125, errorLine: []string{"no such container"}},
		{args: []string{"kill", "-l"}, code: 125, errorLine: []string{"no such container"}},
		{args: []string{"wait", "-l"}, code: 125, errorLine: []string{"no such container"}},
		{args: []string{"logs", "-l"}, code: 125, errorLine: []string{"no such container"}},
		{args: []string{"inspect", "-l"}, code: 125, errorLine: []string{"no such container"}},
		{args: []string{"rm", "-l"}, code: 1, errorLine: []string{"no such container"}},
		{args: []string{"stop", "-a"}, lines: []string{}},
		{args: []string{"rm", "-a"}, lines: []string{}},
		{args: []string{"start", "--all"}, lines: []string{}},
		{args: []string{"stop", "-i", "nosuch"}, lines: []string{}},
		{args: []string{"rm", "-i", "nosuch"}, lines: []string{}},
		{args: []string{"stop", "nosuch"}, code: 125, errorLine: []string{"nosuch"}},
		// Bad input names what is wrong.
		{args: []string{"ps", "--filter", "foo=bar"}, code: 125, errorLine: []string{"foo"}},
		{args: []string{"ps", "--filter", "foo"}, code: 125, errorLine: []string{"filter"}},
		{args: []string{"ps", "-a", "--filter", "status=bogus"}, code: 125, errorLine: []string{"bogus"}},
		{args: []string{"ps", "-a", "--filter", "since=nosuch"}, code: 125, errorLine: []string{"nosuch"}},
		{args: []string{"stop", "--filter", "foo=bar"}, code: 125, errorLine: []string{"foo"}},
		{args: []string{"ps", "--sort", "bogus"}, code: 125, errorLine: []string{"bogus", "sort"}},
		{args: []string{"ps", "--format", "{{.ID"}, code: 125, errorLine: []string{"template"}},
		{args: []string{"stop", "--cidfile", "/nonexistent/cid"}, code: 125, errorLine: []string{"/nonexistent/cid"}},
		{args: []string{"kill", "--cidfile", "/nonexistent/cid"}, code: 125, errorLine: []string{"/nonexistent/cid"}},
		{args: []string{"rm", "--cidfile", "/nonexistent/cid"}, code: 125, errorLine: []string{"/nonexistent/cid"}},
		{args: []string{"wait", "--condition", "bogus", "x"}, code: 125, errorLine: []string{"bogus"}},
		{args: []string{"wait", "--interval", "bogus", "x"}, code: 125, errorLine: []string{"bogus"}},
		{args: []string{"logs", "--until", "bogus", "x"}, code: 125, errorLine: []string{"bogus"}},
		{args: []string{"inspect", "--type", "bogus", "x"}, code: 125, errorLine: []string{"bogus"}},
		{args: []string{"stop", "-l", "x"}, code: 125, errorLine: []string{"--latest"}},
		{args: []string{"rm", "-a", "x"}, code: 125, errorLine: []string{"--all"}},
		{args: []string{"stop"}, code: 125},
		{args: []string{"kill"}, code: 125},
		{args: []string{"start"}, code: 125},
		{args: []string{"wait"}, code: 125},
		{args: []string{"logs"}, code: 125},
		{args: []string{"inspect"}, code: 125},
	})
}

// TestVerbFlags runs podman's flags of ps, start, stop, rm, kill, wait,
// logs and inspect on the same containers and compares rows, headers,
// status words and exit codes.
func TestVerbFlags(t *testing.T) {
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	ids := map[string]string{}
	for _, n := range []string{"a", "b", "c"} {
		ids[n] = e.MustPod(t, "create", "--name", n, "alpine", "true").Out()
		time.Sleep(50 * time.Millisecond)
	}
	e.MustPod(t, "run", "--name", "e1", "alpine", "echo", "hello1")
	time.Sleep(50 * time.Millisecond)
	expectExit(t, e.Pod(t, "run", "--name", "e2", "alpine", "sh", "-c", "echo hello2; exit 3"), 3)
	sortedIDs := []string{}
	for _, n := range []string{"a", "b", "c", "e1", "e2"} {
		if ids[n] == "" {
			ids[n] = e.MustPod(t, "inspect", "--format", "{{.Id}}", n).Out()
		}
		sortedIDs = append(sortedIDs, ids[n][:12])
	}
	slices.Sort(sortedIDs)
	names := func(args ...string) []string {
		return append([]string{"ps"}, append(args, "--format", "{{.Names}}")...)
	}

	runVerbCases(t, e, []verbCase{
		// Oldest first; -n and -l take the newest, still oldest first.
		{args: names("-a"), lines: []string{"a", "b", "c", "e1", "e2"}},
		{args: names("-n", "2"), lines: []string{"e1", "e2"}},
		{args: names("-l"), lines: []string{"e2"}},
		{args: []string{"ps", "-a", "--sort", "id", "--format", "{{.ID}}"}, lines: sortedIDs},
		{args: names("-a", "--sort", "status"), lines: []string{"a", "b", "c", "e1", "e2"}},
		{args: names("-a", "--sort", "names", "--filter", "name=^e"), lines: []string{"e1", "e2"}},
		// Filters.
		{args: names("-a", "--filter", "since=b"), lines: []string{"c", "e1", "e2"}},
		{args: names("-a", "--filter", "before=c"), lines: []string{"a", "b"}},
		{args: names("-a", "--filter", "exited=3"), lines: []string{"e2"}},
		{args: names("--filter", "status=created"), lines: []string{"a", "b", "c"}},
		{args: names("-a", "--filter", "id="+ids["b"][:8]), lines: []string{"b"}},
		{args: names("-a", "--filter", "until=1h"), lines: []string{}},
		{args: names("-a", "--filter", "health=healthy"), lines: []string{}},
		{args: names("-a", "--filter", "pod=nosuch"), lines: []string{}},
		{args: names("-a", "--filter", "volume=nosuch"), lines: []string{}},
		{args: names("-a", "--filter", "restart-policy=always"), lines: []string{}},
		{args: names("-a", "--filter", "label=nosuch"), lines: []string{}},
		// Tables.
		{args: []string{"ps", "-a", "--noheading", "--format", "table {{.Names}}"}, lines: []string{"a", "b", "c", "e1", "e2"}},
		{args: []string{"ps", "-l", "--no-trunc", "-q"}, lines: []string{ids["e2"]}},
		{args: []string{"ps", "-l", "--sync", "--format", "{{.Status}}"}, has: []string{"Exited (3) "}},
		{args: []string{"ps", "-l", "-p"}, has: []string{"NAMES       POD ID      PODNAME\n"}},
		{args: []string{"ps", "-l", "-s"}, has: []string{"NAMES       SIZE\n", "B (virtual "}},
		{args: []string{"ps", "-l", "--ns"}, has: []string{"CONTAINER ID  NAMES       PID         CGROUPNS    IPC         MNT         NET         PIDNS       USERNS      UTS\n"}},
		// The other verbs.
		{args: []string{"logs", "--names", "e1", "e2"}, lines: []string{"e1 hello1", "e2 hello2"}, anyOrder: true},
		{args: []string{"logs", "e1", "e2"}, lines: []string{ids["e1"][:12] + " hello1", ids["e2"][:12] + " hello2"}, anyOrder: true},
		{args: []string{"logs", "-l"}, lines: []string{"hello2"}},
		{args: []string{"logs", "--until", "1h", "e1"}, lines: []string{"hello1"}},
		{args: []string{"inspect", "-l", "--format", "{{.Name}}"}, lines: []string{"e2"}},
		{args: []string{"container", "inspect", "-l", "--format", "{{.Name}}"}, lines: []string{"e2"}},
		{args: []string{"inspect", "--type", "container", "alpine"}, code: 125, errorLine: []string{"alpine"}},
		{args: []string{"wait", "-l"}, lines: []string{"3"}},
		{args: []string{"wait", "--condition", "stopped", "--interval", "10", "e1"}, lines: []string{"0"}},
		{args: []string{"start", "--filter", "name=^b$"}, lines: []string{ids["b"]}},
		{args: []string{"wait", "--interval", "100ms", "b"}, lines: []string{"0"}},
		{args: []string{"stop", "--filter", "name=^c$"}, lines: []string{ids["c"]}},
		{args: []string{"rm", "--filter", "name=^c$"}, lines: []string{ids["c"]}},
		{args: names("-a", "--filter", "name=^c$"), lines: []string{}},
		{args: []string{"ps", "-a", "--format", "{{.Bogus}}"}, code: 125, errorLine: []string{"Bogus"}},
	})

	// inspect --size adds the sizes.
	r := e.MustPod(t, "inspect", "-s", "--format", "{{.SizeRw}} {{.SizeRootFs}}", "e1")
	if !regexp.MustCompile(`^\d+ [1-9]\d+$`).MatchString(r.Out()) {
		t.Errorf("inspect -s printed %q, want two sizes", r.Out())
	}

	// --cidfile and --latest of kill, stop and rm.
	id := e.MustPod(t, "run", "-d", "--name", "sleeper", "alpine", "sleep", "100").Out()
	cid := filepath.Join(e.Home, "cid")
	if err := os.WriteFile(cid, []byte(id+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runVerbCases(t, e, []verbCase{
		{args: []string{"kill", "-l", "-s", "CONT"}, lines: []string{id}},
		{args: []string{"kill", "--cidfile", cid, "-s", "CONT"}, lines: []string{id}},
		{args: []string{"stop", "-t", "0", "--cidfile", cid}, lines: []string{id}},
		{args: names("-a", "-l", "--filter", "status=exited"), lines: []string{"sleeper"}},
		{args: []string{"start", "-l"}, lines: []string{id}},
		{args: []string{"stop", "-t", "0", "-l"}, lines: []string{id}},
		{args: []string{"rm", "--cidfile", cid}, lines: []string{id}},
	})

	// rm --depend removes the containers that need the one named first.
	base := e.MustPod(t, "run", "-d", "--name", "base", "alpine", "sleep", "100").Out()
	dep := e.MustPod(t, "create", "--name", "dep", "--network", "container:base", "alpine", "true").Out()
	r = e.MustPod(t, "rm", "-f", "-t", "0", "--depend", "base")
	if got := r.Lines(); len(got) != 2 || !slices.Contains(got, dep) || !(slices.Contains(got, "base") || slices.Contains(got, base)) {
		t.Errorf("rm --depend base printed %q, want dep's id and base", got)
	}
	runVerbCases(t, e, []verbCase{{args: names("-a", "--filter", "name=^(base|dep)$"), lines: []string{}}})
}
