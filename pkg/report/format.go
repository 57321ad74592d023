package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
)

// NormalizeFormat turns a user --format string into the text of a row
// template.
//
//   - isJSON is true when the format asks for JSON output: "json" or
//     "{{json .}}" alone (surrounding white space and the spacing inside the
//     braces do not matter; the keyword is lower-case). tmpl is then f
//     unchanged and the caller is expected to print JSON instead of
//     rendering a template.
//   - isTable is true when f starts with "table ". The keyword is removed,
//     and every literal space in the rest becomes a column separator (tab),
//     so "table {{.ID}} {{.Names}}" has two columns.
//   - The two-character sequences `\t` and `\n` become a tab and a newline.
//   - A newline is appended unless the result already ends with one, so
//     every row ends a line.
//
// The format "table" without anything after it is not a table format; it
// renders as the literal word.
func NormalizeFormat(f string) (tmpl string, isTable bool, isJSON bool) {
	if isJSONFormat(f) {
		return f, false, true
	}
	var r *strings.Replacer
	if strings.HasPrefix(f, "table ") {
		isTable = true
		r = strings.NewReplacer("table ", "", `\t`, "\t", " ", "\t", `\n`, "\n")
	} else {
		r = strings.NewReplacer(`\t`, "\t", `\n`, "\n")
	}
	tmpl = r.Replace(f)
	if !strings.HasSuffix(tmpl, "\n") {
		tmpl += "\n"
	}
	return tmpl, isTable, false
}

// isJSONFormat reports whether f is "json" or "{{json .}}", allowing white
// space around the whole and inside the braces, and "{{json}}".
func isJSONFormat(f string) bool {
	t := trimSpaceASCII(f)
	if t == "json" {
		return true
	}
	if !strings.HasPrefix(t, "{{") || !strings.HasSuffix(t, "}}") || len(t) < 4 {
		return false
	}
	inner := trimSpaceASCII(t[2 : len(t)-2])
	rest, ok := strings.CutPrefix(inner, "json")
	if !ok {
		return false
	}
	rest = trimSpaceASCII(rest)
	return rest == "" || rest == "."
}

// trimSpaceASCII removes leading and trailing spaces, tabs, newlines, form
// feeds and carriage returns.
func trimSpaceASCII(s string) string {
	return strings.Trim(s, " \t\n\f\r")
}

// enforceRange wraps a normalised row template in {{range .}}...{{end -}}
// so it is applied to every row, unless the user already wrote a
// {{range .}} ... {{end}} pair.
func enforceRange(tmpl string) string {
	if hasRange(tmpl) {
		return tmpl
	}
	return "{{range .}}" + tmpl + "{{end -}}"
}

// hasRange reports whether s contains "{{range .}}" followed later by
// "{{end}}" or "{{end -}}", with optional white space inside the braces.
func hasRange(s string) bool {
	for i := 0; i < len(s); i++ {
		end, ok := matchAction(s, i, "range", ".")
		if !ok {
			continue
		}
		for j := end; j < len(s); j++ {
			if _, ok := matchAction(s, j, "end"); ok {
				return true
			}
			if _, ok := matchAction(s, j, "end", "-"); ok {
				return true
			}
		}
		return false
	}
	return false
}

// matchAction reports whether s[i:] starts with "{{", the given words each
// preceded by optional white space, optional white space and "}}". It
// returns the index just past the closing braces.
func matchAction(s string, i int, words ...string) (int, bool) {
	if !strings.HasPrefix(s[i:], "{{") {
		return 0, false
	}
	i += 2
	skip := func() {
		for i < len(s) && strings.IndexByte(" \t\n\f\r", s[i]) >= 0 {
			i++
		}
	}
	for _, w := range words {
		skip()
		if !strings.HasPrefix(s[i:], w) {
			return 0, false
		}
		i += len(w)
	}
	skip()
	if !strings.HasPrefix(s[i:], "}}") {
		return 0, false
	}
	return i + 2, true
}

// FuncMap returns the functions available to --format templates:
//
//	json      compact JSON encoding of the argument, HTML characters kept
//	lower     strings.ToLower
//	upper     strings.ToUpper
//	title     upper-case the first letter of every word
//	join      strings.Join(list, sep)
//	split     strings.Split(s, sep)
//	truncate  the first n characters of s
//	pad       s with n spaces before and m spaces after (empty s stays empty)
//	trim      strings.TrimSpace
//
// A new map is returned on every call.
func FuncMap() template.FuncMap {
	return template.FuncMap{
		"json":     jsonFunc,
		"lower":    strings.ToLower,
		"upper":    strings.ToUpper,
		"title":    titleCase,
		"join":     strings.Join,
		"split":    strings.Split,
		"truncate": truncate,
		"pad":      pad,
		"trim":     strings.TrimSpace,
	}
}

// jsonFunc encodes v as compact JSON without escaping <, > and &.
func jsonFunc(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("json: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// truncate returns the first n characters (runes) of s, or s when it is
// shorter. A negative n yields the empty string.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// pad surrounds s with before leading and after trailing spaces; an empty
// s stays empty.
func pad(s string, before, after int) string {
	if s == "" {
		return s
	}
	return strings.Repeat(" ", max(before, 0)) + s + strings.Repeat(" ", max(after, 0))
}
