package container

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
	"github.com/pod-engine/pod/userns"
)

// MountOptions are the inputs of `pod mount`.
type MountOptions struct {
	Factory *cmdutil.Factory
	Names   []string
	All     bool
	Format  string
	NoTrunc bool
	// Command is the command's path ("pod mount") for its error message;
	// InNamespace reports whether pod runs inside `pod unshare`
	// (userns.StartedInNamespace).
	Command     string
	InNamespace func() bool
}

// NewCmdMount returns `pod mount`: mount containers' root filesystems
// and print where, or list the mounted ones. The mounts live in pod's
// mount namespace, so, as podman, it runs only inside `pod unshare`.
func NewCmdMount(f *cmdutil.Factory, runF func(*MountOptions) error) *cobra.Command {
	o := &MountOptions{Factory: f, InNamespace: userns.StartedInNamespace}
	cmd := &cobra.Command{
		Use:   "mount [options] [CONTAINER...]",
		Short: "Mount a working container's root filesystem",
		Long: "Mount the root filesystem of each container and print where; without a container, list the mounted ones. " +
			"The mounts are visible inside `pod unshare`, where this command must run.",
		Args: func(cmd *cobra.Command, args []string) error {
			if o.All && len(args) > 0 {
				return cmdutil.FlagErrorf("--all and containers cannot be given together")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names, o.Command = args, cmd.CommandPath()
			if runF != nil {
				return runF(o)
			}
			return runMount(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "Mount all containers")
	fl.StringVar(&o.Format, "format", "", "Print the mounted containers in specified format (json)")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "Do not truncate output")
	fl.BoolVar(&o.NoTrunc, "notruncate", false, "Do not truncate output")
	_ = fl.MarkHidden("notruncate")
	return cmd
}

func runMount(ctx context.Context, o *MountOptions) error {
	if err := cmdutil.RequireUnshare(o.InNamespace, o.Command); err != nil {
		return err
	}
	_, _, isJSON := report.NormalizeFormat(o.Format)
	if len(o.Names) == 0 && !o.All && o.Format != "" && !isJSON {
		return cmdutil.FlagErrorf("unknown --format argument: %q", o.Format)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	if len(o.Names) > 0 || o.All {
		errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
		for _, n := range targets(e, errs, o.Names, o.All, nil) {
			path, err := e.MountContainer(ctx, n)
			if err != nil {
				errs.Add(err)
				continue
			}
			fmt.Fprintln(out, path)
		}
		return errs.Err()
	}
	mounted, err := e.MountedContainers(ctx)
	if err != nil {
		return err
	}
	if isJSON {
		return printMountsJSON(o, mounted)
	}
	w := report.NewTabWriter(out)
	for _, m := range mounted {
		fmt.Fprintf(w, "%s\t%s\n", shortID(m.ID, o.NoTrunc), m.Mountpoint)
	}
	return w.Flush()
}

// mountJSON is podman's JSON form of a mounted container.
type mountJSON struct {
	ID         string   `json:"id"`
	Names      []string `json:"Names"`
	Mountpoint string   `json:"mountpoint"`
}

func printMountsJSON(o *MountOptions, mounted []libpod.MountedContainer) error {
	list := make([]mountJSON, 0, len(mounted))
	for _, m := range mounted {
		list = append(list, mountJSON{ID: m.ID, Names: []string{m.Name}, Mountpoint: m.Mountpoint})
	}
	data, err := json.MarshalIndent(list, "", " ")
	if err != nil {
		return fmt.Errorf("encode the mounted containers: %w", err)
	}
	_, err = fmt.Fprintf(o.Factory.IOStreams.Out, "%s\n", data)
	return err
}
