// Command gendocs writes pod's command reference, one markdown page per
// command and, given MANDIR, one man page per command, generated from the
// cobra command tree (`make docs`):
//
//	go run ./pkg/cmd/gendocs DIR [MANDIR]
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmd/complete"
	"github.com/pod-engine/pod/pkg/cmd/root"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "Error: usage: gendocs DIR [MANDIR]")
		os.Exit(125)
	}
	cmd := root.NewCmdRoot(cmdutil.NewFactory(root.Version))
	complete.AddExamples(cmd)
	write(cmd, os.Args[1], markdown())
	if len(os.Args) == 3 {
		write(cmd, os.Args[2], manPages(root.Version))
	}
}

// write writes cmd's pages in format f into dir, or exits 125.
func write(cmd *cobra.Command, dir string, f format) {
	n, err := writeTree(cmd, dir, f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(125)
	}
	fmt.Printf("%d pages in %s\n", n, dir)
}
