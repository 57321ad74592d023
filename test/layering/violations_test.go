package layering

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// cleanEdges is a synthetic module that keeps every rule: each key imports
// its values. Keys are module-relative package paths; a value that is a key
// is a package of the module, any other value is a path outside it.
func cleanEdges() map[string][]string {
	return map[string][]string{
		"cmd/pod":                 {"pkg/cmd/root", "os"},
		"cmd/pod-monitor":         {"pkg/monitor", "os"},
		"cmd/pod-portfwd":         {"libpod/portfwd", "os"},
		"libpod/portfwd":          {"github.com/rootless-containers/rootlesskit/v2/pkg/port/builtin/parent", xsys + "/unix", "net"},
		"pkg/cmd/root":            {"libpod", "pkg/cmdutil", "pkg/cmd/container", cobra, "fmt"},
		"pkg/cmd/container":       {"libpod", "pkg/spec", "pkg/cmdutil", "pkg/report", cobra, pflag},
		"pkg/cmdutil":             {"libpod", "userns", logrus},
		"pkg/report":              {"text/tabwriter"},
		"libpod":                  {"libpod/define", "libpod/image", "pkg/spec", "pkg/ociruntime", "pkg/fsutil", "userns", storage, logrus},
		"libpod/define":           {"errors", "fmt"},
		"libpod/image":            {"libpod/define", image + "/copy", storage, logrus},
		"pkg/monitor":             {"pkg/monitor/protocol", "pkg/ociruntime", "pkg/fsutil", xsys + "/unix", "os"},
		"pkg/monitor/protocol":    {"encoding/json"},
		"pkg/ociruntime":          {"os/exec"},
		"pkg/fsutil":              {xsys + "/unix"},
		"pkg/procfs":              {"os"},
		"pkg/signals":             {"libpod/define", "syscall"},
		"pkg/ps":                  {"pkg/procfs", "libpod/define", "os"},
		"pkg/monitor/monitortest": {"os"},
		"libpod/events":           {"libpod/define", "pkg/fsutil", "encoding/json"},
		"userns":                  {"pkg/procfs", xsys + "/unix", "C"},
		"pkg/spec":                {"libpod/define", "pkg/monitor/protocol", "github.com/opencontainers/runtime-spec/specs-go"},
		"pkg/doctor":              {"userns", "pkg/ociruntime", "pkg/monitor/protocol", xsys + "/unix", "os"},
		"test/e2e":                {cobra, "os"},
		"pkg/cmd/gendocs":         {"pkg/cmd/root", md2man + "/md2man", cobra},

		// Outside the module: libraries that pull in cobra or logrus,
		// imported by nobody in the clean module.
		image + "/copy":                {storage, "github.com/opencontainers/go-digest"},
		storage:                        {logrus},
		cobra:                          {pflag},
		"github.com/example/cliwidget": {cobra},
		"github.com/example/logging":   {logrus},
	}
}

// violation is one import added to the clean module.
type violation struct{ from, to string }

// violations holds, for each rule name, the single import that breaks it.
func violations() map[string]violation {
	return map[string]violation{
		"cobra and pflag only in cmd/pod and pkg/cmd":                                                      {"pkg/report", "github.com/example/cliwidget"},
		"pkg/monitor imports only stdlib, x/sys, protocol, procfs, ociruntime, fsutil, netns":              {"pkg/monitor", "pkg/spec"},
		"pkg/netns imports only stdlib and x/sys":                                                          {"pkg/netns", "pkg/procfs"},
		"cmd/pod-monitor imports only stdlib, x/sys, monitor, protocol, ociruntime, fsutil":                {"cmd/pod-monitor", "userns"},
		"the monitor never links storage, image, logrus, cobra":                                            {"pkg/monitor", storage},
		"the monitor never links net":                                                                      {"pkg/monitor", "net"},
		"pkg/monitor/protocol is standard library only":                                                    {"pkg/monitor/protocol", xsys + "/unix"},
		"libpod/define is standard library only":                                                           {"libpod/define", logrus},
		"pkg/procfs is standard library only":                                                              {"pkg/procfs", xsys + "/unix"},
		"userns imports only stdlib, x/sys, procfs":                                                        {"userns", "pkg/spec"},
		"pkg/signals imports only stdlib and libpod/define":                                                {"pkg/signals", "pkg/spec"},
		"pkg/ps imports only stdlib, procfs and libpod/define":                                             {"pkg/ps", "pkg/spec"},
		"pkg/monitor/monitortest is standard library only":                                                 {"pkg/monitor/monitortest", "pkg/monitor/protocol"},
		"libpod/events imports only stdlib, libpod/define, pkg/fsutil":                                     {"libpod/events", "libpod"},
		"pkg/doctor imports only stdlib, x/sys, userns, procfs, ociruntime, protocol":                      {"pkg/doctor", "libpod"},
		"ociruntime and fsutil never link storage, image, logrus, cobra":                                   {"pkg/ociruntime", "github.com/example/logging"},
		"libpod never reaches into the CLI":                                                                {"libpod/image", "pkg/cmdutil"},
		"pkg/spec sits below libpod and the CLI":                                                           {"pkg/spec", "libpod"},
		"only libpod imports storage and image":                                                            {"pkg/cmd/container", storage},
		"nothing imports test/":                                                                            {"pkg/spec", "test/e2e"},
		"only libpod imports buildkit":                                                                     {"pkg/cmd/image", "github.com/moby/buildkit/frontend/dockerfile/parser"},
		"libpod/build never links storage or image":                                                        {"libpod/build", storage},
		"only pkg/cmd/gendocs links md2man":                                                                {"pkg/cmd/root", md2man + "/md2man"},
		"libpod/portfwd and cmd/pod-portfwd import only stdlib, x/sys, rootlesskit's port driver, portfwd": {"cmd/pod-portfwd", "pkg/spec"},
		"the port forwarder never links storage, image, logrus, cobra":                                     {"libpod/portfwd", "github.com/example/logging"},
	}
}

// buildGraph turns edges into what go list reports: the module's packages
// with their imports and transitive deps.
func buildGraph(edges map[string][]string) map[string]pkgInfo {
	full := func(p string) string {
		if _, ok := edges[p]; ok && isStd(p) {
			return module + "/" + p
		}
		return p
	}
	imports := map[string][]string{}
	for from, tos := range edges {
		for _, to := range tos {
			imports[full(from)] = append(imports[full(from)], full(to))
		}
	}
	graph := map[string]pkgInfo{}
	for from := range edges {
		if !isStd(from) {
			continue
		}
		pkg := full(from)
		graph[pkg] = pkgInfo{Imports: imports[pkg], Deps: closure(imports, pkg)}
	}
	return graph
}

// closure returns every package pkg reaches through imports, sorted.
func closure(imports map[string][]string, pkg string) []string {
	seen := map[string]bool{}
	stack := slices.Clone(imports[pkg])
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		stack = append(stack, imports[p]...)
	}
	delete(seen, pkg)
	deps := make([]string, 0, len(seen))
	for p := range seen {
		deps = append(deps, p)
	}
	slices.Sort(deps)
	return deps
}

func TestLayeringCleanGraph(t *testing.T) {
	for _, msg := range check(buildGraph(cleanEdges()), layeringRules()) {
		t.Errorf("clean synthetic module reported: %s", msg)
	}
}

func TestLayeringRulesCatchViolations(t *testing.T) {
	cases := violations()
	for _, r := range layeringRules() {
		v, ok := cases[r.name]
		if !ok {
			t.Errorf("rule %q has no violation case", r.name)
			continue
		}
		delete(cases, r.name)
		t.Run(r.name, func(t *testing.T) {
			edges := cleanEdges()
			edges[v.from] = append(edges[v.from], v.to)
			msgs := check(buildGraph(edges), layeringRules())
			named := slices.ContainsFunc(msgs, func(m string) bool {
				return strings.Contains(m, fmt.Sprintf("[rule %q]", r.name)) && strings.HasPrefix(m, v.from+" ")
			})
			if !named {
				t.Errorf("%s importing %s: no message names rule %q; got %q", v.from, v.to, r.name, msgs)
			}
		})
	}
	for name := range cases {
		t.Errorf("violation case %q matches no rule", name)
	}
}
