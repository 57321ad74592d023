package container

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/logs"
)

// LogsOptions are the inputs of `pod logs`.
type LogsOptions struct {
	Factory *cmdutil.Factory
	targetFlags
	// Names prefixes each line with the container's name (with more than
	// one container; else its short id); Color colours each container's
	// lines.
	ShowNames  bool
	Color      bool
	Follow     bool
	Tail       int
	Timestamps bool
	Since      string
	Until      string
	Names      []string
}

// NewCmdLogs returns `pod logs`.
func NewCmdLogs(f *cmdutil.Factory, runF func(*LogsOptions) error) *cobra.Command {
	o := &LogsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "logs [options] CONTAINER [CONTAINER...]",
		Short: "Fetch the logs of one or more containers",
		Args: func(cmd *cobra.Command, args []string) error {
			return o.check(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runLogs(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.Follow, "follow", "f", false, "follow log output")
	fl.IntVar(&o.Tail, "tail", -1, "output the specified number of lines at the end of the logs (-1 for all)")
	fl.BoolVarP(&o.Timestamps, "timestamps", "t", false, "output the timestamps in the log")
	fl.StringVar(&o.Since, "since", "", "show logs since TIMESTAMP or duration")
	fl.StringVar(&o.Until, "until", "", "show logs until TIMESTAMP or duration")
	fl.BoolVarP(&o.ShowNames, "names", "n", false, "output the container name in the log")
	fl.BoolVar(&o.Color, "color", false, "output the containers with different colors in the log")
	o.addLatest(cmd)
	return cmd
}

func runLogs(ctx context.Context, o *LogsOptions) error {
	opts := logs.Options{Tail: o.Tail, Timestamps: o.Timestamps, Follow: o.Follow}
	now := time.Now()
	var err error
	if o.Since != "" {
		if opts.Since, err = logs.ParseSince(o.Since, now); err != nil {
			return cmdutil.FlagErrorf("--since: %w", errors.Join(err, define.ErrInvalidArg))
		}
	}
	if o.Until != "" {
		if opts.Until, err = logs.ParseUntil(o.Until, now); err != nil {
			return cmdutil.FlagErrorf("--until: %w", errors.Join(err, define.ErrInvalidArg))
		}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	ios := o.Factory.IOStreams
	names, err := o.resolve(e, cmdutil.NewErrors(ios.ErrOut), o.Names, nil)
	if err != nil {
		return err
	}
	if len(names) == 1 && !o.Color {
		return e.ContainerLogs(ctx, names[0], opts, ios.Out, ios.ErrOut)
	}
	var mu sync.Mutex
	run := func(i int, n string) error {
		prefix := ""
		if len(names) > 1 {
			prefix = n
			if c, err := e.Container(n); err == nil {
				prefix = c.ID()[:12]
				if o.ShowNames {
					prefix = c.Name()
				}
			}
			prefix += " "
		}
		color, reset := "", ""
		if o.Color {
			color, reset = logColor(i), "\x1b[0m"
		}
		stdout := &lineWriter{mu: &mu, w: ios.Out, prefix: color + prefix, suffix: reset}
		stderr := &lineWriter{mu: &mu, w: ios.ErrOut, prefix: color + prefix, suffix: reset}
		err := e.ContainerLogs(ctx, n, opts, stdout, stderr)
		stdout.flush()
		stderr.flush()
		return err
	}
	if !o.Follow {
		for i, n := range names {
			if err := run(i, n); err != nil {
				return err
			}
		}
		return nil
	}
	// Following, every container's log is read at once.
	errc := make(chan error, len(names))
	for i, n := range names {
		go func() { errc <- run(i, n) }()
	}
	var first error
	for range names {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// logColor is the colour of --color for the i-th container.
func logColor(i int) string {
	codes := [...]string{"37", "31", "33", "34", "35", "36", "32"}
	return "\x1b[" + codes[i%len(codes)] + "m"
}

// lineWriter writes whole lines to w, each between prefix and suffix; the
// mutex, shared by the writers of every container, keeps lines whole.
type lineWriter struct {
	mu     *sync.Mutex
	w      io.Writer
	prefix string
	suffix string
	buf    []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if err := l.emit(l.buf[:i]); err != nil {
			return 0, err
		}
		l.buf = l.buf[i+1:]
	}
}

func (l *lineWriter) emit(line []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := fmt.Fprintf(l.w, "%s%s%s\n", l.prefix, line, l.suffix)
	return err
}

// flush writes what is left of a last line without a newline.
func (l *lineWriter) flush() {
	if len(l.buf) > 0 {
		_ = l.emit(l.buf)
		l.buf = nil
	}
}
