package cmdtest

import (
	"context"
	"strings"

	"github.com/pod-engine/pod/libpod"
)

// Build records "build CONTEXT TAG...", fails as Err says (key "build")
// and returns FakeImageID.
func (e *FakeEngine) Build(_ context.Context, o libpod.BuildOptions) (string, error) {
	if err := e.record(strings.TrimSpace("build " + o.ContextDir + " " + strings.Join(o.Tags, " "))); err != nil {
		return "", err
	}
	return FakeImageID, nil
}
