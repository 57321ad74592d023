// Command gendocs writes pod's command reference, one markdown page per
// command, generated from the cobra command tree (`make docs`):
//
//	go run ./pkg/cmd/gendocs DIR
package main

import (
	"fmt"
	"os"

	"github.com/pod-engine/pod/pkg/cmd/complete"
	"github.com/pod-engine/pod/pkg/cmd/root"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "Error: usage: gendocs DIR")
		os.Exit(125)
	}
	cmd := root.NewCmdRoot(cmdutil.NewFactory(root.Version))
	complete.AddExamples(cmd)
	n, err := writeTree(cmd, os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(125)
	}
	fmt.Printf("%d pages in %s\n", n, os.Args[1])
}
