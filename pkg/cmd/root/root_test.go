package root

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// run executes the root command as Main does, and returns the message Main
// would print and the exit code. Only arguments that never open the engine
// may be used here.
func run(t *testing.T, args ...string) (stdout, msg string, code int) {
	t.Helper()
	lvl := logrus.GetLevel()
	t.Cleanup(func() {
		logrus.SetLevel(lvl)
		logrus.SetOutput(os.Stderr)
	})
	f, out, _ := testFactory()
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if err == nil {
		return out.String(), "", 0
	}
	return out.String(), cmdutil.Message(err), cmdutil.ExitCode(err)
}

func TestNewCmdRootListsEveryVerb(t *testing.T) {
	f, _, _ := testFactory()
	cmd := NewCmdRoot(f)
	have := map[string]bool{}
	for _, c := range cmd.Commands() {
		have[c.Name()] = true
	}
	for _, verb := range []string{"create", "start", "run", "ps", "logs", "stop", "kill", "rm", "wait", "inspect",
		"pull", "images", "rmi", "tag", "untag", "history", "info", "version", "unshare", "container", "image", "cp", "events",
		"top", "diff", "mount", "unmount", "stats"} {
		if !have[verb] {
			t.Errorf("pod %s is missing", verb)
		}
	}
	for _, path := range []string{"container create", "container start", "container run", "container ls", "container list", "container ps",
		"container logs", "container stop", "container kill", "container rm", "container wait", "container inspect", "container cleanup",
		"image pull", "image ls", "image list", "image rm", "image inspect", "image tag", "image untag", "image history", "container cp",
		"container top", "container diff", "container mount", "container unmount", "container umount", "container stats"} {
		c, rest, err := cmd.Find(strings.Fields(path))
		if err != nil || len(rest) != 0 || c.Parent() == cmd {
			t.Errorf("pod %s is missing (%v)", path, err)
		}
	}
}

func TestRootHelpAndVersion(t *testing.T) {
	out, msg, code := run(t)
	if code != 0 || msg != "" {
		t.Fatalf("pod: code %d, message %q", code, msg)
	}
	for _, want := range []string{"Available Commands:", "Management Commands:", "run", "container"} {
		if !strings.Contains(out, want) {
			t.Errorf("help does not show %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cleanup") {
		t.Error("help shows the hidden cleanup command")
	}

	out, _, code = run(t, "--version")
	if code != 0 || out != "pod version "+Version+"\n" {
		t.Errorf("pod --version: code %d, output %q", code, out)
	}
	out, _, code = run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "Client:       Pod Engine\nVersion:      "+"test\n") {
		t.Errorf("pod version: code %d, output %q", code, out)
	}
}

func TestRootErrorsMapTo125(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantMsg  string
		wantHelp string // the help line, "" for none
	}{
		{"unknown command", []string{"bogus"}, "bogus", "pod"},
		{"unknown flag", []string{"--bogus"}, "--bogus", "pod"},
		{"unknown shorthand", []string{"-Z"}, "-Z", "pod"},
		{"unknown verb flag", []string{"ps", "--bogus"}, "--bogus", "pod ps"},
		{"bad flag value", []string{"ps", "--last", "x"}, "--last", "pod ps"},
		{"unknown noun verb flag", []string{"container", "ls", "--bogus"}, "--bogus", "pod container list"},
		{"unknown flag before verb", []string{"--bogus", "version"}, "--bogus", "pod"},
		{"missing image", []string{"run"}, "image", ""},
		{"missing container", []string{"stop"}, "stop", ""},
		{"unknown noun verb", []string{"container", "bogus"}, "bogus", ""},
		{"extra argument", []string{"version", "extra"}, "extra", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, msg, code := run(t, tt.args...)
			if code != 125 {
				t.Errorf("exit code %d, want 125 (message %q)", code, msg)
			}
			if !strings.HasPrefix(msg, "Error: ") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q does not name %q", msg, tt.wantMsg)
			}
			help := "\nSee '" + tt.wantHelp + " --help'"
			if tt.wantHelp != "" && !strings.HasSuffix(msg, help) {
				t.Errorf("message %q lacks the help line %q", msg, help)
			}
			if tt.wantHelp == "" && strings.Contains(msg, "\nSee '") {
				t.Errorf("message %q has a help line", msg)
			}
			if strings.Contains(out, "Version:") {
				t.Errorf("the verb ran despite the error: %q", out)
			}
		})
	}
}

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) { return cmdtest.Factory("test") }
