package e2e

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// topRows runs top with the descriptors and returns its rows split into
// cells; the last column (a command) may hold spaces and is kept whole.
func (e *Env) topRows(t *testing.T, ctr string, descriptors ...string) (header []string, rows [][]string) {
	t.Helper()
	r := e.MustPod(t, append([]string{"top", ctr}, descriptors...)...)
	lines := strings.Split(strings.TrimRight(r.Stdout, "\n"), "\n")
	header = strings.Fields(lines[0])
	n := len(header)
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < n {
			t.Fatalf("top row %q has fewer than %d cells: %s", l, n, r.describe())
		}
		rows = append(rows, append(f[:n-1:n-1], strings.Join(f[n-1:], " ")))
	}
	return header, rows
}

func TestTop(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "top")
	e.MustPod(t, "run", "-d", "--name", name, "--user", "1234:5678", "alpine", "sh", "-c", "echo ready; sleep 1000 & sleep 2000 & wait")
	e.waitLog(t, name, "ready")

	// podman's default columns; pids are the container's.
	header, rows := e.topRows(t, name)
	if strings.Join(header, " ") != "USER PID PPID %CPU ELAPSED TTY TIME COMMAND" {
		t.Errorf("default header %q", header)
	}
	if len(rows) != 3 {
		t.Fatalf("top shows %d processes, want sh and its two sleeps: %q", len(rows), rows)
	}
	if r := rows[0]; r[0] != "1234" || r[1] != "1" || r[2] != "0" || r[5] != "?" || r[6] != "0s" ||
		r[7] != "sh -c echo ready; sleep 1000 & sleep 2000 & wait" || !regexp.MustCompile(`^\d+\.\d{3}$`).MatchString(r[3]) {
		t.Errorf("the container's init: %q", r)
	}
	if d, err := time.ParseDuration(rows[0][4]); err != nil || d <= 0 || d > 5*time.Minute {
		t.Errorf("ELAPSED %q: %v", rows[0][4], err)
	}
	for _, r := range rows[1:] {
		if r[2] != "1" || (r[7] != "sleep 1000" && r[7] != "sleep 2000") {
			t.Errorf("a child of the init: %q", r)
		}
	}

	// Host views: hpid is the host's pid, huser and hgroup the host's ids,
	// checked against /proc on the host.
	header, rows = e.topRows(t, name, "pid,hpid", "huser", "hgroup", "group", "args")
	if strings.Join(header, " ") != "PID HPID HUSER HGROUP GROUP COMMAND" {
		t.Errorf("header %q", header)
	}
	for _, r := range rows {
		status, err := os.ReadFile("/proc/" + r[1] + "/status")
		if err != nil {
			t.Errorf("hpid %s is no host process: %v", r[1], err)
			continue
		}
		uid := regexp.MustCompile(`(?m)^Uid:\s+\d+\s+(\d+)`).FindSubmatch(status)
		gid := regexp.MustCompile(`(?m)^Gid:\s+\d+\s+(\d+)`).FindSubmatch(status)
		if uid == nil || string(uid[1]) != r[2] || gid == nil || string(gid[1]) != r[3] || r[2] == "1234" || r[4] != "5678" {
			t.Errorf("row %q: the host says uid %s gid %s", r, uid, gid)
		}
		cmdline, _ := os.ReadFile("/proc/" + r[1] + "/cmdline")
		if got := strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " ")); got != r[5] {
			t.Errorf("row %q: the host's command line is %q", r, got)
		}
	}

	// AIX codes, and names from the container's /etc/passwd.
	tty := e.CtrName(t, "toptty")
	e.MustPod(t, "run", "-d", "-t", "--name", tty, "--user", "nobody", "alpine", "sleep", "1000")
	header, rows = e.topRows(t, tty, "%p", "%U", "%y", "%c")
	if strings.Join(header, " ") != "PID USER TTY COMMAND" || len(rows) != 1 ||
		strings.Join(rows[0], " ") != "1 nobody pts/0 sleep" {
		t.Errorf("top %%p %%U %%y %%c: %q %q", header, rows)
	}
	header, _ = e.topRows(t, tty, "-eo", "pid,comm")
	if strings.Join(header, " ") != "PID COMMAND" {
		t.Errorf("top -eo pid,comm: header %q", header)
	}
	if r := e.MustPod(t, "container", "top", tty, "capeff"); !strings.HasPrefix(r.Stdout, "EFFECTIVE CAPS") {
		t.Errorf("container top capeff: %s", r.describe())
	}

	// Errors: one line, exit 125.
	created := e.CtrName(t, "topc")
	e.MustPod(t, "create", "--name", created, "alpine", "true")
	r := e.Pod(t, "top", created)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "top can only be used on running containers")
	r = e.Pod(t, "top", "nope-no-such")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "nope-no-such")
	r = e.Pod(t, "top")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "container")
	r = e.Pod(t, "top", tty, "pid", "bogus")
	if cfg.podman {
		expectExit(t, r, 0) // podman runs ps(1) in the container for what psgo does not know
	} else {
		expectExit(t, r, 125)
		expectErrorLine(t, r, `unknown descriptor "bogus"`, tty)
	}
}
