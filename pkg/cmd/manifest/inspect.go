package manifest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// InspectOptions are the inputs of `pod manifest inspect`.
type InspectOptions struct {
	Factory  *cmdutil.Factory
	Registry cmdutil.RegistryFlags
	List     string
}

// NewCmdInspect returns `pod manifest inspect`.
func NewCmdInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	o := &InspectOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "inspect [options] LIST",
		Short: "Display the contents of a manifest list or image index",
		Long: `Display the contents of a manifest list or image index.

LIST is a local manifest list or, when no local list has that name, a
manifest list in a registry.`,
		Example: `  pod manifest inspect localhost/list
  pod manifest inspect registry.example.com/app:v1.11`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List = args[0]
			o.Registry.Parsed(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runInspect(cmd.Context(), o)
		},
	}
	o.Registry.Register(cmd.Flags(), cmdutil.RegistryAccess)
	return cmd
}

// runInspect prints the list as indented JSON.
func runInspect(ctx context.Context, o *InspectOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	doc, err := e.InspectManifestList(ctx, o.List, o.Registry.System())
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, string(b))
	return nil
}
