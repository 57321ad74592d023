package manifest

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ExistsOptions are the inputs of `pod manifest exists`.
type ExistsOptions struct {
	Factory *cmdutil.Factory
	List    string
}

// NewCmdExists returns `pod manifest exists`.
func NewCmdExists(f *cmdutil.Factory, runF func(*ExistsOptions) error) *cobra.Command {
	o := &ExistsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "exists LIST",
		Short:   "Check if a manifest list exists in local storage",
		Example: `  pod manifest exists mylist`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.List = args[0]
			if runF != nil {
				return runF(o)
			}
			return runExists(o)
		},
	}
	return cmd
}

// runExists exits 0 when the list exists, 1 when it does not; an image
// that is not a list is an error (125).
func runExists(o *ExistsOptions) error {
	return cmdutil.RunExists(o.Factory, func(e cmdutil.Engine) (bool, error) {
		return e.ManifestListExists(o.List)
	})
}
