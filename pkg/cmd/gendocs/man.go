package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// manPages is section 1 of the manual: one roff page per command, named
// "pod-container-start.1", rendered from markdown by md2man. version
// goes in each page's footer.
func manPages(version string) format {
	return format{ext: ".1", render: func(c *cobra.Command) []byte {
		return md2man.Render(manMarkdown(c, version))
	}}
}

// manMarkdown is a command's man page in md2man's markdown: a title block,
// then NAME, SYNOPSIS, DESCRIPTION, COMMANDS (nouns), OPTIONS, GLOBAL
// OPTIONS, EXAMPLES and SEE ALSO.
func manMarkdown(c *cobra.Command, version string) []byte {
	var b bytes.Buffer
	name := dashedName(c)
	fmt.Fprintf(&b, "%% %q %q %q %q %q\n", strings.ToUpper(name), "1", "", "pod "+version, "User Commands")
	fmt.Fprintf(&b, "# NAME\n%s - %s\n\n", name, escapeMarkdown(c.Short))

	b.WriteString("# SYNOPSIS\n")
	if c.Runnable() && !c.HasAvailableSubCommands() {
		use := strings.TrimPrefix(useLine(c), c.CommandPath())
		fmt.Fprintf(&b, "**%s**%s\n\n", c.CommandPath(), escapeMarkdown(use))
	} else {
		fmt.Fprintf(&b, "**%s** *COMMAND*\n\n", c.CommandPath())
	}

	desc := strings.TrimSpace(c.Long)
	if desc == "" {
		desc = c.Short
	}
	fmt.Fprintf(&b, "# DESCRIPTION\n%s\n\n", escapeMarkdown(desc))
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "Aliases: %s\n\n", escapeMarkdown(strings.Join(c.Aliases, ", ")))
	}

	var subs []*cobra.Command
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && sub.Name() != "help" {
			subs = append(subs, sub)
		}
	}
	if len(subs) > 0 {
		b.WriteString("# COMMANDS\n")
		for _, sub := range subs {
			fmt.Fprintf(&b, "**%s**\n: %s (see **%s**(1))\n\n", sub.Name(), escapeMarkdown(sub.Short), dashedName(sub))
		}
	}

	if fs := c.NonInheritedFlags(); fs.HasAvailableFlags() {
		b.WriteString("# OPTIONS\n")
		manFlags(&b, fs)
	}
	if fs := c.InheritedFlags(); fs.HasAvailableFlags() && c.HasParent() {
		b.WriteString("# GLOBAL OPTIONS\n")
		manFlags(&b, fs)
	}
	if ex := strings.TrimRight(c.Example, "\n"); ex != "" {
		fmt.Fprintf(&b, "# EXAMPLES\n```\n%s\n```\n\n", ex)
	}

	var also []string
	if p := c.Parent(); p != nil {
		also = append(also, fmt.Sprintf("**%s**(1)", dashedName(p)))
	}
	for _, sub := range subs {
		also = append(also, fmt.Sprintf("**%s**(1)", dashedName(sub)))
	}
	if len(also) > 0 {
		fmt.Fprintf(&b, "# SEE ALSO\n%s\n", strings.Join(also, ", "))
	}
	return b.Bytes()
}

// manFlags writes each visible flag of fs as a definition list entry:
// "**--hostname**, **-h**=*name*" over its usage and default.
func manFlags(b *bytes.Buffer, fs *pflag.FlagSet) {
	fs.VisitAll(func(fl *pflag.Flag) {
		if fl.Hidden || fl.Deprecated != "" {
			return
		}
		fmt.Fprintf(b, "**--%s**", fl.Name)
		if fl.Shorthand != "" && fl.ShorthandDeprecated == "" {
			fmt.Fprintf(b, ", **-%s**", fl.Shorthand)
		}
		varname, usage := pflag.UnquoteUsage(fl)
		if varname != "" {
			fmt.Fprintf(b, "=*%s*", escapeMarkdown(varname))
		}
		if usage == "" {
			usage = "-"
		}
		fmt.Fprintf(b, "\n: %s", escapeMarkdown(usage))
		if hasDefault(fl) {
			fmt.Fprintf(b, " (default: %s)", escapeMarkdown(fl.DefValue))
		}
		b.WriteString("\n\n")
	})
}

// hasDefault reports whether a flag's default is worth printing: not the
// zero value of its type.
func hasDefault(fl *pflag.Flag) bool {
	switch fl.DefValue {
	case "", "false", "0", "[]", "<nil>", "0s":
		return false
	}
	return true
}

// escapeMarkdown backslash-escapes the characters markdown would read as
// emphasis, code, links, HTML or headings, so that text reaches the page
// as written.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
