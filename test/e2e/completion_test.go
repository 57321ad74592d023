package e2e

import (
	"strings"
	"testing"
)

// completions runs the shells' completion request (`__complete`) and
// returns the candidates, without the directive line.
func completions(t *testing.T, e *Env, args ...string) []string {
	t.Helper()
	r := e.MustPod(t, append([]string{"__complete"}, args...)...)
	var out []string
	for _, l := range r.Lines() {
		if !strings.HasPrefix(l, ":") {
			c, _, _ := strings.Cut(l, "\t") // a description may follow
			out = append(out, c)
		}
	}
	return out
}

// TestCompletion: container and image names, --network values, --format
// fields and signal names complete dynamically, and `completion` prints
// the bash, zsh and fish scripts that ask for them.
func TestCompletion(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "compl")
	e.MustPod(t, "create", "--name", name, "alpine", "true")
	defer e.Pod(t, "rm", "-f", name)

	if got := completions(t, e, "start", name[:len(name)-2]); !contains(got, name) {
		t.Errorf("start %s… completes %q, want %s", name[:len(name)-2], got, name)
	}
	if got := completions(t, e, "container", "rm", ""); !contains(got, name) {
		t.Errorf("container rm completes %q, want %s", got, name)
	}
	if got := completions(t, e, "rmi", ""); !containsPrefix(got, "docker.io/library/alpine:") {
		t.Errorf("rmi completes %q, want the alpine image", got)
	}
	if got := completions(t, e, "run", "--network", ""); !contains(got, "host") || !contains(got, "none") || !contains(got, "slirp4netns") {
		t.Errorf("run --network completes %q, want host, none, slirp4netns", got)
	}
	if got := completions(t, e, "container", "inspect", "--format", "{{.State.St"); !contains(got, "{{.State.Status}}") || !containsPrefix(got, "{{.State.StartedAt") {
		t.Errorf("container inspect --format {{.State.St completes %q", got)
	}
	if got := completions(t, e, "ps", "--format", "{{.Na"); !contains(got, "{{.Names}}") {
		t.Errorf("ps --format {{.Na completes %q", got)
	}
	if got := completions(t, e, "kill", "--signal", ""); !containsSuffix(got, "KILL") || !containsSuffix(got, "HUP") {
		t.Errorf("kill --signal completes %q, want signal names", got)
	}
	for shell, marker := range map[string]string{"bash": "__start_", "zsh": "#compdef", "fish": "complete -c "} {
		out := e.MustPod(t, "completion", shell).Stdout
		if !strings.Contains(out, marker) || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: no %q or __complete in the script (%d bytes)", shell, marker, len(out))
		}
	}
	r := e.Pod(t, "completion", "tcsh")
	if r.ExitCode == 0 {
		t.Error("completion tcsh succeeded")
	}
}

// TestHelpExamples: verbs' --help shows an Examples section.
func TestHelpExamples(t *testing.T) {
	e := sharedEnv(t)
	for _, verb := range [][]string{{"run"}, {"ps"}, {"inspect"}, {"container", "stop"}, {"image", "rm"}, {"volume", "create"}, {"system", "prune"}} {
		out := e.MustPod(t, append(verb, "--help")...).Stdout
		i := strings.Index(out, "Examples:")
		if i < 0 || !strings.Contains(out[i:], verb[len(verb)-1]) {
			t.Errorf("%s --help has no Examples section:\n%s", strings.Join(verb, " "), out)
		}
	}
}

func containsSuffix(list []string, suffix string) bool {
	for _, s := range list {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
