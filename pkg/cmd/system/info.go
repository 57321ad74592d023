package system

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

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
	info.Version = libpod.VersionInfo{APIVersion: o.Factory.Version, Version: o.Factory.Version, GoVersion: runtime.Version(), OsArch: runtime.GOOS + "/" + runtime.GOARCH}
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

// writeYAMLish prints the info as indented "key: value" lines.
func writeYAMLish(out io.Writer, info *libpod.Info) error {
	var b strings.Builder
	h := info.Host
	fmt.Fprintf(&b, "host:\n  arch: %s\n  cgroupManager: %s\n  cgroupVersion: %s\n  hostname: %s\n  kernel: %s\n  os: %s\n",
		h.Arch, h.CgroupManager, h.CgroupVersion, h.Hostname, h.Kernel, h.OS)
	fmt.Fprintf(&b, "  idMappings:\n    uidmap:\n")
	for _, m := range h.IDMappings.UIDMap {
		fmt.Fprintf(&b, "    - container_id: %d\n      host_id: %d\n      size: %d\n", m.ContainerID, m.HostID, m.Size)
	}
	fmt.Fprintf(&b, "    gidmap:\n")
	for _, m := range h.IDMappings.GIDMap {
		fmt.Fprintf(&b, "    - container_id: %d\n      host_id: %d\n      size: %d\n", m.ContainerID, m.HostID, m.Size)
	}
	fmt.Fprintf(&b, "  ociRuntime:\n    name: %s\n    path: %s\n    version: %s\n", h.OCIRuntime.Name, h.OCIRuntime.Path, h.OCIRuntime.Version)
	fmt.Fprintf(&b, "  networkBackend: %s\n  rootless: %v\n  security:\n    rootless: %v\n    seccompEnabled: %v\n",
		h.NetworkBackend, h.Security.Rootless, h.Security.Rootless, h.Security.SeccompEnabled)
	s := info.Store
	fmt.Fprintf(&b, "store:\n  configFile: %s\n  containerStore:\n    number: %d\n    paused: %d\n    running: %d\n    stopped: %d\n",
		s.ConfigFile, s.ContainerStore.Number, s.ContainerStore.Paused, s.ContainerStore.Running, s.ContainerStore.Stopped)
	fmt.Fprintf(&b, "  graphDriverName: %s\n  graphRoot: %s\n  imageStore:\n    number: %d\n  runRoot: %s\n",
		s.GraphDriverName, s.GraphRoot, s.ImageStore.Number, s.RunRoot)
	v := info.Version
	fmt.Fprintf(&b, "version:\n  APIVersion: %s\n  GoVersion: %s\n  OsArch: %s\n  Version: %s\n", v.APIVersion, v.GoVersion, v.OsArch, v.Version)
	_, err := io.WriteString(out, b.String())
	return err
}
