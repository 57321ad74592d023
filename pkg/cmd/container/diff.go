package container

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// DiffOptions are the inputs of `pod diff`.
type DiffOptions struct {
	Factory *cmdutil.Factory
	Name    string
	Format  string
}

// NewCmdDiff returns `pod diff`: the files a container added (A), changed
// (C) and deleted (D) against its image.
func NewCmdDiff(f *cmdutil.Factory, runF func(*DiffOptions) error) *cobra.Command {
	o := &DiffOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "diff [options] CONTAINER",
		Short:   "Inspect changes to the container's file systems",
		Example: "  pod diff ctrID\n  pod diff --format json ctrID",
		Args:    needOne("container name or ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runDiff(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Format, "format", "", "Change the output format (json)")
	return cmd
}

// diffJSON is podman's JSON form of a diff: the paths by kind, an empty
// kind left out.
type diffJSON struct {
	Changed []string `json:"changed,omitempty"`
	Added   []string `json:"added,omitempty"`
	Deleted []string `json:"deleted,omitempty"`
}

func runDiff(ctx context.Context, o *DiffOptions) error {
	_, _, isJSON := report.NormalizeFormat(o.Format)
	if o.Format != "" && !isJSON {
		return cmdutil.FlagErrorf("only supported value for '--format' is 'json'")
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	changes, err := e.DiffContainer(ctx, o.Name)
	if err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	if !isJSON {
		for _, c := range changes {
			if _, err := fmt.Fprintf(out, "%s %s\n", c.Kind, c.Path); err != nil {
				return err
			}
		}
		return nil
	}
	var body diffJSON
	for _, c := range changes {
		switch c.Kind {
		case libpod.ChangeAdd:
			body.Added = append(body.Added, c.Path)
		case libpod.ChangeDelete:
			body.Deleted = append(body.Deleted, c.Path)
		default:
			body.Changed = append(body.Changed, c.Path)
		}
	}
	data, err := json.MarshalIndent(body, "", "     ")
	if err != nil {
		return fmt.Errorf("encode the diff of %s: %w", o.Name, err)
	}
	_, err = fmt.Fprintf(out, "%s\n", data)
	return err
}
