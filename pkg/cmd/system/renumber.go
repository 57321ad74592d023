package system

import (
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// RenumberOptions are the inputs of `pod system renumber`.
type RenumberOptions struct {
	Factory *cmdutil.Factory
}

// NewCmdRenumber returns `pod system renumber`, accepted for compatibility
// with podman: pod has no lock numbers to renumber (each container's lock
// is a file named by its id), so it does nothing and succeeds.
func NewCmdRenumber(f *cmdutil.Factory, runF func(*RenumberOptions) error) *cobra.Command {
	o := &RenumberOptions{Factory: f}
	return &cobra.Command{
		Use:         "renumber",
		Short:       "Accepted for compatibility: pod has no lock numbers",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{noUserns: "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runRenumber(o)
		},
	}
}

func runRenumber(*RenumberOptions) error { return nil }
