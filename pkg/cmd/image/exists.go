package image

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ExistsOptions are the inputs of `pod image exists`.
type ExistsOptions struct {
	Factory *cmdutil.Factory
	Name    string
}

// NewCmdExists returns `pod image exists`: exit 0 when the image exists in
// local storage, 1 when it does not, 125 when the name is malformed.
func NewCmdExists(f *cmdutil.Factory, runF func(*ExistsOptions) error) *cobra.Command {
	o := &ExistsOptions{Factory: f}
	return &cobra.Command{
		Use:   "exists IMAGE",
		Short: "Check if an image exists in local storage",
		Args:  cobra.ExactArgs(1),
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
		return e.ImageExists(o.Name)
	})
}
