package container

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// attachTerm is the CLI's side of an attached container: its streams, and
// the terminal put in raw mode while a -t container is attached.
type attachTerm struct {
	streams  *libpod.AttachStreams
	termFile *os.File // the user's terminal, or nil
	restore  func()
}

// newAttachTerm prepares the CLI's stdio for a container (with a tty when
// tty is set and the CLI has a terminal): raw mode, initial size.
func newAttachTerm(io *cmdutil.IOStreams, tty bool, detachKeys string) *attachTerm {
	a := &attachTerm{streams: &libpod.AttachStreams{Stdin: io.InFile, Stdout: io.OutFile, Stderr: io.ErrFile, DetachKeys: detachKeys}}
	tf := io.InFile
	if !cmdutil.IsTerminal(tf) {
		tf = io.OutFile
	}
	if !tty || !cmdutil.IsTerminal(tf) {
		return a
	}
	a.termFile = tf
	if st, err := term.MakeRaw(int(tf.Fd())); err == nil {
		a.restore = func() { _ = term.Restore(int(tf.Fd()), st) }
	}
	if ws, err := unix.IoctlGetWinsize(int(tf.Fd()), unix.TIOCGWINSZ); err == nil {
		a.streams.Rows, a.streams.Cols = ws.Row, ws.Col
	}
	return a
}

// done restores the terminal; it may be called more than once.
func (a *attachTerm) done() {
	if a.restore != nil {
		a.restore()
		a.restore = nil
	}
}

// follow drives an attachment until the container exits or the user
// detaches: signals go to the container (sigProxy), window size changes to
// its terminal. It returns the exit code, or 0 after a detach.
func (a *attachTerm) follow(sess libpod.Attachment, sigProxy bool) (int, error) {
	defer a.done()
	sigs := make(chan os.Signal, 8)
	var watched []os.Signal
	if sigProxy {
		watched = append(watched, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
	}
	if a.termFile != nil {
		watched = append(watched, syscall.SIGWINCH)
	}
	if len(watched) > 0 {
		signal.Notify(sigs, watched...)
	}
	defer func() { signal.Stop(sigs); close(sigs) }() // ends the forwarding goroutine
	go func() {
		for s := range sigs {
			if s == syscall.SIGWINCH {
				resize(sess, a.termFile)
				continue
			}
			if pid := sess.Pid(); pid > 0 {
				_ = unix.Kill(pid, s.(syscall.Signal))
			}
		}
	}()
	code, err := sess.Wait()
	a.done()
	if ferr := sess.Finish(); err == nil && ferr != nil {
		err = ferr
	}
	if errors.Is(err, define.ErrDetach) {
		return 0, nil
	}
	return code, err
}

// attachFlags are the attach settings of run and start -a.
type attachFlags struct {
	detachKeys string
	sigProxy   bool
}

// startAttached starts c with the CLI's stdio attached, proxies signals
// (with sigProxy) and the terminal size (with a tty), waits for the exit
// and cleans up. It returns the container's exit code (0 after a detach).
func startAttached(ctx context.Context, f *cmdutil.Factory, e cmdutil.Engine, c *libpod.Container, af attachFlags) (int, error) {
	a := newAttachTerm(f.IOStreams, c.Config.Terminal, af.detachKeys)
	sess, err := e.StartContainer(ctx, c.ID(), a.streams)
	if err != nil {
		a.done()
		removeAfterFailedStart(ctx, e, c)
		return -1, err
	}
	return a.follow(sess, af.sigProxy)
}

// runAttached starts c attached and turns a non-zero container exit code
// into the command's exit code.
func runAttached(ctx context.Context, f *cmdutil.Factory, e cmdutil.Engine, c *libpod.Container, af attachFlags) error {
	code, err := startAttached(ctx, f, e, c, af)
	return exitStatus(code, err)
}

// exitStatus is the command's outcome for a container's exit code.
func exitStatus(code int, err error) error {
	if err != nil {
		return err
	}
	if code != 0 {
		return &cmdutil.ExitError{Code: code}
	}
	return nil
}

func resize(sess libpod.Attachment, f *os.File) {
	if f == nil {
		return
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err == nil {
		sess.Resize(ws.Row, ws.Col)
	}
}
