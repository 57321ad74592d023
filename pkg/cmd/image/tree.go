package image

import (
	"fmt"
	"io"
	"strings"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// TreeOptions are the inputs of `pod image tree`.
type TreeOptions struct {
	Factory      *cmdutil.Factory
	WhatRequires bool
	Image        string
}

// NewCmdTree returns `pod image tree`.
func NewCmdTree(f *cmdutil.Factory, runF func(*TreeOptions) error) *cobra.Command {
	o := &TreeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "tree [options] IMAGE",
		Short: "Print the layer hierarchy of an image in a tree format",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Image = args[0]
			if runF != nil {
				return runF(o)
			}
			return runTree(o)
		},
	}
	cmd.Flags().BoolVar(&o.WhatRequires, "whatrequires", false, "show all child images and layers of the specified image")
	return cmd
}

func runTree(o *TreeOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	t, err := e.ImageTree(o.Image, o.WhatRequires)
	if err != nil {
		return err
	}
	writeTree(o.Factory.IOStreams.Out, t)
	return nil
}

// treeSize renders a byte count with four significant digits and decimal
// units, no space ("8.091MB", "5.12kB", "0B").
func treeSize(n int64) string {
	return units.HumanSizeWithPrecision(float64(n), 4)
}

// writeTree prints t: the image's id, tags and size, then its layers as a
// tree, then an empty line.
func writeTree(w io.Writer, t *image.LayerTree) {
	fmt.Fprintf(w, "Image ID: %s\n", define.ShortID(t.ID))
	fmt.Fprintf(w, "Tags:     %s\n", "["+strings.Join(t.RepoTags, " ")+"]")
	fmt.Fprintf(w, "Size:     %s\n", treeSize(t.Size))
	fmt.Fprintln(w, "Image Layers")
	writeLayers(w, t.Layers, "")
	fmt.Fprintln(w)
}

// writeLayers prints layers below prefix, each line "├── " or "└── " (the
// last), its children indented under it.
func writeLayers(w io.Writer, layers []image.LayerNode, prefix string) {
	for i, l := range layers {
		branch, indent := "├── ", "│   "
		if i == len(layers)-1 {
			branch, indent = "└── ", "    "
		}
		line := fmt.Sprintf("ID: %s Size: %7s", define.ShortID(l.ID), treeSize(l.Size))
		if len(l.TopOf) > 0 {
			line += " Top Layer of: [" + strings.Join(l.TopOf, " ") + "]"
		}
		fmt.Fprintln(w, prefix+branch+line)
		writeLayers(w, l.Children, prefix+indent)
	}
}
