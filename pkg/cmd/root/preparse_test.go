package root

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// preparsePath is userns/preparse.h seen from this package's directory.
const preparsePath = "../../../userns/preparse.h"

// TestPreparseHeaderUpToDate checks that userns/preparse.h matches the
// command tree. With POD_UPDATE_PREPARSE=1 it rewrites the file instead.
func TestPreparseHeaderUpToDate(t *testing.T) {
	f, _, _ := testFactory()
	got := preparseHeader(NewCmdRoot(f))
	have, err := os.ReadFile(preparsePath)
	if os.Getenv("POD_UPDATE_PREPARSE") == "1" {
		if err == nil && bytes.Equal(have, got) {
			return
		}
		if err := os.WriteFile(preparsePath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", preparsePath)
		return
	}
	if err != nil {
		t.Fatalf("%v; generate it with %s", err, preparseCommand)
	}
	if !bytes.Equal(have, got) {
		t.Errorf("%s is out of date; regenerate it with\n\t%s\nit should read:\n%s", preparsePath, preparseCommand, got)
	}
}

func TestPreparseHeaderLists(t *testing.T) {
	root := &cobra.Command{Use: "x", Version: "1"}
	pf := root.PersistentFlags()
	pf.StringP("level", "l", "", "")
	pf.Int("count", 0, "")
	pf.Bool("debug", false, "")
	pf.String("color", "", "")
	pf.Lookup("color").NoOptDefVal = "auto"
	root.Flags().String("local", "", "")
	noun := &cobra.Command{Use: "sys", Aliases: []string{"s"}}
	noun.AddCommand(
		&cobra.Command{Use: "check", Aliases: []string{"chk"}, Annotations: map[string]string{noUsernsAnnotation: "true"}},
		&cobra.Command{Use: "show"},
	)
	root.AddCommand(
		&cobra.Command{Use: "run"},
		&cobra.Command{Use: "about", Aliases: []string{"ab"}, Annotations: map[string]string{noUsernsAnnotation: "true"}},
		noun,
	)
	h := string(preparseHeader(root))
	for _, want := range []string{
		"pod_value_flags[] = {\n\t\"--count\",\n\t\"--level\",\n\t\"-l\",\n\tNULL,\n};",
		"pod_no_userns_flags[] = {\n\t\"--help\",\n\t\"--version\",\n\t\"-h\",\n\t\"-v\",\n\tNULL,\n};",
		"pod_no_userns_commands[] = {\n\t\"ab\",\n\t\"about\",\n\t\"completion\",\n\t\"help\",\n\tNULL,\n};",
		"pod_no_userns_subcommands[] = {\n\t\"s check\",\n\t\"s chk\",\n\t\"sys check\",\n\t\"sys chk\",\n\tNULL,\n};",
		"pod_no_userns_prefixes[] = {\n\t\"__complete\",\n\tNULL,\n};",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks\n%s\nin\n%s", want, h)
		}
	}
}
