package image

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestRunImagePrune(t *testing.T) {
	e := &cmdtest.FakeEngine{PrunedImages: []string{"aaa", "bbb"}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdPrune(f, nil), []string{"-f"}); err != nil || out.String() != "aaa\nbbb\n" {
		t.Errorf("image prune -f: %v, printed %q", err, out)
	}
	out.Reset()
	e.Calls = nil
	f.IOStreams.In = bytes.NewBufferString("n\n")
	if err := cmdtest.Execute(NewCmdPrune(f, nil), []string{"-a"}); err != nil || len(e.Calls) != 0 ||
		!strings.Contains(out.String(), "removes all images without at least one container") {
		t.Errorf("a refused prune -a: %v, calls %q, printed %q", err, e.Calls, out)
	}
	f.IOStreams.In = bytes.NewBufferString("y\n")
	if err := cmdtest.Execute(NewCmdPrune(f, nil), []string{"--all"}); err != nil || !slices.Contains(e.Calls, "prune images all") {
		t.Errorf("a confirmed prune -a: %v, calls %q", err, e.Calls)
	}
	if err := cmdtest.Execute(NewCmdPrune(f, nil), []string{"-f", "--filter", "bogus=1"}); cmdutil.ExitCode(err) != 125 {
		t.Errorf("a bad filter: %v", err)
	}
}
