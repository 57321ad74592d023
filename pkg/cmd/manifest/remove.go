package manifest

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RemoveOptions are the inputs of `pod manifest remove`.
type RemoveOptions struct {
	Factory  *cmdutil.Factory
	List     string
	Instance string
}

// NewCmdRemove returns `pod manifest remove`.
func NewCmdRemove(f *cmdutil.Factory, runF func(*RemoveOptions) error) *cobra.Command {
	o := &RemoveOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "remove LIST DIGEST",
		Short:   "Remove an entry from a manifest list or image index",
		Example: `  pod manifest remove mylist:v1.11 sha256:15352d97781ffdf357bf3459c037be3efac4133dc9070c2dce7eca7c05c3e736`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List, o.Instance = args[0], args[1]
			if runF != nil {
				return runF(o)
			}
			return runRemove(o)
		},
	}
	return cmd
}

// runRemove removes the instance and prints the list's id.
func runRemove(o *RemoveOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	id, err := e.RemoveFromManifestList(o.List, o.Instance)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, id)
	return nil
}
