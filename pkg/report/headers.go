package report

import (
	"reflect"
	"strings"
	"text/template/parse"
	"unicode"
	"unicode/utf8"
)

// HeaderText returns the default column header for a field name: the name
// split at camel-case boundaries, words joined with a space, upper-cased.
// "CreatedAt" gives "CREATED AT", "ImageID" gives "IMAGE ID", "ID" gives
// "ID".
func HeaderText(field string) string {
	return strings.ToUpper(strings.Join(splitCamelCase(field), " "))
}

// splitCamelCase splits s into runs of lower-case letters, upper-case
// letters, digits and other runes; an upper-case letter directly followed
// by lower-case letters starts a new word ("HTTPServer" gives "HTTP",
// "Server"). Invalid UTF-8 is returned as a single word.
func splitCamelCase(s string) []string {
	if !utf8.ValidString(s) {
		return []string{s}
	}
	var runs [][]rune
	last := -1
	for _, r := range s {
		var class int
		switch {
		case unicode.IsLower(r):
			class = 1
		case unicode.IsUpper(r):
			class = 2
		case unicode.IsDigit(r):
			class = 3
		default:
			class = 4
		}
		if class == last {
			runs[len(runs)-1] = append(runs[len(runs)-1], r)
		} else {
			runs = append(runs, []rune{r})
		}
		last = class
	}
	for i := 0; i+1 < len(runs); i++ {
		if unicode.IsUpper(runs[i][0]) && unicode.IsLower(runs[i+1][0]) {
			n := len(runs[i]) - 1
			runs[i+1] = append([]rune{runs[i][n]}, runs[i+1]...)
			runs[i] = runs[i][:n]
		}
	}
	words := make([]string, 0, len(runs))
	for _, r := range runs {
		if len(r) > 0 {
			words = append(words, string(r))
		}
	}
	return words
}

// headerMap builds the data the header row is rendered with: one entry per
// exported field and niladic exported method of the row type (embedded
// structs included) holding HeaderText of its name, then the overrides
// (upper-cased). When the row type is not a struct, the fields named in
// the template are used instead of the type's fields. A field a struct row
// type does not have stays absent, so the header shows "<no value>" and
// rendering the rows reports the error.
func headerMap(elem reflect.Type, overrides map[string]string, tree *parse.Tree) map[string]string {
	h := map[string]string{}
	for elem != nil && elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	if elem != nil && elem.Kind() == reflect.Struct {
		addStructHeaders(h, elem, 0)
	} else if tree != nil {
		for _, name := range templateFields(tree.Root) {
			h[name] = HeaderText(name)
		}
	}
	for k, v := range overrides {
		h[k] = strings.ToUpper(v)
	}
	return h
}

// addStructHeaders adds the exported fields and niladic exported methods of
// struct type t to h, descending into embedded structs.
func addStructHeaders(h map[string]string, t reflect.Type, depth int) {
	if depth > 8 {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addStructHeaders(h, ft, depth+1)
				continue
			}
		}
		if f.IsExported() {
			h[f.Name] = HeaderText(f.Name)
		}
	}
	pt := reflect.PointerTo(t)
	for i := range pt.NumMethod() {
		m := pt.Method(i)
		if m.Type.NumIn() == 1 && m.Type.NumOut() >= 1 && m.Type.NumOut() <= 2 {
			h[m.Name] = HeaderText(m.Name)
		}
	}
}

// templateFields returns the first identifier of every field reference
// (".Name" in ".Name.Sub") in the template tree, in order of appearance,
// without duplicates.
func templateFields(root parse.Node) []string {
	var names []string
	seen := map[string]bool{}
	add := func(idents []string) {
		if len(idents) > 0 && !seen[idents[0]] {
			seen[idents[0]] = true
			names = append(names, idents[0])
		}
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			add(n.Ident)
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	walk(root)
	return names
}
