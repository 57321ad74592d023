package layering

import "testing"

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"...", module + "/libpod", true},
		{"...", "github.com/other/mod", false},
		{"libpod/...", module + "/libpod", true},
		{"libpod/...", module + "/libpod/define", true},
		{"libpod/...", module + "/libpodx", false},
		{"pkg/cmd/...", module + "/pkg/cmdutil", false},
		{"pkg/monitor", module + "/pkg/monitor/protocol", false},
		{storage + "/...", storage + "/drivers", true},
		{storage + "/...", storage + "x", false},
		{xsys + "/...", xsys + "/unix", true},
	} {
		if got := match(c.pattern, c.path); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestIsStd(t *testing.T) {
	for path, want := range map[string]bool{
		"os":                                    true,
		"C":                                     true,
		"vendor/golang.org/x/net/http/httpguts": true,
		"golang.org/x/sys/unix":                 false,
		module + "/libpod":                      false,
	} {
		if got := isStd(path); got != want {
			t.Errorf("isStd(%q) = %v, want %v", path, got, want)
		}
	}
}
