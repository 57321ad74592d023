package container

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// NewCmdHealthcheck returns the `pod healthcheck` noun.
func NewCmdHealthcheck(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Manage health checks on containers",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(NewCmdHealthcheckRun(f, nil))
	return cmd
}

// HealthcheckRunOptions are the inputs of `pod healthcheck run`.
type HealthcheckRunOptions struct {
	Factory *cmdutil.Factory
	Name    string
}

// NewCmdHealthcheckRun returns `pod healthcheck run`.
func NewCmdHealthcheckRun(f *cmdutil.Factory, runF func(*HealthcheckRunOptions) error) *cobra.Command {
	o := &HealthcheckRunOptions{Factory: f}
	return &cobra.Command{
		Use:   "run CONTAINER",
		Short: "Run the health check of a container",
		Args:  needOne("container name or ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runHealthcheckRun(cmd.Context(), o)
		},
	}
}

func runHealthcheckRun(_ context.Context, o *HealthcheckRunOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	healthy, err := e.RunHealthcheck(o.Name)
	if err != nil {
		return err
	}
	if !healthy {
		fmt.Fprintln(o.Factory.IOStreams.Out, "unhealthy")
		return &cmdutil.ExitError{Code: 1}
	}
	return nil
}
