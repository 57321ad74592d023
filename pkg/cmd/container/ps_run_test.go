package container

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
)

// psEngine holds, newest first: fresh (created), web (running), old
// (exited 1, label app=db).
func psEngine() *cmdtest.FakeEngine {
	now := time.Now()
	web := cmdtest.FakeContainer("web", "aa", define.StatusRunning)
	web.Config.Created, web.State.StartedAt, web.State.Pid = now.Add(-3*time.Hour), now.Add(-130*time.Minute), 42
	old := cmdtest.FakeContainer("old", "bb", define.StatusExited)
	old.Config.Created, old.State.StartedAt, old.State.FinishedAt = now.Add(-4*time.Hour), now.Add(-4*time.Hour), now.Add(-2*time.Hour)
	old.State.ExitCode, old.Config.Labels = 1, map[string]string{"app": "db"}
	fresh := cmdtest.FakeContainer("fresh", "cc", define.StatusCreated)
	fresh.Config.Created = now.Add(-time.Minute)
	fresh.Config.Command = []string{"echo", "hi"}
	return &cmdtest.FakeEngine{Containers: []*libpod.Container{old, web, fresh}}
}

var columns = regexp.MustCompile(`\s{2,}`)

// cells splits a table line into its cells (empty cells vanish).
func cells(line string) []string { return columns.Split(strings.TrimSpace(line), -1) }

func TestRunPsDefault(t *testing.T) {
	e := psEngine()
	out, errOut, err := runFake(e, NewCmdPs)
	if err != nil || errOut != "" {
		t.Fatalf("ps: error %v, stderr %q", err, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("ps printed %q, want a header and web only", out)
	}
	if got, want := strings.Join(cells(lines[0]), "|"), "CONTAINER ID|IMAGE|COMMAND|CREATED|STATUS|PORTS|NAMES"; got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	// PORTS is empty, so it vanishes from the cells of a row.
	if got, want := strings.Join(cells(lines[1]), "|"),
		"aaaaaaaaaaaa|docker.io/library/alpine:latest|sleep 100|3 hours ago|Up 2 hours ago|web"; got != want {
		t.Errorf("row %q, want %q", got, want)
	}
	// Columns line up: every cell of the row starts where its header does.
	for _, h := range []string{"IMAGE", "COMMAND", "NAMES"} {
		i := strings.Index(lines[0], h)
		if i < 0 || i >= len(lines[1]) || lines[1][i-1] != ' ' || lines[1][i] == ' ' {
			t.Errorf("column %s at %d is not aligned:\n%s\n%s", h, i, lines[0], lines[1])
		}
	}
}

func TestRunPsFormats(t *testing.T) {
	full := func(c string) string { return strings.Repeat(c, 64) }
	tests := []struct {
		name string
		args []string
		out  string
	}{
		{"quiet", []string{"-q"}, "aaaaaaaaaaaa\n"},
		{"quiet all", []string{"-qa"}, "bbbbbbbbbbbb\naaaaaaaaaaaa\ncccccccccccc\n"},
		{"quiet no-trunc", []string{"--no-trunc", "-q"}, full("a") + "\n"},
		{"names", []string{"--format", "{{.Names}}"}, "web\n"},
		{"names all", []string{"-a", "--format", "{{.Names}}"}, "old\nweb\nfresh\n"},
		{"id no-trunc", []string{"--no-trunc", "--format", "{{.ID}} {{.Command}}"}, full("a") + " sleep 100\n"},
		{"status", []string{"-a", "--format", "{{.Names}} {{.State}} {{.ExitCode}} {{.Status}}"},
			"old exited 1 Exited (1) 2 hours ago\nweb running 0 Up 2 hours ago\nfresh created 0 Created\n"},
		{"table", []string{"--format", "table {{.Names}} {{.State}}"}, "NAMES       STATE\nweb         running\n"},
		{"filter status", []string{"-a", "-f", "status=exited", "--format", "{{.Names}}"}, "old\n"},
		{"filter label", []string{"-a", "-f", "label=app", "--format", "{{.Names}}"}, "old\n"},
		{"filter name", []string{"-a", "-f", "name=^(web|fresh)$", "--format", "{{.Names}}"}, "web\nfresh\n"},
		{"last 1", []string{"-n", "1", "--format", "{{.Names}}"}, "fresh\n"},
		{"last 2", []string{"--last=2", "-q"}, "aaaaaaaaaaaa\ncccccccccccc\n"},
		{"none running", []string{"-f", "name=old", "-q"}, ""},
		{"latest", []string{"-l", "-q"}, "cccccccccccc\n"},
		{"sort names", []string{"-a", "--sort", "names", "--format", "{{.Names}}"}, "fresh\nold\nweb\n"},
		{"sort status", []string{"-a", "--sort", "status", "--format", "{{.Names}}"}, "fresh\nold\nweb\n"},
		{"noheading", []string{"--noheading", "--format", "table {{.Names}}"}, "web\n"},
		{"pod columns", []string{"-p", "--noheading", "--format", "table {{.Names}}\t{{.Pod}}|{{.PodName}}|"}, "web         ||\n"},
		{"size", []string{"-s", "--format", "{{.Names}} {{.Size}}"}, "web 4.1kB (virtual 7MB)\n"},
		{"filter since", []string{"-a", "-f", "since=old", "--format", "{{.Names}}"}, "web\nfresh\n"},
		{"filter before", []string{"-a", "-f", "before=fresh", "--format", "{{.Names}}"}, "old\nweb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runFake(psEngine(), NewCmdPs, tt.args...)
			if err != nil || errOut != "" {
				t.Fatalf("ps %q: error %v, stderr %q", tt.args, err, errOut)
			}
			if out != tt.out {
				t.Errorf("ps %q printed %q, want %q", tt.args, out, tt.out)
			}
		})
	}
}

// A status filter looks at every container, as in podman and docker: `ps
// -f status=exited` lists the exited ones without -a.
func TestRunPsStatusFilterImpliesAll(t *testing.T) {
	out, _, err := runFake(psEngine(), NewCmdPs, "-f", "status=exited", "--format", "{{.Names}}")
	if err != nil || out != "old\n" {
		t.Errorf("ps -f status=exited: error %v, stdout %q, want old", err, out)
	}
}

func TestRunPsJSON(t *testing.T) {
	out, _, err := runFake(psEngine(), NewCmdPs, "-a", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("ps --format json is not JSON: %v\n%s", err, out)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3:\n%s", len(rows), out)
	}
	web := rows[1]
	want := map[string]any{
		"Id": strings.Repeat("a", 64), "Names": []any{"web"}, "State": "running", "Image": "docker.io/library/alpine:latest",
		"Command": []any{"sleep", "100"}, "ExitCode": float64(0), "Exited": false, "Pid": float64(42), "Status": "Up 2 hours ago",
	}
	for k, v := range want {
		if fmt.Sprint(web[k]) != fmt.Sprint(v) {
			t.Errorf("web's %s = %v, want %v", k, web[k], v)
		}
	}
	if old := rows[0]; old["Exited"] != true || old["ExitCode"] != float64(1) || fmt.Sprint(old["Labels"]) != "map[app:db]" {
		t.Errorf("old: %v", old)
	}
}

// Unreadable containers are reported on stderr; the others are listed and
// the command succeeds.
func TestRunPsBadContainers(t *testing.T) {
	e := psEngine()
	e.Bad = []error{fmt.Errorf("container dd: state file is corrupt: %w", define.ErrCorruptState)}
	out, errOut, err := runFake(e, NewCmdPs, "-q")
	if err != nil {
		t.Errorf("ps with an unreadable container: %v", err)
	}
	if out != "aaaaaaaaaaaa\n" {
		t.Errorf("stdout %q", out)
	}
	if errOut != "Error: container dd: state file is corrupt: corrupt state file\n" {
		t.Errorf("stderr %q", errOut)
	}
}

func TestRunPsListError(t *testing.T) {
	e := psEngine()
	e.Err = map[string]error{"list": fmt.Errorf("list containers: permission denied")}
	out, _, err := runFake(e, NewCmdPs)
	if err == nil || out != "" {
		t.Errorf("ps with a failing list: error %v, stdout %q", err, out)
	}
	checkCode(t, err, 125)
}

// --external adds the storage containers that are not pod's, in the order
// of their creation with pod's.
func TestRunPsExternal(t *testing.T) {
	e := &cmdtest.FakeEngine{
		Containers: []*libpod.Container{cmdtest.FakeContainer("web", "ab", define.StatusRunning)},
		External: []libpod.ExternalContainer{{ID: strings.Repeat("cd", 32), Names: []string{"buildctr"}, Image: "docker.io/library/alpine:latest",
			Created: time.Now().Add(-time.Hour), Creator: "storage"}},
	}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdPs(f, nil), []string{"--external", "--format", "{{.Names}} {{.Command}} {{.Status}}"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); !strings.HasPrefix(got, "buildctr storage Storage\nweb ") {
		t.Errorf("ps --external printed %q", got)
	}
	out.Reset()
	if err := cmdtest.Execute(NewCmdPs(f, nil), []string{"--external", "-q", "-f", "name=build"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != strings.Repeat("cd", 6) {
		t.Errorf("ps --external -q -f name=build printed %q", got)
	}
	out.Reset()
	if err := cmdtest.Execute(NewCmdPs(f, nil), []string{"-q"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "cdcd") {
		t.Errorf("ps without --external listed a storage container: %q", out.String())
	}
}
