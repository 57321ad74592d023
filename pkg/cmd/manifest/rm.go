package manifest

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RmOptions are the inputs of `pod manifest rm`.
type RmOptions struct {
	Factory *cmdutil.Factory
	Lists   []string
}

// NewCmdRm returns `pod manifest rm`.
func NewCmdRm(f *cmdutil.Factory, runF func(*RmOptions) error) *cobra.Command {
	o := &RmOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "rm LIST [LIST...]",
		Short:   "Remove manifest list or image index from local storage",
		Example: `  pod manifest rm mylist:v1.11`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Lists = args
			if runF != nil {
				return runF(o)
			}
			return runRm(o)
		},
	}
	return cmd
}

// runRm removes each list as rmi removes an image: every name untagged is
// printed, then every id deleted. The exit code is 1 when a list did not
// exist, 125 for other failures.
func runRm(o *RmOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewRemoveErrors(o.Factory.IOStreams.ErrOut, define.ErrNoSuchImage, define.ErrImageInUse)
	var untagged, deleted []string
	for _, n := range o.Lists {
		u, d, err := e.RemoveManifestList(n)
		untagged, deleted = append(untagged, u...), append(deleted, d...)
		errs.Add(err)
	}
	out := o.Factory.IOStreams.Out
	for _, u := range untagged {
		fmt.Fprintln(out, "Untagged: "+u)
	}
	for _, d := range deleted {
		fmt.Fprintln(out, "Deleted: "+d)
	}
	return errs.Err()
}
