package container

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CpOptions are the inputs of `pod cp`.
type CpOptions struct {
	Factory   *cmdutil.Factory
	Source    libpod.CopyTarget
	Dest      libpod.CopyTarget
	Archive   bool
	Overwrite bool
}

const cpLong = `Copy the contents of SRC_PATH to the DEST_PATH.

  You can copy from the container's file system to the local machine or the reverse, from the local filesystem to the container. If "-" is specified for either the SRC_PATH or DEST_PATH, you can also stream a tar archive from STDIN or to STDOUT. The CONTAINER can be a running or stopped container. The SRC_PATH or DEST_PATH can be a file or a directory.`

// NewCmdCp returns `pod cp` (also `pod container cp`).
func NewCmdCp(f *cmdutil.Factory, runF func(*CpOptions) error) *cobra.Command {
	o := &CpOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "cp [options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH",
		Short:   "Copy files/folders between a container and the local filesystem",
		Long:    cpLong,
		Example: "pod cp [options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.FlagErrorf("accepts 2 arg(s), received %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Source, o.Dest = ParseCopyTarget(args[0]), ParseCopyTarget(args[1])
			if o.Source.Path == "" || o.Dest.Path == "" {
				return cmdutil.FlagErrorf("invalid arguments %s, %s you must specify paths", args[0], args[1])
			}
			if runF != nil {
				return runF(o)
			}
			return runCp(cmd.Context(), o)
		},
	}
	flags := cmd.Flags()
	flags.BoolVarP(&o.Archive, "archive", "a", true, "Chown copied files to the primary uid/gid of the destination container.")
	flags.BoolVar(&o.Overwrite, "overwrite", false, "Allow to overwrite directories with non-directories and vice versa")
	return cmd
}

// ParseCopyTarget splits a `cp` argument into container and path, as
// podman does: "CONTAINER:PATH" names a container unless the argument
// starts with "." or "/" (a host path that may contain a colon).
func ParseCopyTarget(arg string) libpod.CopyTarget {
	if arg == "" || arg[0] == '.' || arg[0] == '/' {
		return libpod.CopyTarget{Path: arg}
	}
	if ctr, path, ok := strings.Cut(arg, ":"); ok {
		return libpod.CopyTarget{Container: ctr, Path: path}
	}
	return libpod.CopyTarget{Path: arg}
}

func runCp(ctx context.Context, o *CpOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	streams := o.Factory.IOStreams
	return e.CopyContainer(ctx, o.Source, o.Dest, libpod.CopyOptions{
		Chown: o.Archive, Overwrite: o.Overwrite, Stdin: streams.In, Stdout: streams.Out,
	})
}
