package network

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ExistsOptions are the inputs of `pod network exists`.
type ExistsOptions struct {
	Factory *cmdutil.Factory
	Name    string
}

// NewCmdExists returns `pod network exists`: exit 0 when the network
// exists, 1 when it does not.
func NewCmdExists(f *cmdutil.Factory, runF func(*ExistsOptions) error) *cobra.Command {
	o := &ExistsOptions{Factory: f}
	return &cobra.Command{
		Use:     "exists NETWORK",
		Short:   "Check if a network exists",
		Example: "  pod network exists backend",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runExists(o)
		},
	}
}

func runExists(o *ExistsOptions) error {
	return cmdutil.RunExists(o.Factory, func(e cmdutil.Engine) (bool, error) {
		return e.NetworkExists(o.Name)
	})
}
