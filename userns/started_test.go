package userns

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestStartedInside(t *testing.T) {
	tests := []struct {
		environ string
		want    bool
	}{
		{"HOME=/root\x00_POD_USERNS_CONFIGURED=1\x00", true},
		{"_POD_USERNS_CONFIGURED=1", true},
		{"HOME=/root\x00_POD_USERNS_CONFIGURED=\x00", false},
		{"X_POD_USERNS_CONFIGURED=1\x00", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := startedInside([]byte(tt.environ)); got != tt.want {
			t.Errorf("startedInside(%q) = %v, want %v", tt.environ, got, tt.want)
		}
	}
}

// The initial environment counts, not what the process set since.
func TestStartedInNamespaceReadsTheInitialEnvironment(t *testing.T) {
	if os.Getenv("POD_TEST_STARTED_CHILD") == "1" {
		os.Setenv("_POD_USERNS_CONFIGURED", "1")
		if StartedInNamespace() {
			os.Exit(3)
		}
		os.Exit(0)
	}
	if StartedInNamespace() && os.Getenv("_POD_USERNS_CONFIGURED") == "" {
		t.Fatal("a process started without _POD_USERNS_CONFIGURED reads as started inside")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStartedInNamespaceReadsTheInitialEnvironment$")
	cmd.Env = append(filterEnv(os.Environ(), "_POD_USERNS_CONFIGURED="), "POD_TEST_STARTED_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("a child that set the variable itself reads as started inside: %v\n%s", err, out)
	}
	cmd = exec.Command(os.Args[0], "-test.run=^TestStartedInNamespaceReadsTheInitialEnvironment$")
	cmd.Env = append(filterEnv(os.Environ(), "_POD_USERNS_CONFIGURED="), "POD_TEST_STARTED_CHILD=1", "_POD_USERNS_CONFIGURED=1")
	if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 3 {
		t.Errorf("a child started with _POD_USERNS_CONFIGURED=1 does not read as started inside: %v", err)
	}
}

func filterEnv(env []string, prefix string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, prefix) {
			out = append(out, kv)
		}
	}
	return out
}
