package container

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// AttachOptions are the inputs of `pod attach`.
type AttachOptions struct {
	Factory    *cmdutil.Factory
	Name       string
	DetachKeys string
	NoStdin    bool
	SigProxy   bool
	Latest     bool
}

// NewCmdAttach returns `pod attach`.
func NewCmdAttach(f *cmdutil.Factory, runF func(*AttachOptions) error) *cobra.Command {
	o := &AttachOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "attach [options] CONTAINER",
		Short: "Attach to a running container",
		Args:  needOne("container name or ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runAttach(cmd.Context(), o)
		},
	}
	addDetachKeysFlag(cmd, &o.DetachKeys)
	cmd.Flags().BoolVar(&o.NoStdin, "no-stdin", false, "do not attach STDIN")
	cmd.Flags().BoolVar(&o.SigProxy, "sig-proxy", true, "proxy received signals to the container's process")
	return cmd
}

// addDetachKeysFlag adds --detach-keys with its default sequence.
func addDetachKeysFlag(cmd *cobra.Command, v *string) {
	cmd.Flags().StringVar(v, "detach-keys", protocol.DefaultDetachKeys,
		"key sequence for detaching a container: a-Z, ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_; \"\" disables")
}

func runAttach(_ context.Context, o *AttachOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	c, err := e.Container(o.Name)
	if err != nil {
		return err
	}
	a := newAttachTerm(o.Factory.IOStreams, c.Config.Terminal, o.DetachKeys)
	if o.NoStdin || !c.Config.Stdin && !c.Config.Terminal {
		a.streams.Stdin = nil
	}
	sess, err := e.AttachContainer(o.Name, a.streams)
	if err != nil {
		a.done()
		return err
	}
	if a.termFile != nil {
		resize(sess, a.termFile) // the attacher's size, not the last one's
	}
	return exitStatus(a.follow(sess, o.SigProxy))
}
