package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmd/complete"
	"github.com/pod-engine/pod/pkg/cmd/root"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// podTree is pod's real command tree with its examples, as `make docs`
// renders it.
func podTree() *cobra.Command {
	cmd := root.NewCmdRoot(cmdutil.NewFactory("1.2.3"))
	complete.AddExamples(cmd)
	return cmd
}

// Every visible command of pod's tree gets a man page, and every verb's
// page has NAME, SYNOPSIS, DESCRIPTION, OPTIONS and EXAMPLES.
func TestManTree(t *testing.T) {
	cmd := podTree()
	dir := t.TempDir()
	n, err := writeTree(cmd, dir, manPages("1.2.3"))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		seen++
		name := dashedName(c) + ".1"
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("no page for %q: %v", c.CommandPath(), err)
			return
		}
		sections := []string{".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION"}
		if c.Runnable() && !c.HasAvailableSubCommands() {
			sections = append(sections, ".SH OPTIONS", ".SH EXAMPLES")
		}
		for _, s := range sections {
			if !bytes.Contains(data, []byte(s+"\n")) {
				t.Errorf("%s lacks %s", name, s)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
	if n != seen || n < 50 {
		t.Errorf("wrote %d pages for %d commands", n, seen)
	}

	run, err := os.ReadFile(filepath.Join(dir, "pod-run.1"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(run)
	for _, want := range []string{
		`.TH "POD-RUN" "1" "" "pod 1.2.3" "User Commands"`,
		`pod-run \- Run a command in a new container`, // whatis line
		`\fB--hostname\fP, \fB-h\fP=\fIstring\fP`,
		"pod run --rm alpine echo hello",
		`\fBpod\fP(1)`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("pod-run.1 lacks %q:\n%s", want, page)
		}
	}
	opts, _, _ := strings.Cut(page[strings.Index(page, ".SH OPTIONS"):], ".SH GLOBAL OPTIONS")
	if !strings.Contains(opts, "hostname") || strings.Contains(opts, `\fB--root\fP=`) {
		t.Errorf("OPTIONS of pod-run.1 must hold --hostname and not the global --root:\n%s", opts)
	}

	// The page renders without warnings where groff is installed.
	if _, err := exec.LookPath("groff"); err != nil {
		t.Log("groff not installed: render check left out")
		return
	}
	var stderr bytes.Buffer
	render := exec.Command("groff", "-man", "-Tascii", "-P-cbou", "-ww", filepath.Join(dir, "pod-run.1"))
	render.Stderr = &stderr
	text, err := render.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("groff: %v: %s", err, stderr.String())
	}
	for _, want := range []string{"NAME", "EXAMPLES", "--hostname"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("rendered pod-run.1 lacks %q", want)
		}
	}
}

// Text with markdown's special characters reaches the page as written.
func TestManMarkdownEscapes(t *testing.T) {
	c := &cobra.Command{Use: "pod", Short: "a <b> *c* _d_ [e] `f`", Run: func(*cobra.Command, []string) {}}
	c.Flags().String("format", "", "Go template such as {{.ID}} or <fmt>")
	out := string(md2manPage(c))
	for _, want := range []string{`a <b> *c* _d_ [e] `, `{{.ID}} or <fmt>`} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q:\n%s", want, out)
		}
	}
}

// md2manPage renders one command's man page.
func md2manPage(c *cobra.Command) []byte {
	return manPages("test").render(c)
}
