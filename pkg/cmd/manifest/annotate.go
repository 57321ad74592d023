package manifest

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// AnnotateOptions are the inputs of `pod manifest annotate`.
type AnnotateOptions struct {
	Factory   *cmdutil.Factory
	Overrides OverrideFlags
	List      string
	Instance  string
}

// NewCmdAnnotate returns `pod manifest annotate`.
func NewCmdAnnotate(f *cmdutil.Factory, runF func(*AnnotateOptions) error) *cobra.Command {
	o := &AnnotateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "annotate [options] LIST DIGEST",
		Short:   "Add or update information about an entry in a manifest list or image index",
		Example: `  pod manifest annotate --annotation left=right --arch arm64 mylist:v1.11 sha256:15352d97781ffdf357bf3459c037be3efac4133dc9070c2dce7eca7c05c3e736`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List, o.Instance = args[0], args[1]
			if runF != nil {
				return runF(o)
			}
			return runAnnotate(o)
		},
	}
	fl := cmd.Flags()
	o.Overrides.add(fl)
	fl.StringSliceVar(&o.Overrides.OSFeatures, "os-features", nil, "override the OS `features` of the specified image")
	return cmd
}

// runAnnotate changes the instance and prints the list's id.
func runAnnotate(o *AnnotateOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	warnFeatures(o.Factory, o.Overrides.Features)
	id, err := e.AnnotateManifestList(o.List, o.Instance, o.Overrides.InstanceOverrides)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, id)
	return nil
}
