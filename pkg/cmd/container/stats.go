package container

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// StatsOptions are the inputs of `pod stats`.
type StatsOptions struct {
	Factory  *cmdutil.Factory
	Names    []string
	All      bool
	NoStream bool
	NoReset  bool
	NoTrunc  bool
	Format   string
	Interval int
}

// statsDefaultFormat is podman's stats table.
const statsDefaultFormat = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}\t{{.UpTime}}\t{{.AVGCPU}}"

// NewCmdStats returns `pod stats`: the resource use of containers, read
// from their cgroups (rootless, only where cgroup v2 gives each container
// one, as podman).
func NewCmdStats(f *cmdutil.Factory, runF func(*StatsOptions) error) *cobra.Command {
	o := &StatsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:     "stats [options] [CONTAINER...]",
		Short:   "Display a live stream of container resource usage statistics",
		Example: "  pod stats --all --no-stream\n  pod stats ctrID\n  pod stats --no-stream --format \"table {{.ID}} {{.Name}} {{.MemUsage}}\" ctrID",
		Args: func(cmd *cobra.Command, args []string) error {
			if o.All && len(args) > 0 {
				return cmdutil.FlagErrorf("--all and containers cannot be given together")
			}
			if o.Interval < 1 {
				return cmdutil.FlagErrorf("invalid interval, must be a positive number greater zero")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			if runF != nil {
				return runF(o)
			}
			return runStats(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "Show all containers. Only running containers are shown by default. The default is false")
	fl.StringVar(&o.Format, "format", "", "Pretty-print container statistics to JSON or using a Go template")
	fl.IntVarP(&o.Interval, "interval", "i", 5, "Time in seconds between stats reports")
	fl.BoolVar(&o.NoReset, "no-reset", false, "Disable resetting the screen between intervals")
	fl.BoolVar(&o.NoStream, "no-stream", false, "Disable streaming stats and only pull the first result, default setting is false")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "Do not truncate output")
	return cmd
}

// StatsRow is one line of `pod stats`, as its --format templates see it.
type StatsRow struct {
	ID, Name, CPUPerc, MemUsage, MemPerc, NetIO, BlockIO, PIDS, UpTime, AVGCPU string
}

// statsJSON is podman's JSON form of a stats line.
type statsJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CPUTime    string `json:"cpu_time"`
	CPUPerc    string `json:"cpu_percent"`
	AverageCPU string `json:"avg_cpu"`
	MemUsage   string `json:"mem_usage"`
	MemPerc    string `json:"mem_percent"`
	NetIO      string `json:"net_io"`
	BlockIO    string `json:"block_io"`
	Pids       string `json:"pids"`
}

func runStats(ctx context.Context, o *StatsOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	out := o.Factory.IOStreams.Out
	prev := map[string]libpod.ContainerStats{}
	for first := true; ; first = false {
		stats, err := e.ContainerStats(ctx, o.Names, o.All)
		if err != nil {
			return err
		}
		rows := make([]StatsRow, 0, len(stats))
		for _, s := range stats {
			rows = append(rows, statsRow(s, prev[s.ID], o.NoTrunc))
			prev[s.ID] = s
		}
		if !first && !o.NoReset {
			fmt.Fprint(out, "\033[2J\033[1;1H")
		}
		if err := writeStats(o, rows); err != nil {
			return err
		}
		if o.NoStream {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Duration(o.Interval) * time.Second):
		}
	}
}

func writeStats(o *StatsOptions, rows []StatsRow) error {
	out := o.Factory.IOStreams.Out
	format := o.Format
	if format == "" {
		format = statsDefaultFormat
	}
	w, err := report.NewWriter(out, "stats", format)
	if err != nil {
		return cmdutil.NewFlagError(err)
	}
	if w.IsJSON() {
		list := make([]statsJSON, 0, len(rows))
		for _, r := range rows {
			list = append(list, statsJSON{ID: r.ID, Name: r.Name, CPUTime: r.UpTime, CPUPerc: r.CPUPerc, AverageCPU: r.AVGCPU,
				MemUsage: r.MemUsage, MemPerc: r.MemPerc, NetIO: r.NetIO, BlockIO: r.BlockIO, Pids: r.PIDS})
		}
		return report.WriteJSON(out, list)
	}
	w.Headers = map[string]string{"ID": "ID", "CPUPerc": "CPU %", "MemUsage": "MEM USAGE / LIMIT", "MemPerc": "MEM %",
		"NetIO": "NET IO", "BlockIO": "BLOCK IO", "PIDS": "PIDS", "UpTime": "CPU TIME", "AVGCPU": "AVG CPU %"}
	err = w.Write(rows)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("stats --format: %w", err)
	}
	return nil
}

// statsRow formats s as podman does; CPU % is the use since prev (the
// last sample of the container), or since the start for the first one.
func statsRow(s, prev libpod.ContainerStats, noTrunc bool) StatsRow {
	avg := 0.0
	if up := s.Read.Sub(s.Started).Seconds(); !s.Started.IsZero() && up > 0 {
		avg = float64(s.CPUNano) / 1e9 / up * 100
	}
	cpu := avg
	if dt := s.Read.Sub(prev.Read).Seconds(); !prev.Read.IsZero() && dt > 0 && s.CPUNano >= prev.CPUNano {
		cpu = float64(s.CPUNano-prev.CPUNano) / 1e9 / dt * 100
	}
	mem := 0.0
	if s.MemLimit > 0 {
		mem = float64(s.MemUsage) / float64(s.MemLimit) * 100
	}
	pids := "--"
	if s.PIDs > 0 {
		pids = strconv.FormatUint(s.PIDs, 10)
	}
	return StatsRow{
		ID: shortID(s.ID, noTrunc), Name: s.Name, CPUPerc: percent(cpu), MemUsage: humanPair(s.MemUsage, s.MemLimit),
		MemPerc: percent(mem), NetIO: humanPair(s.NetInput, s.NetOutput), BlockIO: humanPair(s.BlockInput, s.BlockOutput),
		PIDS: pids, UpTime: time.Duration(s.CPUNano).String(), AVGCPU: percent(avg),
	}
}

func percent(f float64) string {
	if f == 0 {
		return "--"
	}
	return fmt.Sprintf("%.2f%%", f)
}

func humanPair(a, b uint64) string {
	if a == 0 && b == 0 {
		return "-- / --"
	}
	return units.HumanSize(float64(a)) + " / " + units.HumanSize(float64(b))
}
