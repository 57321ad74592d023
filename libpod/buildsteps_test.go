package libpod

import (
	"reflect"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/pod-engine/pod/libpod/build"
)

// parseRun parses a one-stage Containerfile and returns its RUN commands.
func parseRun(t *testing.T, src string) []*instructions.RunCommand {
	t.Helper()
	f, err := build.Parse("Containerfile", []byte("FROM alpine\n"+src))
	if err != nil {
		t.Fatal(err)
	}
	var runs []*instructions.RunCommand
	for _, c := range f.Stages[0].Commands {
		if r, ok := c.(*instructions.RunCommand); ok {
			runs = append(runs, r)
		}
	}
	return runs
}

func TestRunArgv(t *testing.T) {
	sh := []string{"/bin/sh", "-c"}
	for _, tt := range []struct {
		name, src string
		want      []string
	}{
		{"shell form", "RUN echo $HOME > /x\n", []string{"/bin/sh", "-c", "echo $HOME > /x"}},
		{"exec form", "RUN [\"echo\", \"a b\"]\n", []string{"echo", "a b"}},
		{"lone heredoc is the script", "RUN <<EOF\necho one\necho two\nEOF\n", []string{"/bin/sh", "-c", "echo one\necho two\n"}},
		{"quoted lone heredoc", "RUN <<'EOF'\necho $X\nEOF\n", []string{"/bin/sh", "-c", "echo $X\n"}},
		{"heredocs of a command", "RUN <<A cat > /a && <<B cat > /b\nfirst\nA\nsecond\nB\n",
			[]string{"/bin/sh", "-c", "<<A cat > /a && <<B cat > /b\nfirst\nA\nsecond\nB"}},
		{"heredoc fed to a program", "RUN python3 <<EOF\nprint(1)\nEOF\n", []string{"/bin/sh", "-c", "python3 <<EOF\nprint(1)\nEOF"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			runs := parseRun(t, tt.src)
			if len(runs) != 1 {
				t.Fatalf("%d RUNs", len(runs))
			}
			if got := runArgv(sh, runs[0]); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("runArgv = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRunNetwork(t *testing.T) {
	runs := parseRun(t, "RUN true\nRUN --network=none true\nRUN --network=host true\n")
	for i, want := range []string{"bridge-ish", "none", "host"} {
		got, err := runNetwork("bridge-ish", runs[i])
		if err != nil || got != want {
			t.Errorf("RUN %d: network %q, %v; want %q", i, got, err, want)
		}
	}
	if got, _ := runNetwork("", runs[0]); got != "" {
		t.Errorf("default network %q, want the default (\"\")", got)
	}
}
