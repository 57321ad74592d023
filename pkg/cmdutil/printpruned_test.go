package cmdutil

import (
	"bytes"
	"errors"
	"testing"
)

// Every failure of a prune is reported, each as its own "Error:" line
// (the last one by the caller, as the verb's error), and the verb fails.
func TestPrintPrunedReportsEach(t *testing.T) {
	var out, errOut bytes.Buffer
	io := &IOStreams{Out: &out, ErrOut: &errOut}
	err := PrintPruned(io, []string{"a", "b"}, []error{errors.New("removing c: busy"), errors.New("removing d: gone wrong")})
	if out.String() != "a\nb\n" {
		t.Errorf("stdout %q, want the removed names", out.String())
	}
	if errOut.String() != "Error: removing c: busy\n" {
		t.Errorf("stderr %q, want the first failure", errOut.String())
	}
	if err == nil || Message(err) != "Error: removing d: gone wrong" || ExitCode(err) != 125 {
		t.Fatalf("returned %v (exit %d), want the last failure with exit 125", err, ExitCode(err))
	}
	out.Reset()
	errOut.Reset()
	if err := PrintPruned(io, []string{"a"}, nil); err != nil || errOut.Len() != 0 {
		t.Errorf("no failure: %v, stderr %q", err, errOut.String())
	}
}
