package container

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PortOptions are the inputs of `pod port`.
type PortOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Name    string
	Port    string // PRIVATE_PORT[/PROTO], "" for all
}

// NewCmdPort returns `pod port`.
func NewCmdPort(f *cmdutil.Factory, runF func(*PortOptions) error) *cobra.Command {
	o := &PortOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "port [options] CONTAINER [PRIVATE_PORT[/PROTO]]",
		Short: "List port mappings or a specific mapping for the container",
		Args: func(cmd *cobra.Command, args []string) error {
			all, _ := cmd.Flags().GetBool("all")
			switch {
			case all && len(args) > 1:
				return cmdutil.FlagErrorf("--all takes at most a port, no container")
			case !all && (len(args) == 0 || len(args) > 2):
				return cmdutil.FlagErrorf("%q requires a container and optionally a port", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.All && len(args) == 1:
				o.Port = args[0]
			case !o.All:
				o.Name = args[0]
				if len(args) == 2 {
					o.Port = args[1]
				}
			}
			if runF != nil {
				return runF(o)
			}
			return runPort(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVarP(&o.All, "all", "a", false, "display port information for all containers")
	return cmd
}

// parsePortArg reads PORT[/PROTO] (tcp when no protocol is given).
func parsePortArg(s string) (uint16, string, error) {
	p, proto, hasProto := strings.Cut(s, "/")
	if !hasProto {
		proto = "tcp"
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil || n == 0 || (proto != "tcp" && proto != "udp" && proto != "sctp") {
		return 0, "", cmdutil.FlagErrorf("invalid port %q: want PORT[/tcp|udp]: %w", s, define.ErrInvalidArg)
	}
	return uint16(n), proto, nil
}

func runPort(_ context.Context, o *PortOptions) error {
	var port uint16
	var proto string
	if o.Port != "" {
		var err error
		if port, proto, err = parsePortArg(o.Port); err != nil {
			return err
		}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	var ctrs []*libpod.Container
	if o.All {
		if ctrs, _, err = e.ListContainers(); err != nil {
			return err
		}
	} else {
		c, err := e.Container(o.Name)
		if err != nil {
			return err
		}
		ctrs = []*libpod.Container{c}
	}
	found := false
	out := o.Factory.IOStreams.Out
	for _, c := range ctrs {
		if !c.State.Status.IsActive() && o.All {
			continue
		}
		for _, m := range c.Ports() {
			if port != 0 && (m.ContainerPort != port || m.Protocol != proto) {
				continue
			}
			found = true
			switch {
			case o.All:
				fmt.Fprintf(out, "%s\t%s\n", c.ID()[:12], m)
			case port != 0:
				ip := m.HostIP
				if ip == "" {
					ip = "0.0.0.0"
				}
				fmt.Fprintf(out, "%s:%d\n", ip, m.HostPort)
			default:
				fmt.Fprintln(out, m)
			}
		}
	}
	// As podman: a container that publishes nothing has nothing to say.
	if port != 0 && !found && !o.All && len(ctrs[0].Ports()) > 0 {
		return fmt.Errorf("failed to find published port %q: %w", fmt.Sprintf("%d/%s", port, proto), define.ErrInvalidArg)
	}
	return nil
}
