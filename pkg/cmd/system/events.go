package system

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/template"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// EventsOptions are the inputs of `pod events`.
type EventsOptions struct {
	Factory *cmdutil.Factory
	Filters []string
	Format  string
	Since   string
	Until   string
	Stream  bool
	NoTrunc bool
}

const eventsLong = `Monitor pod events.

  By default, streaming mode is used, printing new events as they occur.  Previous events can be listed via --since and --until.`

// NewCmdEvents returns `pod events`.
func NewCmdEvents(f *cmdutil.Factory, runF func(*EventsOptions) error) *cobra.Command {
	o := &EventsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "events [options]",
		Short: "Show pod events",
		Long:  eventsLong,
		Example: `pod events
  pod events --filter event=create
  pod events --format {{.Image}}
  pod events --since 1h30s`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("`%s` takes no arguments", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runEvents(cmd.Context(), o)
		},
	}
	flags := cmd.Flags()
	flags.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter output")
	flags.StringVar(&o.Format, "format", "", "format the output using a Go template")
	flags.BoolVar(&o.NoTrunc, "no-trunc", true, "do not truncate the output")
	flags.StringVar(&o.Since, "since", "", "show all events created since timestamp")
	flags.StringVar(&o.Until, "until", "", "show all events until timestamp")
	flags.BoolVar(&o.Stream, "stream", true, "stream events and do not exit when returning the last known event")
	return cmd
}

// eventsReadOptions turns the flags into what the engine reads: --until
// ends the stream once the past events are printed, as in podman.
func eventsReadOptions(o *EventsOptions, now time.Time) (events.ReadOptions, error) {
	filter, err := events.ParseFilters(o.Filters)
	if err != nil {
		return events.ReadOptions{}, err
	}
	ro := events.ReadOptions{Filter: filter, Stream: o.Stream && o.Until == ""}
	if o.Since != "" {
		if ro.Since, err = events.ParseTime(o.Since, true, now); err != nil {
			return events.ReadOptions{}, fmt.Errorf("invalid --since: %w", err)
		}
	}
	if o.Until != "" {
		if ro.Until, err = events.ParseTime(o.Until, false, now); err != nil {
			return events.ReadOptions{}, fmt.Errorf("invalid --until: %w", err)
		}
	}
	return ro, nil
}

// eventPrinter returns the function printing one event as --format says:
// podman's line by default, a JSON object per line for "json", else the
// template.
func eventPrinter(out io.Writer, format string, noTrunc bool) (func(*events.Event) error, error) {
	if format == "" {
		return func(e *events.Event) error {
			_, err := fmt.Fprintln(out, e.ToHumanReadable(!noTrunc))
			return err
		}, nil
	}
	text, _, isJSON := report.NormalizeFormat(format)
	if isJSON {
		return func(e *events.Event) error {
			line, err := json.Marshal(e)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(out, "%s\n", line)
			return err
		}, nil
	}
	tmpl, err := template.New("events").Funcs(report.FuncMap()).Parse(text)
	if err != nil {
		return nil, cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	return func(e *events.Event) error { return tmpl.Execute(out, e) }, nil
}

func runEvents(ctx context.Context, o *EventsOptions) error {
	ro, err := eventsReadOptions(o, time.Now())
	if err != nil {
		return err
	}
	printEvent, err := eventPrinter(o.Factory.IOStreams.Out, o.Format, o.NoTrunc)
	if err != nil {
		return err
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	return e.Events(ctx, ro, printEvent)
}
