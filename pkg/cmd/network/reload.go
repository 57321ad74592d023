package network

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// ReloadOptions are the inputs of `pod network reload`.
type ReloadOptions struct {
	Factory    *cmdutil.Factory
	All        bool
	Containers []string
}

// NewCmdReload returns `pod network reload`.
func NewCmdReload(f *cmdutil.Factory, runF func(*ReloadOptions) error) *cobra.Command {
	o := &ReloadOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "reload [options] [CONTAINER...]",
		Short:   "Reload firewall rules for one or more containers",
		Example: "  pod network reload --all",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Containers = args
			if o.All == (len(args) > 0) {
				return cmdutil.FlagErrorf("when using the --all switch, you may not pass any containers names or IDs")
			}
			if runF != nil {
				return runF(o)
			}
			return runReload(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "reload every running container's networks")
	return cmd
}

// runReload prints the id of each container reloaded; errors as the verbs
// acting on several objects print them.
func runReload(ctx context.Context, o *ReloadOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	done, failed, err := e.ReloadNetworks(ctx, o.Containers, o.All)
	if err != nil {
		return err
	}
	for _, id := range done {
		fmt.Fprintln(o.Factory.IOStreams.Out, id)
	}
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, f := range failed {
		errs.Add(f)
	}
	return errs.Err()
}
