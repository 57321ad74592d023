package container

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// execStateExitCode is podman's exit code for an exec into a container
// that does not run.
const execStateExitCode = 255

// ExecOptions are the inputs of `pod exec`.
type ExecOptions struct {
	Factory     *cmdutil.Factory
	Name        string
	Command     []string
	Interactive bool
	TTY         bool
	Detach      bool
	Env         []string
	EnvFiles    []string
	User        string
	WorkDir     string
	Privileged  bool
	DetachKeys  string
}

// NewCmdExec returns `pod exec`.
func NewCmdExec(f *cmdutil.Factory, runF func(*ExecOptions) error) *cobra.Command {
	o := &ExecOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "exec [options] CONTAINER COMMAND [ARG...]",
		Short: "Run a process in a running container",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return cmdutil.FlagErrorf("exec requires the name or ID of a container and a command to run")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name, o.Command = args[0], args[1:]
			if runF != nil {
				return runF(o)
			}
			return runExec(cmd.Context(), o)
		},
	}
	fs := cmd.Flags()
	fs.SetInterspersed(false)
	fs.BoolVarP(&o.Interactive, "interactive", "i", false, "keep STDIN open even if not attached")
	fs.BoolVarP(&o.TTY, "tty", "t", false, "allocate a pseudo-TTY")
	fs.BoolVarP(&o.Detach, "detach", "d", false, "run the exec session in detached mode (backgrounded)")
	fs.StringArrayVarP(&o.Env, "env", "e", nil, "set environment variables")
	fs.StringArrayVar(&o.EnvFiles, "env-file", nil, "read in a file of environment variables")
	fs.StringVarP(&o.User, "user", "u", "", "username or UID (format: <name|uid>[:<group|gid>])")
	fs.StringVarP(&o.WorkDir, "workdir", "w", "", "working directory inside the container")
	fs.BoolVar(&o.Privileged, "privileged", false, "give the process extended privileges (within the user namespace)")
	addDetachKeysFlag(cmd, &o.DetachKeys)
	return cmd
}

func runExec(_ context.Context, o *ExecOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	eo := &libpod.ExecOptions{
		Cmd: o.Command, Env: o.Env, EnvFiles: o.EnvFiles, User: o.User, WorkDir: o.WorkDir,
		Tty: o.TTY, Interactive: o.Interactive, Detach: o.Detach, Privileged: o.Privileged,
	}
	var a *attachTerm
	if !o.Detach {
		a = newAttachTerm(o.Factory.IOStreams, o.TTY, o.DetachKeys)
		eo.Streams = a.streams
	}
	sess, err := e.ExecContainer(o.Name, eo)
	if err != nil {
		if a != nil {
			a.done()
		}
		if errors.Is(err, define.ErrCtrStateInvalid) {
			return &cmdutil.ExitError{Code: execStateExitCode, Err: err}
		}
		return err
	}
	if sess == nil {
		return nil // detached
	}
	return exitStatus(a.follow(sess, true))
}
