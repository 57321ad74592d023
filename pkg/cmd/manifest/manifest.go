package manifest

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// NewCmdManifest returns the `pod manifest` noun with its verbs.
func NewCmdManifest(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Manipulate manifest lists and image indexes",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		NewCmdAdd(f, nil),
		NewCmdAnnotate(f, nil),
		NewCmdCreate(f, nil),
		NewCmdExists(f, nil),
		NewCmdInspect(f, nil),
		NewCmdPush(f, nil),
		NewCmdRemove(f, nil),
		NewCmdRm(f, nil),
	)
	return cmd
}

// OverrideFlags are the platform and annotation options of add and
// annotate.
type OverrideFlags struct {
	image.InstanceOverrides
	Features []string
}

func (o *OverrideFlags) add(fl *pflag.FlagSet) {
	fl.StringArrayVar(&o.Annotations, "annotation", nil, "set an `annotation` (key=value) for the specified image")
	fl.StringVar(&o.Arch, "arch", "", "override the `architecture` of the specified image")
	fl.StringSliceVar(&o.Features, "features", nil, "override the `features` of the specified image")
	fl.StringVar(&o.OS, "os", "", "override the `OS` of the specified image")
	fl.StringVar(&o.OSVersion, "os-version", "", "override the OS `version` of the specified image")
	fl.StringVar(&o.Variant, "variant", "", "override the `Variant` of the specified image")
}
