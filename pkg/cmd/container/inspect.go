package container

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// InspectOptions are the inputs of `pod inspect` and `pod container inspect`.
type InspectOptions struct {
	Factory *cmdutil.Factory
	Format  string
	Type    string
	// Size adds SizeRw and SizeRootFs to containers; Latest inspects the
	// newest container.
	Size   bool
	Latest bool
	Names  []string
}

// NewCmdInspect returns `pod inspect` (containers and images).
func NewCmdInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	return newInspect(f, runF, "all", "inspect [options] {CONTAINER|IMAGE} [...]", "Display the configuration of an object")
}

// NewCmdContainerInspect returns `pod container inspect`.
func NewCmdContainerInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	return newInspect(f, runF, "container", "inspect [options] CONTAINER [...]", "Display the configuration of a container")
}

func newInspect(f *cmdutil.Factory, runF func(*InspectOptions) error, typ, use, short string) *cobra.Command {
	o := &InspectOptions{Factory: f, Type: typ}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.Latest && len(args) > 0:
				return cmdutil.FlagErrorf("--latest and containers cannot be used together")
			case !o.Latest && len(args) == 0:
				return cmdutil.FlagErrorf("%q requires at least one name or id (or --latest)", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runInspect(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "json", "format the output using the given Go template or json")
	if typ == "all" {
		cmd.Flags().StringVarP(&o.Type, "type", "t", "all", "specify inspect-object type (container, image, all)")
	}
	cmd.Flags().BoolVarP(&o.Size, "size", "s", false, "display total file size")
	cmd.Flags().BoolVarP(&o.Latest, "latest", "l", false, "act on the latest container pod is aware of")
	return cmd
}

func runInspect(ctx context.Context, o *InspectOptions) error {
	switch o.Type {
	case "all", "container", "image":
	default:
		return cmdutil.FlagErrorf("invalid --type %q: use container, image or all: %w", o.Type, define.ErrInvalidArg)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	if o.Latest {
		if o.Type == "image" {
			return cmdutil.FlagErrorf("--latest inspects containers: it cannot be used with --type image: %w", define.ErrInvalidArg)
		}
		id, err := latestContainer(e)
		if err != nil {
			return err
		}
		o.Names = []string{id}
	}
	var rows []any
	errs := cmdutil.NewErrors(o.Factory.IOStreams.ErrOut)
	for _, n := range o.Names {
		if o.Type != "image" {
			data, err := e.InspectContainer(n)
			if err == nil && o.Size {
				var sz libpod.ContainerSize
				if sz, err = e.ContainerSize(ctx, data.ID); err == nil {
					data.SizeRw, data.SizeRootFs = &sz.RW, sz.RootFs
				}
			}
			if err == nil {
				rows = append(rows, data)
				continue
			}
			if o.Type == "container" || !errors.Is(err, define.ErrNoSuchCtr) {
				errs.Add(err)
				continue
			}
		}
		data, err := e.InspectImage(ctx, n)
		if err != nil {
			if o.Type == "all" && errors.Is(err, define.ErrNoSuchImage) {
				err = fmt.Errorf("no such object: %q: %w", n, define.ErrNoSuchCtr)
			}
			errs.Add(err)
			continue
		}
		rows = append(rows, data)
	}
	out := o.Factory.IOStreams.Out
	tmpl, _, isJSON := report.NormalizeFormat(o.Format)
	if isJSON || o.Format == "" {
		if rows == nil {
			rows = []any{}
		}
		if err := report.WriteInspectJSON(out, rows); err != nil {
			return err
		}
		return errs.Err()
	}
	_ = tmpl
	w, err := report.NewWriter(out, "inspect", o.Format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	for _, r := range rows {
		w.Strict()
		m, err := templateData(r)
		if err != nil {
			return err
		}
		if err := w.Write(m); err != nil {
			return fmt.Errorf("inspect --format: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return errs.Err()
}

// templateData is what --format templates see of one inspected object:
// an image's inspect data as it is (its fields print as their types do:
// {{.Size}} an integer, {{.Created}} a time), a container's in its JSON
// shape.
func templateData(v any) (any, error) {
	if img, ok := v.(*image.InspectData); ok {
		return img, nil
	}
	return asMap(v)
}

// asMap turns inspect data into its JSON shape, so that templates use the
// field names the JSON shows ({{.Id}}, {{.State.Status}}); {{.ID}} is
// accepted as well.
func asMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	m := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	integers(m)
	if id, ok := m["Id"]; ok {
		m["ID"] = id
	}
	return m, nil
}

// integers replaces, in place, the JSON numbers of v (decoded with
// UseNumber) by int64 when they are whole and float64 otherwise, so that
// a size prints as 8090809 rather than 8.090809e+06.
func integers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, e := range t {
			t[k] = integers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = integers(e)
		}
	}
	return v
}
