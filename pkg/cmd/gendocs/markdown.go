package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/fsutil"
)

// format is one kind of page: the file name ending and how a command is
// rendered.
type format struct {
	ext    string
	render func(*cobra.Command) []byte
}

// markdown is the reference under docs/cli.
func markdown() format { return format{ext: ".md", render: page} }

// fileName is a command's file: "pod-container-start.md".
func (f format) fileName(c *cobra.Command) string {
	return dashedName(c) + f.ext
}

// dashedName is a command's path with dashes: "pod-container-start".
func dashedName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "-")
}

// pageName is a command's markdown file: "pod-container-start.md".
func pageName(c *cobra.Command) string {
	return markdown().fileName(c)
}

// writeTree writes a page in format f for root and every visible command
// below it into dir (created), and returns how many. Pages of commands
// that no longer exist are removed.
func writeTree(root *cobra.Command, dir string, f format) (int, error) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	want := map[string]bool{}
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		if c.Hidden || c.Name() == "help" {
			return nil
		}
		c.InitDefaultHelpFlag()
		name := f.fileName(c)
		want[name] = true
		if err := fsutil.WriteFileAtomic(filepath.Join(dir, name), f.render(c), 0o644); err != nil {
			return err
		}
		for _, sub := range c.Commands() {
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return 0, err
	}
	old, _ := filepath.Glob(filepath.Join(dir, root.Name()+"*"+f.ext))
	for _, p := range old {
		if !want[filepath.Base(p)] {
			_ = os.Remove(p)
		}
	}
	return len(want), nil
}

// useLine is the command's usage line; cobra's "[flags]" is left off when
// the usage already names "[options]".
func useLine(c *cobra.Command) string {
	line := c.UseLine()
	if strings.Contains(c.Use, "[options]") {
		line = strings.Replace(line, " [flags]", "", 1)
	}
	return line
}

// page renders one command: name and summary, synopsis, description,
// examples, options, inherited options and links to its parent and
// subcommands.
func page(c *cobra.Command) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", c.CommandPath(), c.Short)
	if c.Runnable() {
		fmt.Fprintf(&b, "## Synopsis\n\n```\n%s\n```\n\n", useLine(c))
	}
	if c.Long != "" {
		fmt.Fprintf(&b, "## Description\n\n%s\n\n", strings.TrimSpace(c.Long))
	}
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "Aliases: %s\n\n", strings.Join(c.Aliases, ", "))
	}
	if c.Example != "" {
		fmt.Fprintf(&b, "## Examples\n\n```\n%s\n```\n\n", c.Example)
	}
	if fs := c.NonInheritedFlags(); fs.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Options\n\n```\n%s```\n\n", fs.FlagUsages())
	}
	if fs := c.InheritedFlags(); fs.HasAvailableFlags() && c.HasParent() {
		fmt.Fprintf(&b, "## Global options\n\n```\n%s```\n\n", fs.FlagUsages())
	}
	var links []string
	if p := c.Parent(); p != nil {
		links = append(links, fmt.Sprintf("- [%s](%s): %s", p.CommandPath(), pageName(p), p.Short))
	}
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && sub.Name() != "help" {
			links = append(links, fmt.Sprintf("- [%s](%s): %s", sub.CommandPath(), pageName(sub), sub.Short))
		}
	}
	if len(links) > 0 {
		fmt.Fprintf(&b, "## See also\n\n%s\n", strings.Join(links, "\n"))
	}
	return b.Bytes()
}
