package system

import (
	"fmt"
	"runtime"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// VersionOptions are the inputs of `pod version`.
type VersionOptions struct {
	Factory *cmdutil.Factory
	Format  string
}

// VersionInfo is what `pod version` reports; --format fields follow it.
type VersionInfo struct {
	Version    string
	APIVersion string
	GoVersion  string
	OsArch     string
	Os         string
	Arch       string
}

// VersionReport nests the client version as the template sees it.
type VersionReport struct {
	Client *VersionInfo
}

// NewCmdVersion returns `pod version`. It never enters the user namespace
// nor opens the store.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	o := &VersionOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "version [options]",
		Short: "Display the pod version information",
		Args:  cobra.NoArgs,
		// The argv pre-parser in userns does not join the namespace for it.
		Annotations: map[string]string{"pod.no-userns": "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runVersion(o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "", "change the output format to JSON or a Go template")
	return cmd
}

func runVersion(o *VersionOptions) error {
	v := &VersionInfo{
		Version:    o.Factory.Version,
		APIVersion: o.Factory.Version,
		GoVersion:  runtime.Version(),
		OsArch:     runtime.GOOS + "/" + runtime.GOARCH,
		Os:         runtime.GOOS,
		Arch:       runtime.GOARCH,
	}
	out := o.Factory.IOStreams.Out
	if o.Format != "" {
		tmpl, _, isJSON := report.NormalizeFormat(o.Format)
		if isJSON {
			return report.WriteJSON(out, VersionReport{Client: v})
		}
		t, err := template.New("version").Funcs(report.FuncMap()).Parse(tmpl)
		if err != nil {
			return cmdutil.NewFlagError(err)
		}
		var data any = VersionReport{Client: v}
		if err := t.Execute(out, data); err != nil {
			return fmt.Errorf("template: %w", err)
		}
		return nil
	}
	fmt.Fprintf(out, "Version:      %s\nAPI Version:  %s\nGo Version:   %s\nOS/Arch:      %s\n", v.Version, v.APIVersion, v.GoVersion, v.OsArch)
	return nil
}
