package cmdtest

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pod-engine/pod/libpod/image"
)

// SaveImages records "save FORMAT OUTPUT [multi] [quiet] IMAGE..." (OUTPUT
// "-" for stdout, where it writes "archive of IMAGE...") and fails as Err
// says, by the verb or an image name.
func (e *FakeEngine) SaveImages(ctx context.Context, names []string, o image.SaveOptions) error {
	call := []string{"save", string(o.Format), o.Output}
	if o.Output == "" {
		call[2] = "-"
	}
	if o.MultiImage {
		call = append(call, "multi")
	}
	if o.Quiet {
		call = append(call, "quiet")
	}
	if err := e.record(strings.Join(append(call, names...), " "), names...); err != nil {
		return err
	}
	if o.Output == "" && o.Stdout != nil {
		fmt.Fprintf(o.Stdout, "archive of %s", strings.Join(names, " "))
	}
	return nil
}

// LoadImages records "load INPUT [quiet]" (INPUT "-" for stdin) and returns
// the input's lines as the names loaded (a file's name for a file); it fails
// as Err says ("load INPUT", or "load" for every call), still returning the
// names.
func (e *FakeEngine) LoadImages(ctx context.Context, o image.LoadOptions) ([]string, error) {
	input, names := o.Input, []string{"localhost/" + o.Input + ":latest"}
	if input == "" {
		input = "-"
		b, err := io.ReadAll(o.Stdin)
		if err != nil {
			return nil, err
		}
		names = strings.Fields(string(b))
	}
	call := "load " + input
	if o.Quiet {
		call += " quiet"
	}
	return names, e.record(call, input)
}
