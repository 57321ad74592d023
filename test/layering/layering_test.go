package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestLayering checks every package of the module against the rules of
// layeringRules (docs/design.md, section "Layering").
func TestLayering(t *testing.T) {
	graph, broken, err := loadGraph(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range broken {
		t.Errorf("go list cannot read all imports of %s", msg)
	}
	if _, ok := graph[module+"/libpod"]; !ok {
		t.Fatalf("go list found no %s/libpod among %d packages: not run from test/layering?", module, len(graph))
	}
	for _, r := range layeringRules() {
		if !appliesToAny(graph, r) {
			t.Logf("rule %q applies to no package of the module today", r.name)
		}
	}
	for _, msg := range check(graph, layeringRules()) {
		t.Error(msg)
	}
}

func appliesToAny(graph map[string]pkgInfo, r rule) bool {
	for pkg := range graph {
		if matchAny(r.pkgs, pkg) && !matchAny(r.except, pkg) {
			return true
		}
	}
	return false
}

// listed is the part of go list -json that loadGraph reads.
type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Error      *struct{ Err string }
}

// loadGraph runs go list once in the module root dir and returns every
// package of the module with its direct imports and transitive deps, and
// one message per package go list could not load completely.
func loadGraph(dir string) (map[string]pkgInfo, []string, error) {
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Deps,Error", module+"/...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("go list in %s: %w: %s", dir, err, bytes.TrimSpace(stderr.Bytes()))
	}
	graph := map[string]pkgInfo{}
	var broken []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("decoding go list output: %w", err)
		}
		if p.Error != nil {
			broken = append(broken, rel(p.ImportPath)+": "+p.Error.Err)
		}
		graph[p.ImportPath] = pkgInfo{Imports: p.Imports, Deps: p.Deps}
	}
	return graph, broken, nil
}
