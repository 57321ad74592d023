package container

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// TopOptions are the inputs of `pod top`.
type TopOptions struct {
	Factory     *cmdutil.Factory
	Name        string
	Descriptors []string
}

// NewCmdTop returns `pod top`: the processes of a running container, as
// ps shows them.
func NewCmdTop(f *cmdutil.Factory, runF func(*TopOptions) error) *cobra.Command {
	o := &TopOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "top [options] CONTAINER [FORMAT-DESCRIPTORS|ARGS...]",
		Short: "Display the running processes of a container",
		Long: "Display the running processes of a container, one column per descriptor: " +
			"pcpu (%C), group (%G), ppid (%P), user (%U), args (%a), comm (%c), rgroup (%g), nice (%n), pid (%p), " +
			"pgid (%r), etime (%t), ruser (%u), time (%x), tty (%y), vsz (%z), capamb, capbnd, capeff, capinh, " +
			"capprm, groups, hgroup, hgroups, hpid, huid, huser, label, rss, seccomp, state, stime, uid. " +
			"ps options -e, -A and -o LIST are understood.",
		Example: "  pod top ctrID\n  pod top ctrID pid seccomp args %C\n  pod top ctrID -eo user,pid,comm",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("you must provide the name or id of a running container")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name, o.Descriptors = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runTop(cmd.Context(), o)
		},
	}
	// Everything after the container is a descriptor, ps options too.
	cmd.Flags().SetInterspersed(false)
	return cmd
}

func runTop(ctx context.Context, o *TopOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	rows, err := e.TopContainer(ctx, o.Name, o.Descriptors)
	if err != nil {
		return err
	}
	w := report.NewTabWriter(o.Factory.IOStreams.Out)
	for _, row := range rows {
		if _, err := fmt.Fprintln(w, strings.Join(row, "\t")); err != nil {
			return err
		}
	}
	return w.Flush()
}
