package container

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/report"
)

// PsOptions are the inputs of `pod ps`.
type PsOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Quiet   bool
	NoTrunc bool
	// External also lists storage containers that are not pod's: another
	// tool's, or what a killed create left.
	External bool
	Format   string
	Filters  []string
	Last     int
}

const psDefaultFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"

// NewCmdPs returns `pod ps`.
func NewCmdPs(f *cmdutil.Factory, runF func(*PsOptions) error) *cobra.Command {
	o := &PsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "ps [options]",
		Short: "List containers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPs(o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "show all the containers, default is only running containers")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "print the numeric IDs of the containers only")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "do not truncate the output")
	fl.BoolVar(&o.External, "external", false, "show containers in storage not controlled by pod")
	fl.StringVar(&o.Format, "format", "", "pretty-print containers to JSON or using a Go template")
	fl.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter output based on conditions given")
	fl.IntVarP(&o.Last, "last", "n", -1, "print the n last created containers (all states)")
	return cmd
}

// PsRow is one container as `ps --format` templates see it.
type PsRow struct {
	ID           string
	Image        string
	ImageID      string
	Command      string
	CreatedHuman string
	CreatedAt    string
	Created      int64
	RunningFor   string
	Status       string
	State        string
	Ports        string
	Names        string
	Labels       map[string]string
	ExitCode     int
	Exited       bool
	Pid          int
	AutoRemove   bool
	Networks     []string
	Mounts       []string
}

// PsJSON is one container in `ps --format json`.
type PsJSON struct {
	AutoRemove bool              `json:"AutoRemove"`
	Command    []string          `json:"Command"`
	CreatedAt  string            `json:"CreatedAt"`
	Exited     bool              `json:"Exited"`
	ExitedAt   int64             `json:"ExitedAt"`
	ExitCode   int               `json:"ExitCode"`
	ID         string            `json:"Id"`
	Image      string            `json:"Image"`
	ImageID    string            `json:"ImageID"`
	IsInfra    bool              `json:"IsInfra"`
	Labels     map[string]string `json:"Labels"`
	Mounts     []string          `json:"Mounts"`
	Names      []string          `json:"Names"`
	Networks   []string          `json:"Networks"`
	Pid        int               `json:"Pid"`
	Pod        string            `json:"Pod"`
	PodName    string            `json:"PodName"`
	Ports      []PsPort          `json:"Ports"`
	StartedAt  int64             `json:"StartedAt"`
	State      string            `json:"State"`
	Status     string            `json:"Status"`
	Created    int64             `json:"Created"`
}

func runPs(o *PsOptions) error {
	flt, err := parsePsFilters(o.Filters)
	if err != nil {
		return err
	}
	var w *report.Writer
	if o.Format != "" && !o.Quiet {
		if w, err = report.NewWriter(o.Factory.IOStreams.Out, "ps", o.Format); err != nil {
			return cmdutil.FlagErrorf("invalid --format: %w", err)
		}
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	ctrs, bad, err := e.ListContainers()
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintln(o.Factory.IOStreams.ErrOut, cmdutil.Message(b))
	}
	now := time.Now()
	// As in podman (and docker), a status filter looks at every container.
	all := o.All || o.Last >= 0 || len(flt["status"]) > 0
	var sel []*libpod.Container
	for _, c := range ctrs {
		if !all && !c.State.Status.IsActive() {
			continue
		}
		if !flt.match(c) {
			continue
		}
		sel = append(sel, c)
	}
	if o.Last >= 0 && len(sel) > o.Last {
		sel = sel[:o.Last]
	}
	var ext []libpod.ExternalContainer
	if o.External {
		all, err := e.ExternalContainers()
		if err != nil {
			return err
		}
		for _, x := range all {
			if flt.matchExternal(x) {
				ext = append(ext, x)
			}
		}
	}
	out := o.Factory.IOStreams.Out
	if o.Quiet {
		for _, c := range sel {
			fmt.Fprintln(out, shortID(c.ID(), o.NoTrunc))
		}
		for _, x := range ext {
			fmt.Fprintln(out, shortID(x.ID, o.NoTrunc))
		}
		return nil
	}
	if w != nil && w.IsJSON() {
		rows := make([]PsJSON, 0, len(sel)+len(ext))
		for _, c := range sel {
			rows = append(rows, psJSON(c))
		}
		for _, x := range ext {
			rows = append(rows, externalJSON(x))
		}
		return report.WriteJSON(out, rows)
	}
	rows := make([]PsRow, 0, len(sel)+len(ext))
	for _, c := range sel {
		rows = append(rows, psRow(c, now, o.NoTrunc))
	}
	for _, x := range ext {
		rows = append(rows, externalRow(x, now, o.NoTrunc))
	}
	if w == nil {
		if w, err = report.NewWriter(out, "ps", psDefaultFormat); err != nil {
			return err
		}
	}
	w.Headers = map[string]string{"ID": "CONTAINER ID", "CreatedHuman": "CREATED", "RunningFor": "CREATED", "Image": "IMAGE"}
	err = w.Write(rows)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("ps --format: %w", err)
	}
	return nil
}

func shortID(id string, noTrunc bool) string {
	if noTrunc || len(id) <= 12 {
		return id
	}
	return id[:12]
}

func psRow(c *libpod.Container, now time.Time, noTrunc bool) PsRow {
	st := c.State
	return PsRow{
		ID:           shortID(c.ID(), noTrunc),
		Image:        c.Config.ImageName,
		ImageID:      shortID(c.Config.ImageID, noTrunc),
		Command:      strings.Join(c.ProcessArgs(), " "),
		CreatedHuman: report.TimeAgo(c.Config.Created, now),
		RunningFor:   report.TimeAgo(c.Config.Created, now),
		CreatedAt:    c.Config.Created.Format("2006-01-02 15:04:05.999999999 -0700 MST"),
		Created:      c.Config.Created.Unix(),
		Status:       psStatus(c, now),
		State:        string(c.State.Status),
		Names:        c.Name(),
		Ports:        psPorts(c),
		Labels:       c.Config.Labels,
		ExitCode:     st.ExitCode,
		Exited:       st.Status == define.StatusExited,
		Pid:          st.Pid,
		AutoRemove:   c.Config.AutoRemove,
	}
}

// PsPort is a published port in ps's JSON, podman's keys.
type PsPort struct {
	HostIP        string `json:"host_ip"`
	ContainerPort uint16 `json:"container_port"`
	HostPort      uint16 `json:"host_port"`
	Range         uint16 `json:"range"`
	Protocol      string `json:"protocol"`
}

// psPorts is the PORTS column: "0.0.0.0:8080->80/tcp, ...".
func psPorts(c *libpod.Container) string {
	var out []string
	for _, m := range c.Config.PortMappings {
		out = append(out, m.PsString())
	}
	return strings.Join(out, ", ")
}

func psJSONPorts(c *libpod.Container) []PsPort {
	var out []PsPort
	for _, m := range c.Config.PortMappings {
		out = append(out, PsPort{HostIP: m.HostIP, ContainerPort: m.ContainerPort, HostPort: m.HostPort, Range: max(m.Range, 1), Protocol: m.Protocol})
	}
	return out
}

// psStatus is the STATUS column: "Up 3 seconds ago", with the health in
// parentheses for a container with a health check.
func psStatus(c *libpod.Container, now time.Time) string {
	st := c.State
	s := report.ContainerStatus(string(st.Status), st.ExitCode, st.StartedAt, st.FinishedAt, now)
	if h := c.HealthStatus(); h != "" {
		s += " (" + h + ")"
	}
	return s
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func psJSON(c *libpod.Container) PsJSON {
	st := c.State
	return PsJSON{
		AutoRemove: c.Config.AutoRemove,
		Command:    c.ProcessArgs(),
		CreatedAt:  report.TimeAgo(c.Config.Created, time.Now()),
		Created:    c.Config.Created.Unix(),
		Exited:     st.Status == define.StatusExited,
		ExitedAt:   unixOrZero(st.FinishedAt),
		ExitCode:   st.ExitCode,
		ID:         c.ID(),
		Image:      c.Config.ImageName,
		ImageID:    c.Config.ImageID,
		Labels:     c.Config.Labels,
		Mounts:     []string{},
		Names:      []string{c.Name()},
		Ports:      psJSONPorts(c),
		Networks:   []string{},
		Pid:        st.Pid,
		StartedAt:  unixOrZero(st.StartedAt),
		State:      string(c.State.Status),
		Status:     psStatus(c, time.Now()),
	}
}

// externalRow is a storage container as a ps row: its creator as the
// command, "Storage" as the status.
func externalRow(x libpod.ExternalContainer, now time.Time, noTrunc bool) PsRow {
	return PsRow{
		ID:           shortID(x.ID, noTrunc),
		Image:        x.Image,
		ImageID:      shortID(x.ImageID, noTrunc),
		Command:      x.Creator,
		CreatedHuman: report.TimeAgo(x.Created, now),
		RunningFor:   report.TimeAgo(x.Created, now),
		CreatedAt:    x.Created.Format("2006-01-02 15:04:05.999999999 -0700 MST"),
		Created:      x.Created.Unix(),
		Status:       "Storage",
		State:        "storage",
		Names:        strings.Join(x.Names, ","),
	}
}

func externalJSON(x libpod.ExternalContainer) PsJSON {
	names := x.Names
	if names == nil {
		names = []string{}
	}
	return PsJSON{
		Command: []string{x.Creator}, CreatedAt: report.TimeAgo(x.Created, time.Now()), Created: x.Created.Unix(),
		ID: x.ID, Image: x.Image, ImageID: x.ImageID, Labels: map[string]string{}, Mounts: []string{}, Names: names,
		Networks: []string{}, State: "storage", Status: "Storage",
	}
}

type psFilters map[string][]string

func parsePsFilters(in []string) (psFilters, error) {
	f := psFilters{}
	for _, s := range in {
		k, v, ok := strings.Cut(s, "=")
		if !ok || v == "" {
			return nil, cmdutil.FlagErrorf("invalid filter %q: use key=value: %w", s, define.ErrInvalidArg)
		}
		switch k {
		case "id", "name", "status", "label", "ancestor", "exited":
		case "restart-policy":
			if _, _, err := protocol.ParseRestartPolicy(v); err != nil || strings.Contains(v, ":") {
				return nil, cmdutil.FlagErrorf("invalid restart-policy filter %q: want no, on-failure, always or unless-stopped: %w", v, define.ErrInvalidArg)
			}
		default:
			return nil, cmdutil.FlagErrorf("invalid filter %q: supported keys are id, name, status, label, ancestor, exited, restart-policy: %w", k, define.ErrInvalidArg)
		}
		if k == "status" {
			switch v {
			case "created", "running", "paused", "stopped", "exited", "unknown", "restarting", "removing", "configured":
			default:
				return nil, cmdutil.FlagErrorf("invalid status filter %q: %w", v, define.ErrInvalidArg)
			}
		}
		if k == "exited" {
			if _, err := strconv.Atoi(v); err != nil {
				return nil, cmdutil.FlagErrorf("invalid exited filter %q: want an exit code: %w", v, define.ErrInvalidArg)
			}
		}
		if k == "name" {
			if _, err := regexp.Compile(v); err != nil {
				return nil, cmdutil.FlagErrorf("invalid name filter %q: %w", v, define.ErrInvalidArg)
			}
		}
		f[k] = append(f[k], v)
	}
	return f, nil
}

// matchExternal applies the id and name filters to a storage container;
// any other filter excludes it (it has no status, labels or exit code).
func (f psFilters) matchExternal(x libpod.ExternalContainer) bool {
	for k, vals := range f {
		ok := false
		for _, v := range vals {
			switch k {
			case "id":
				ok = ok || strings.HasPrefix(x.ID, v)
			case "name":
				for _, n := range x.Names {
					ok = ok || regexp.MustCompile(v).MatchString(n)
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// match: values of one key are alternatives, different keys all apply.
func (f psFilters) match(c *libpod.Container) bool {
	for k, vals := range f {
		ok := false
		for _, v := range vals {
			switch k {
			case "id":
				ok = strings.HasPrefix(c.ID(), v)
			case "name":
				ok = regexp.MustCompile(v).MatchString(c.Name())
			case "status":
				ok = string(c.State.Status) == v || (v == "stopped" && string(c.State.Status) == "exited")
			case "label":
				lk, lv, hasVal := strings.Cut(v, "=")
				got, present := c.Config.Labels[lk]
				ok = present && (!hasVal || got == lv)
			case "ancestor":
				ok = c.Config.ImageID == v || strings.HasPrefix(c.Config.ImageID, v) || c.Config.ImageName == v || c.Config.Image == v ||
					strings.HasSuffix(c.Config.ImageName, "/"+v) || strings.HasSuffix(c.Config.ImageName, "/"+v+":latest")
			case "exited":
				ok = c.State.Status == define.StatusExited && fmt.Sprint(c.State.ExitCode) == v
			case "restart-policy":
				ok = c.Config.RestartPolicy == v || (v == protocol.RestartNo && c.Config.RestartPolicy == "")
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
