package image

import (
	"context"
	"testing"
	"time"

	v1 "github.com/opencontainers/image-spec/specs-go/v1"
)

// History lists the config's entries newest first: the newest carries the
// image id, the one that made the layer carries its size, the others
// <missing> and 0.
func TestHistory(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	t1, t2, t3 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)
	ti := buildImageWithHistory(t, "hello\n", []v1.History{
		{Created: &t1, CreatedBy: "ARG X", EmptyLayer: true},
		{Created: &t2, CreatedBy: "ADD hello /", Comment: "the layer"},
		{Created: &t3, CreatedBy: "CMD [\"/bin/sh\"]", EmptyLayer: true},
	})
	dir := t.TempDir()
	ti.writeLayout(t, dir, "hist")
	img, err := Pull(ctx, store, "oci:"+dir+":hist", PullOptions{System: testSystem(t, ""), Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	layer, err := store.Layer(img.TopLayer)
	if err != nil {
		t.Fatal(err)
	}
	got, err := History(ctx, store, img)
	if err != nil {
		t.Fatal(err)
	}
	want := []HistoryEntry{
		{ID: img.ID, Created: t3, CreatedBy: `CMD ["/bin/sh"]`},
		{ID: MissingID, Created: t2, CreatedBy: "ADD hello /", Comment: "the layer", Size: layer.UncompressedSize},
		{ID: MissingID, Created: t1, CreatedBy: "ARG X"},
	}
	if len(got) != len(want) {
		t.Fatalf("History = %+v", got)
	}
	if layer.UncompressedSize <= 0 {
		t.Fatalf("layer size %d", layer.UncompressedSize)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || !g.Created.Equal(w.Created) || g.CreatedBy != w.CreatedBy || g.Comment != w.Comment ||
			g.Size != w.Size || g.Tags == nil || len(g.Tags) != 0 {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}
}
