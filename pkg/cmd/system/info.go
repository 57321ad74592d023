package system

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// InfoOptions are the inputs of `pod info`.
type InfoOptions struct {
	Factory *cmdutil.Factory
	Format  string
}

// NewCmdInfo returns `pod info`.
func NewCmdInfo(f *cmdutil.Factory, runF func(*InfoOptions) error) *cobra.Command {
	o := &InfoOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "info [options]",
		Short: "Display pod system information",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runInfo(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "", "change the output format to JSON or a Go template")
	return cmd
}

func runInfo(ctx context.Context, o *InfoOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	info, err := e.Info(ctx)
	if err != nil {
		return err
	}
	info.Version = clientVersion(o.Factory.Version)
	out := o.Factory.IOStreams.Out
	if o.Format == "" {
		return writeYAMLish(out, info)
	}
	w, err := report.NewWriter(out, "info", o.Format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	if w.IsJSON() {
		return report.WriteJSON(out, info)
	}
	if err := w.Write(info); err != nil {
		return fmt.Errorf("info --format: %w", err)
	}
	return w.Flush()
}

// writeYAMLish prints the info as YAML, podman's default: the JSON
// document's keys in its order, in block style.
func writeYAMLish(out io.Writer, info *libpod.Info) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	blockStyle(&doc)
	enc := yaml.NewEncoder(out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	return enc.Close()
}

// blockStyle clears the flow style JSON input leaves on every node.
func blockStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		n.Style &^= yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}
