package root

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmd/complete"
	"github.com/pod-engine/pod/pkg/cmd/container"
	"github.com/pod-engine/pod/pkg/cmd/image"
	"github.com/pod-engine/pod/pkg/cmd/manifest"
	"github.com/pod-engine/pod/pkg/cmd/network"
	"github.com/pod-engine/pod/pkg/cmd/system"
	"github.com/pod-engine/pod/pkg/cmd/volume"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/userns"
)

// Version is set at build time with -ldflags "-X ...root.Version=...".
var Version = "0.1.0-dev"

// Main runs pod with the process's arguments and returns the exit code.
func Main() int {
	if libpod.ReexecInit() {
		return 0
	}
	userns.SyncEnv()
	if os.Getenv("GOGC") == "" {
		// A command is short-lived and keeps little: collecting garbage
		// less often saves a listing of many containers a fifth of its
		// time. The monitor, which lives long, keeps the default.
		debug.SetGCPercent(cliGCPercent)
	}
	f := cmdutil.NewFactory(Version)
	defer f.Shutdown()
	cmd := NewCmdRoot(f)
	args := expandGlobalShorthands(cmd, os.Args[1:])
	if complete.Requested(args) {
		complete.Register(cmd, f)
	}
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	if err == nil {
		return 0
	}
	if msg := cmdutil.Message(err); msg != "" {
		fmt.Fprintln(f.IOStreams.ErrOut, msg)
	}
	return cmdutil.ExitCode(err)
}

// cliGCPercent is the CLI's garbage collection target (GOGC; the Go
// default is 100).
const cliGCPercent = 400

// NewCmdRoot returns the root command with every noun and verb.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	gf := &globalFlags{}
	cmd := &cobra.Command{
		Use:           "pod [options] [command]",
		Short:         "Manage containers and images, rootless and without a daemon",
		Long:          "pod runs OCI containers as an unprivileged user: no root, no daemon, no systemd.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkGlobals(cmd, f, gf); err != nil {
				return err
			}
			logrus.Debugf("pod %s: %s", Version, strings.Join(os.Args, " "))
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.ParseError(cmd.CommandPath(), fmt.Errorf("unrecognized command `pod %s`", args[0]))
			}
			return cmd.Help()
		},
		Args: cobra.ArbitraryArgs,
	}
	cmd.SetVersionTemplate("pod version {{.Version}}\n")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return cmdutil.ParseError(c.CommandPath(), err) })
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	addGlobalFlags(cmd, &f.Global, gf)

	cmd.AddGroup(&cobra.Group{ID: "main", Title: "Available Commands:"}, &cobra.Group{ID: "mgmt", Title: "Management Commands:"})
	for _, c := range []*cobra.Command{
		container.NewCmdCreate(f, nil),
		container.NewCmdStart(f, nil),
		container.NewCmdAttach(f, nil),
		container.NewCmdExec(f, nil),
		container.NewCmdRestart(f, nil),
		container.NewCmdPort(f, nil),
		container.NewCmdRun(f, nil),
		container.NewCmdPs(f, nil),
		container.NewCmdLogs(f, nil),
		container.NewCmdStop(f, nil),
		container.NewCmdKill(f, nil),
		container.NewCmdPause(f, nil),
		container.NewCmdUnpause(f, nil),
		container.NewCmdRename(f, nil),
		container.NewCmdRm(f, nil),
		container.NewCmdWait(f, nil),
		container.NewCmdInspect(f, nil),
		container.NewCmdCp(f, nil),
		container.NewCmdTop(f, nil),
		container.NewCmdDiff(f, nil),
		container.NewCmdMount(f, nil),
		container.NewCmdUnmount(f, nil),
		container.NewCmdStats(f, nil),
		container.NewCmdCommit(f, nil),
		container.NewCmdExport(f, nil),
		system.NewCmdEvents(f, nil),
		image.NewCmdPull(f, nil),
		image.NewCmdPush(f, nil),
		image.NewCmdLogin(f, nil),
		image.NewCmdLogout(f, nil),
		image.NewCmdImages(f, nil),
		image.NewCmdRmi(f, nil),
		image.NewCmdTag(f, nil),
		image.NewCmdUntag(f, nil),
		image.NewCmdHistory(f, nil),
		image.NewCmdSave(f, nil),
		image.NewCmdLoad(f, nil),
		image.NewCmdSearch(f, nil),
		image.NewCmdImport(f, nil),
		image.NewCmdBuild(f, nil),
		system.NewCmdInfo(f, nil),
		system.NewCmdVersion(f, nil),
		system.NewCmdUnshare(f, nil),
		system.NewCmdDoctor(f, nil), // `pod doctor` is `pod system doctor`
	} {
		c.GroupID = "main"
		cmd.AddCommand(c)
	}
	for _, c := range []*cobra.Command{container.NewCmdContainer(f), image.NewCmdImage(f), system.NewCmdSystem(f), container.NewCmdHealthcheck(f), manifest.NewCmdManifest(f), volume.NewCmdVolume(f), network.NewCmdNetwork(f)} {
		c.GroupID = "mgmt"
		cmd.AddCommand(c)
	}
	cmd.SetHelpCommandGroupID("main")
	cmd.SetCompletionCommandGroupID("main")
	complete.Setup(cmd)
	return cmd
}
