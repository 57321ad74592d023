package image

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// LogoutOptions are the inputs of `pod logout`.
type LogoutOptions struct {
	Factory *cmdutil.Factory
	// Registry is the registry (or repository) as given; "" means the first
	// unqualified-search registry.
	Registry string
	All      bool
	// RegistryFlags holds --authfile only.
	cmdutil.RegistryFlags
}

// NewCmdLogout returns `pod logout`.
func NewCmdLogout(f *cmdutil.Factory, runF func(*LogoutOptions) error) *cobra.Command {
	o := &LogoutOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "logout [options] [REGISTRY]",
		Short: "Log out of a container registry",
		Long: `Remove the credentials stored for REGISTRY (HOST[:PORT] or HOST[:PORT]/REPOSITORY;
default: the first unqualified-search registry of registries.conf) from the auth file,
or every credential with --all.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.FlagErrorf("logout accepts one registry, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Registry = args[0]
			}
			if o.All && o.Registry != "" {
				return cmdutil.FlagErrorf("--all takes no registry: run pod logout --all, or pod logout %s", o.Registry)
			}
			if runF != nil {
				return runF(o)
			}
			return runLogout(o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "remove the credentials of every registry in the auth file")
	o.Register(fl, cmdutil.FlagAuthFile)
	return cmd
}

func runLogout(o *LogoutOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	key, err := e.Logout(o.System(), o.Registry, o.All)
	if err != nil {
		return err
	}
	if o.All {
		fmt.Fprintln(o.Factory.IOStreams.Out, "Removed login credentials for all registries")
		return nil
	}
	fmt.Fprintf(o.Factory.IOStreams.Out, "Removed login credentials for %s\n", key)
	return nil
}
