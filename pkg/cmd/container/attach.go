package container

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// startAttached starts c with the CLI's stdio attached, proxies signals (or
// the terminal size with a tty), waits for the exit and cleans up. It
// returns the container's exit code.
func startAttached(ctx context.Context, f *cmdutil.Factory, e cmdutil.Engine, c *libpod.Container) (int, error) {
	io := f.IOStreams
	streams := &libpod.AttachStreams{Stdin: io.InFile, Stdout: io.OutFile, Stderr: io.ErrFile}
	termFile := io.InFile
	if !cmdutil.IsTerminal(termFile) {
		termFile = io.OutFile
	}
	tty := c.Config.Terminal && cmdutil.IsTerminal(termFile)
	var restore func()
	if tty {
		if st, err := term.MakeRaw(int(termFile.Fd())); err == nil {
			restore = func() { _ = term.Restore(int(termFile.Fd()), st) }
		}
	}
	if restore != nil {
		defer restore()
	}
	if tty {
		if ws, err := unix.IoctlGetWinsize(int(termFile.Fd()), unix.TIOCGWINSZ); err == nil {
			streams.Rows, streams.Cols = ws.Row, ws.Col
		}
	}
	sess, err := e.StartContainer(ctx, c.ID(), streams)
	if err != nil {
		removeAfterFailedStart(ctx, e, c)
		return -1, err
	}
	sigs := make(chan os.Signal, 8)
	proxied := []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}
	if tty {
		proxied = append(proxied, syscall.SIGWINCH)
	}
	signal.Notify(sigs, proxied...)
	defer func() { signal.Stop(sigs); close(sigs) }() // ends the forwarding goroutine
	go func() {
		for s := range sigs {
			if s == syscall.SIGWINCH {
				resize(sess, termFile)
				continue
			}
			if pid := sess.Pid(); pid > 0 {
				_ = unix.Kill(pid, s.(syscall.Signal))
			}
		}
	}()
	code, err := sess.Wait()
	if restore != nil {
		restore()
		restore = nil
	}
	if ferr := sess.Finish(); err == nil && ferr != nil {
		err = ferr
	}
	return code, err
}

// runAttached starts c attached and turns a non-zero container exit code
// into the command's exit code.
func runAttached(ctx context.Context, f *cmdutil.Factory, e cmdutil.Engine, c *libpod.Container) error {
	code, err := startAttached(ctx, f, e, c)
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
