package network

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/portfwd"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// PortForwarderOptions are the inputs of the hidden
// `pod network port-forwarder`, which a container's monitor runs.
type PortForwarderOptions struct {
	Factory *cmdutil.Factory
	Netns   string
	Ports   []portfwd.Port
}

// NewCmdPortForwarder returns the hidden `pod network port-forwarder
// NETNS PORT...`: it forwards the host ports into the network namespace
// NETNS, reports readiness with one byte on fd 3 and runs until fd 4 reaches
// EOF (its monitor closed it or died) or it is signalled.
func NewCmdPortForwarder(f *cmdutil.Factory, runF func(*PortForwarderOptions) error) *cobra.Command {
	o := &PortForwarderOptions{Factory: f}
	return &cobra.Command{
		Use:    "port-forwarder NETNS PROTO:[HOSTIP]:HOSTPORT:CTRPORT...",
		Short:  "Forward host ports into a network namespace (run by the monitor)",
		Hidden: true,
		Args:   cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Netns = args[0]
			for _, a := range args[1:] {
				p, err := portfwd.ParsePort(a)
				if err != nil {
					return cmdutil.FlagErrorf("%v", err)
				}
				o.Ports = append(o.Ports, p)
			}
			if runF != nil {
				return runF(o)
			}
			return runPortForwarder(o)
		},
	}
}

func runPortForwarder(o *PortForwarderOptions) error {
	_, err3 := unix.FcntlInt(3, unix.F_GETFD, 0)
	_, err4 := unix.FcntlInt(4, unix.F_GETFD, 0)
	if err3 != nil || err4 != nil {
		return fmt.Errorf("port forwarder: run by the monitor only (needs descriptors 3 and 4)")
	}
	ready, exit := os.NewFile(3, "ready"), os.NewFile(4, "exit")
	ctx, stop := signal.NotifyContext(context.Background(), unix.SIGTERM, unix.SIGINT)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, exit)
		cancel()
	}()
	// The driver's unix socket needs a short path.
	dir, err := os.MkdirTemp("", "pod-fwd-")
	if err != nil {
		return fmt.Errorf("port forwarder: %w", err)
	}
	defer os.RemoveAll(dir)
	return portfwd.Run(ctx, o.Netns, dir, o.Ports, o.Factory.IOStreams.ErrOut, func() {
		_, _ = ready.Write([]byte{1})
		ready.Close()
	})
}
