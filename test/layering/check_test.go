package layering

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

const module = "github.com/pod-engine/pod"

// pkgInfo is one package of the module as go list reports it: its direct
// imports and its transitive dependencies, test files excluded.
type pkgInfo struct {
	Imports []string
	Deps    []string
}

// kind is what a rule forbids.
type kind int

const (
	// mustNotDepend: no transitive dependency matches targets, apart from
	// those matching unless.
	mustNotDepend kind = iota
	// mustNotImport: no direct import matches targets, apart from those
	// matching unless.
	mustNotImport
	// importsOnly: every direct import is in the standard library or
	// matches targets.
	importsOnly
)

// rule is one row of the layering table. Patterns are import paths, exact
// ("pkg/spec") or with a "/..." suffix that matches the path itself and
// everything below it ("libpod/..."). A pattern whose first element has no
// dot is relative to the module; "..." alone is every package of the module.
type rule struct {
	name    string   // shown in every message about this rule
	pkgs    []string // the module packages the rule applies to
	except  []string // module packages exempt from the rule
	kind    kind
	targets []string
	unless  []string // exemptions from targets (mustNotDepend, mustNotImport)
}

// check returns one message per violation of rules in graph, which maps the
// import path of every package of the module to its imports and deps.
func check(graph map[string]pkgInfo, rules []rule) []string {
	var msgs []string
	for _, r := range rules {
		for _, pkg := range slices.Sorted(maps.Keys(graph)) {
			if !matchAny(r.pkgs, pkg) || matchAny(r.except, pkg) {
				continue
			}
			msgs = append(msgs, r.violations(graph, pkg)...)
		}
	}
	return msgs
}

func (r rule) violations(graph map[string]pkgInfo, pkg string) []string {
	info := graph[pkg]
	var msgs []string
	switch r.kind {
	case mustNotDepend:
		for _, d := range info.Deps {
			if matchAny(r.targets, d) && !matchAny(r.unless, d) {
				msgs = append(msgs, r.message(pkg, "depends on "+rel(d)+via(graph, info, d)))
			}
		}
	case mustNotImport:
		for _, d := range info.Imports {
			if matchAny(r.targets, d) && !matchAny(r.unless, d) {
				msgs = append(msgs, r.message(pkg, "imports "+rel(d)))
			}
		}
	case importsOnly:
		for _, d := range info.Imports {
			if !isStd(d) && !matchAny(r.targets, d) {
				msgs = append(msgs, r.message(pkg, "imports "+rel(d)+", which is not on its allow-list"))
			}
		}
	default:
		msgs = append(msgs, r.message(pkg, fmt.Sprintf("has unknown kind %d", r.kind)))
	}
	return msgs
}

func (r rule) message(pkg, what string) string {
	return fmt.Sprintf("%s %s [rule %q]", rel(pkg), what, r.name)
}

// via names the direct import of info through which it reaches dep, when
// that import is dep itself or a package of the module.
func via(graph map[string]pkgInfo, info pkgInfo, dep string) string {
	if slices.Contains(info.Imports, dep) {
		return ""
	}
	for _, imp := range info.Imports {
		if sub, ok := graph[imp]; ok && slices.Contains(sub.Deps, dep) {
			return " (through " + rel(imp) + ")"
		}
	}
	return ""
}

// match reports whether the import path matches pattern.
func match(pattern, path string) bool {
	pattern = abs(pattern)
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return path == pattern
}

func matchAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if match(p, path) {
			return true
		}
	}
	return false
}

// abs makes a module-relative pattern a full import path; "std:" marks a
// pattern of the standard library.
func abs(pattern string) string {
	if p, ok := strings.CutPrefix(pattern, "std:"); ok {
		return p
	}
	if pattern == "..." {
		return module + "/..."
	}
	if isStd(pattern) {
		return module + "/" + pattern
	}
	return pattern
}

// rel shortens a path of the module to its module-relative form.
func rel(path string) string {
	return strings.TrimPrefix(path, module+"/")
}

// isStd reports whether path is in the standard library: its first element
// has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
