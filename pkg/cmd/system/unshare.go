package system

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// UnshareOptions are the inputs of `pod unshare`.
type UnshareOptions struct {
	Factory *cmdutil.Factory
	Command []string
}

// NewCmdUnshare returns `pod unshare`: run a command inside the user and
// mount namespace where pod keeps its storage.
func NewCmdUnshare(f *cmdutil.Factory, runF func(*UnshareOptions) error) *cobra.Command {
	o := &UnshareOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "unshare [COMMAND [ARG...]]",
		Short: "Run a command in a modified user namespace",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Command = args
			if runF != nil {
				return runF(o)
			}
			return runUnshare(o)
		},
	}
	cmd.Flags().SetInterspersed(false)
	return cmd
}

func runUnshare(o *UnshareOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	args := o.Command
	if len(args) == 0 {
		sh := os.Getenv("SHELL")
		if sh == "" {
			sh = "/bin/sh"
		}
		args = []string{sh}
	}
	path, err := exec.LookPath(args[0])
	if err != nil {
		return fmt.Errorf("unshare: %s: %w", args[0], define.ErrCmdNotFound)
	}
	cfg := e.Config()
	cmd := exec.Command(path, args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "CONTAINERS_GRAPHROOT="+cfg.Storage.GraphRoot, "CONTAINERS_RUNROOT="+cfg.Storage.RunRoot)
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return &cmdutil.ExitError{Code: protocol.ExitCodeSignalBase + int(ws.Signal())}
		}
		return &cmdutil.ExitError{Code: ee.ExitCode()}
	}
	if err != nil {
		return fmt.Errorf("unshare: %w", err)
	}
	return nil
}
