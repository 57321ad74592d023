package root

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmd/complete"
)

// Every verb's --help has an Examples section whose lines run pod (nouns,
// which only list their verbs, have none).
func TestEveryVerbHasExamples(t *testing.T) {
	f, _, _ := testFactory()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden && c.HasParent() && !c.HasSubCommands() {
			if c.Example == "" {
				t.Errorf("%s has no Examples", c.CommandPath())
			} else if first := strings.TrimSpace(strings.Split(c.Example, "\n")[0]); !strings.HasPrefix(first, "pod ") {
				t.Errorf("%s: example %q does not start with pod", c.CommandPath(), first)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root := NewCmdRoot(f)
	complete.AddExamples(root)
	walk(root)

	// Help shows them.
	out, _, code := run(t, "container", "stop", "--help")
	if code != 0 || !strings.Contains(out, "Examples:\n  pod container stop ") {
		t.Errorf("pod container stop --help: code %d\n%s", code, out)
	}
}
