package system

import (
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// VersionOptions are the inputs of `pod version`.
type VersionOptions struct {
	Factory *cmdutil.Factory
	Format  string
}

// VersionReport nests the client version as the template sees it.
type VersionReport struct {
	Client *libpod.VersionInfo
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
	v := clientVersion(o.Factory.Version)
	out := o.Factory.IOStreams.Out
	if o.Format != "" {
		tmpl, _, isJSON := report.NormalizeFormat(o.Format)
		if isJSON {
			return report.WriteJSON(out, VersionReport{Client: &v})
		}
		t, err := template.New("version").Funcs(report.FuncMap()).Parse(tmpl)
		if err != nil {
			return cmdutil.NewFlagError(err)
		}
		var data any = VersionReport{Client: &v}
		if err := t.Execute(out, data); err != nil {
			return fmt.Errorf("template: %w", err)
		}
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Client:       Pod Engine\nVersion:      %s\nAPI Version:  %s\nGo Version:   %s\n", v.Version, v.APIVersion, v.GoVersion)
	if v.GitCommit != "" {
		fmt.Fprintf(&b, "Git Commit:   %s\n", v.GitCommit)
	}
	fmt.Fprintf(&b, "Built:        %s\nOS/Arch:      %s\n", v.BuiltTime, v.OsArch)
	_, err := io.WriteString(out, b.String())
	return err
}
