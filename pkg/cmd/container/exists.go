package container

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ExistsOptions are the inputs of `pod container exists`.
type ExistsOptions struct {
	Factory *cmdutil.Factory
	Name    string
}

// NewCmdExists returns `pod container exists`: exit 0 when the container
// exists, 1 when it does not.
func NewCmdExists(f *cmdutil.Factory, runF func(*ExistsOptions) error) *cobra.Command {
	o := &ExistsOptions{Factory: f}
	return &cobra.Command{
		Use:   "exists CONTAINER",
		Short: "Check if a container exists in local storage",
		Args:  needOne("container name or ID"),
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
		_, err := e.Container(o.Name)
		if errors.Is(err, define.ErrNoSuchCtr) {
			return false, nil
		}
		return err == nil, err
	})
}
