package libpod

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

// Parallel replacing creates of one name all succeed, and exactly one
// container keeps the name.
func TestCreateOrReplaceParallel(t *testing.T) {
	r := testRuntime(t)
	ctx := context.Background()
	if _, err := r.createOrReplace(ctx, &ContainerConfig{Name: "x", NetworkMode: "none"}, false); err != nil {
		t.Fatal(err)
	}
	// Without replace the name is taken.
	if _, err := r.createOrReplace(ctx, &ContainerConfig{Name: "x", NetworkMode: "none"}, false); !errors.Is(err, define.ErrNameInUse) {
		t.Fatalf("create of a taken name: %v", err)
	}
	const n = 8
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := r.createOrReplace(ctx, &ContainerConfig{Name: "x", NetworkMode: "none"}, true)
			errs[i] = err
			if err == nil {
				ids[i] = c.ID()
			}
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replacing create %d: %v", i, err)
		}
	}
	left, err := r.containerIDs()
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, id := range left {
		if r.containerExists(id) {
			live = append(live, id)
		}
	}
	holder, _ := os.ReadFile(r.namePath("x"))
	if len(live) != 1 || strings.TrimSpace(string(holder)) != live[0] {
		t.Fatalf("containers %q, name x held by %q: want exactly one, holding the name", live, holder)
	}
	if store, err := r.getStore(); err == nil {
		if cs, err := store.Containers(); err != nil || len(cs) != 1 {
			t.Errorf("storage containers %d (%v), want 1", len(cs), err)
		}
	}
	if ents, _ := os.ReadDir(filepath.Join(r.cfg.StaticDir, "names")); len(ents) != 2 { // x and .tmp
		t.Errorf("names %v", ents)
	}
}
