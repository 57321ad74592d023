package cmdtest

import (
	"context"
	"io"
	"strings"

	"github.com/pod-engine/pod/libpod"
)

// FakeImageID is the image id the fake CommitContainer and ImportImage
// return.
const FakeImageID = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

// CommitContainer records "commit CONTAINER [IMAGE]", fails as Err says
// (keys "commit CONTAINER") or when the container is unknown, writes a
// progress line unless o.Progress is nil, and returns FakeImageID.
func (e *FakeEngine) CommitContainer(ctx context.Context, nameOrID, imageName string, o libpod.CommitOptions) (string, error) {
	if err := e.record(strings.TrimSpace("commit "+nameOrID+" "+imageName), nameOrID); err != nil {
		return "", err
	}
	if _, err := e.lookup(nameOrID); err != nil {
		return "", err
	}
	if o.Progress != nil {
		_, _ = io.WriteString(o.Progress, "Writing manifest to image destination\n")
	}
	return FakeImageID, nil
}

// ExportContainer records "export CONTAINER", fails as Err says or when
// the container is unknown, and writes "tar of CONTAINER" to w.
func (e *FakeEngine) ExportContainer(ctx context.Context, nameOrID string, w io.Writer) error {
	if err := e.record("export "+nameOrID, nameOrID); err != nil {
		return err
	}
	if _, err := e.lookup(nameOrID); err != nil {
		return err
	}
	_, err := io.WriteString(w, "tar of "+nameOrID)
	return err
}

// ImportImage records "import SOURCE [IMAGE]" (for "-", "import -:<what
// o.Stdin held>"), fails as Err says (keys "import SOURCE"), writes a
// progress line unless o.Progress is nil, and returns FakeImageID.
func (e *FakeEngine) ImportImage(ctx context.Context, source, imageName string, o libpod.ImportOptions) (string, error) {
	call := source
	if source == "-" && o.Stdin != nil {
		b, _ := io.ReadAll(o.Stdin)
		call += ":" + string(b)
	}
	if err := e.record(strings.TrimSpace("import "+call+" "+imageName), source); err != nil {
		return "", err
	}
	if o.Progress != nil {
		_, _ = io.WriteString(o.Progress, "Writing manifest to image destination\n")
	}
	return FakeImageID, nil
}
