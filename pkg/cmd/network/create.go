package network

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/networks"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CreateOptions are the inputs of `pod network create`.
type CreateOptions struct {
	Factory *cmdutil.Factory
	Net     networks.CreateOptions
	Labels  []string
	Opts    []string
}

// NewCmdCreate returns `pod network create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	o := &CreateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "create [options] [NAME]",
		Short:   "Create a network",
		Example: "  pod network create backend\n  pod network create --subnet 10.90.0.0/24 backend",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Net.Name = args[0]
			}
			var err error
			if o.Net.Labels, err = keyValues("--label", o.Labels); err != nil {
				return err
			}
			if o.Net.Options, err = keyValues("--opt", o.Opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runCreate(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Net.Driver, "driver", "d", "bridge", "network driver (bridge)")
	fl.StringVar(&o.Net.Subnet, "subnet", "", "subnet in CIDR form (default: a free 10.89.N.0/24)")
	fl.StringVar(&o.Net.Gateway, "gateway", "", "gateway of the subnet (default: its first address)")
	fl.BoolVar(&o.Net.Internal, "internal", false, "no route out of the network")
	fl.BoolVar(&o.Net.NoDNS, "disable-dns", false, "no name resolution between the network's containers")
	fl.BoolVar(&o.Net.Ignore, "ignore", false, "do nothing when the network exists")
	fl.StringArrayVar(&o.Labels, "label", nil, "set a label KEY=VALUE on the network")
	fl.StringArrayVarP(&o.Opts, "opt", "o", nil, "set a driver option KEY=VALUE")
	return cmd
}

// keyValues reads KEY=VALUE (or KEY) arguments of flag into a map.
func keyValues(flag string, in []string) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range in {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			return nil, cmdutil.FlagErrorf("%s %q: want KEY=VALUE", flag, kv)
		}
		m[k] = v
	}
	return m, nil
}

func runCreate(o *CreateOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	n, err := e.CreateNetwork(o.Net)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Factory.IOStreams.Out, n.Name)
	return nil
}
