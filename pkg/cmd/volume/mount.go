package volume

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/userns"
)

// MountOptions are the inputs of `pod volume mount`.
type MountOptions struct {
	Factory *cmdutil.Factory
	Names   []string
	// InNamespace reports whether pod runs inside `pod unshare`.
	InNamespace func() bool
}

// NewCmdMount returns `pod volume mount`: prints each volume's mount
// point. As for containers, the path is the one pod's mount namespace
// sees, so it runs only inside `pod unshare`.
func NewCmdMount(f *cmdutil.Factory, runF func(*MountOptions) error) *cobra.Command {
	o := &MountOptions{Factory: f, InNamespace: userns.StartedInNamespace}
	return &cobra.Command{
		Use:     "mount VOLUME [VOLUME...]",
		Short:   "Mount volume filesystem",
		Long:    "Print the mount point of each volume. Run it inside `pod unshare`.",
		Example: "  pod unshare pod volume mount data",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runMount(o)
		},
	}
}

func runMount(o *MountOptions) error {
	if err := cmdutil.RequireUnshare(o.InNamespace, "pod volume mount"); err != nil {
		return err
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range o.Names {
		p, err := e.MountVolume(n)
		if err != nil {
			errs.Add(err)
			continue
		}
		fmt.Fprintln(o.Factory.IOStreams.Out, p)
	}
	return errs.Err()
}
