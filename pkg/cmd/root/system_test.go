package root

import (
	"strings"
	"testing"
)

func TestSystemVerbs(t *testing.T) {
	f, _, _ := testFactory()
	cmd := NewCmdRoot(f)
	for _, path := range []string{"system info", "system doctor", "system migrate", "system renumber", "doctor"} {
		c, rest, err := cmd.Find(strings.Fields(path))
		if err != nil || len(rest) != 0 || c == cmd {
			t.Errorf("pod %s is missing (%v)", path, err)
		}
	}
	out, msg, code := run(t, "system", "renumber")
	if code != 0 || msg != "" || out != "" {
		t.Errorf("pod system renumber: code %d, message %q, output %q", code, msg, out)
	}
}

// The verbs that never enter the namespace are in the pre-parser's lists.
func TestPreparseHeaderSystemVerbs(t *testing.T) {
	f, _, _ := testFactory()
	h := string(preparseHeader(NewCmdRoot(f)))
	for _, want := range []string{`"doctor",`, `"system doctor",`, `"system migrate",`, `"system renumber",`} {
		if !strings.Contains(h, want) {
			t.Errorf("userns/preparse.h lacks %s", want)
		}
	}
	if strings.Contains(h, `"system info"`) {
		t.Error("system info needs the namespace but is listed")
	}
}
