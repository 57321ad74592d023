package container

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"
)

// PsOptions are the inputs of `pod ps`.
type PsOptions struct {
	Factory *cmdutil.Factory
	All     bool
	Quiet   bool
	NoTrunc bool
	// External also lists storage containers that are not pod's: another
	// tool's (a build's), or what a killed create left.
	External  bool
	Format    string
	Filters   []string
	Last      int
	Latest    bool
	NoHeading bool
	Namespace bool
	Pod       bool
	Size      bool
	Sort      string
	Sync      bool
	Watch     uint
}

// psSortKeys are the values of ps --sort, podman's.
var psSortKeys = []string{"command", "created", "id", "image", "names", "runningfor", "size", "status"}

const psDefaultFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"

// psNSFormat is the table of ps --ns.
const psNSFormat = "table {{.ID}}\t{{.Names}}\t{{.Pid}}\t{{.CgroupNS}}\t{{.IPCNS}}\t{{.MNTNS}}\t{{.NETNS}}\t{{.PIDNS}}\t{{.UserNS}}\t{{.UTSNS}}"

// NewCmdPs returns `pod ps`.
func NewCmdPs(f *cmdutil.Factory, runF func(*PsOptions) error) *cobra.Command {
	o := &PsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "ps [options]",
		Short: "List containers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(psSortKeys, o.Sort) {
				return cmdutil.FlagErrorf("invalid --sort %q: use one of %s", o.Sort, strings.Join(psSortKeys, ", "))
			}
			if o.Watch > 0 && o.Latest {
				return cmdutil.FlagErrorf("--watch and --latest cannot be used together")
			}
			if runF != nil {
				return runF(o)
			}
			return runPs(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&o.All, "all", "a", false, "show all the containers, default is only running containers")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "print the numeric IDs of the containers only")
	fl.BoolVar(&o.NoTrunc, "no-trunc", false, "do not truncate the output")
	fl.BoolVar(&o.External, "external", false, "show containers in storage not controlled by pod")
	fl.StringVar(&o.Format, "format", "", "pretty-print containers to JSON or using a Go template")
	fl.StringArrayVarP(&o.Filters, "filter", "f", nil, "filter output based on conditions given ("+strings.Join(libpod.ContainerFilterKeys, ", ")+")")
	fl.IntVarP(&o.Last, "last", "n", -1, "print the n last created containers (all states)")
	fl.BoolVarP(&o.Latest, "latest", "l", false, "act on the latest container pod is aware of")
	fl.BoolVar(&o.NoHeading, "noheading", false, "do not print headers")
	fl.BoolVar(&o.Namespace, "ns", false, "display namespace information")
	fl.BoolVarP(&o.Pod, "pod", "p", false, "print the ID and name of the pod the containers are associated with")
	fl.BoolVarP(&o.Size, "size", "s", false, "display the total file sizes")
	fl.StringVar(&o.Sort, "sort", "created", "sort output by: "+strings.Join(psSortKeys, ", "))
	fl.BoolVar(&o.Sync, "sync", false, "sync container state with OCI runtime (pod always does)")
	fl.UintVarP(&o.Watch, "watch", "w", 0, "watch the ps output on an interval in seconds")
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
	// Pod and PodName are empty: pod has no pods yet.
	Pod     string
	PodName string
	// Size is "RW (virtual ROOTFS)" with --size, else "".
	Size string
	// The namespaces of --ns.
	CgroupNS, IPCNS, MNTNS, NETNS, PIDNS, UserNS, UTSNS string

	started time.Time
	created time.Time
	size    libpod.ContainerSize
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
	Namespaces PsJSONNamespaces  `json:"Namespaces"`
	Networks   []string          `json:"Networks"`
	Pid        int               `json:"Pid"`
	Pod        string            `json:"Pod"`
	PodName    string            `json:"PodName"`
	Ports      []PsPort          `json:"Ports"`
	Size       *PsJSONSize       `json:"Size"`
	StartedAt  int64             `json:"StartedAt"`
	State      string            `json:"State"`
	Status     string            `json:"Status"`
	Created    int64             `json:"Created"`
}

// PsJSONNamespaces are the namespaces in ps's JSON (filled with --ns).
type PsJSONNamespaces struct {
	Cgroup string `json:"Cgroup,omitempty"`
	IPC    string `json:"Ipc,omitempty"`
	MNT    string `json:"Mnt,omitempty"`
	NET    string `json:"Net,omitempty"`
	PIDNS  string `json:"Pidns,omitempty"`
	User   string `json:"User,omitempty"`
	UTS    string `json:"Uts,omitempty"`
}

// PsJSONSize is a container's size in ps's JSON (with --size).
type PsJSONSize struct {
	RootFsSize int64 `json:"rootFsSize"`
	RwSize     int64 `json:"rwSize"`
}

func runPs(ctx context.Context, o *PsOptions) error {
	flt, err := libpod.ParseContainerFilters(o.Filters, time.Now())
	if err != nil {
		return cmdutil.FlagErrorf("invalid --filter: %w", err)
	}
	format := o.Format
	if format == "" {
		format = psDefaultFormat
		if o.Namespace {
			format = psNSFormat
		}
		if o.Pod {
			format += "\t{{.Pod}}\t{{.PodName}}"
		}
		if o.Size {
			format += "\t{{.Size}}"
		}
	}
	if _, err := report.NewWriter(io.Discard, "ps", format); err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	if err := flt.Resolve(e.Container); err != nil {
		return err
	}
	if o.Watch == 0 || o.Quiet || psIsJSON(o.Format) {
		return psOnce(ctx, o, e, flt, format, o.Factory.IOStreams.Out)
	}
	tick := time.NewTicker(time.Duration(o.Watch) * time.Second)
	defer tick.Stop()
	for {
		// Clear the screen and draw the list again.
		fmt.Fprint(o.Factory.IOStreams.Out, "\x1b[2J\x1b[1;1H")
		if err := psOnce(ctx, o, e, flt, format, o.Factory.IOStreams.Out); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// psOnce lists the containers once.
func psOnce(ctx context.Context, o *PsOptions, e cmdutil.Engine, flt *libpod.ContainerFilter, format string, dst io.Writer) error {
	ctrs, bad, err := e.ListContainers()
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintln(o.Factory.IOStreams.ErrOut, cmdutil.Message(b))
	}
	now := time.Now()
	last := o.Last
	if o.Latest {
		last = 1
	}
	// As in podman, a status filter and --last look at every container.
	all := o.All || last >= 0 || flt.Has("status")
	sel := make([]*libpod.Container, 0, len(ctrs))
	for _, c := range ctrs {
		if (all || c.State.Status.IsActive()) && flt.Match(c) {
			sel = append(sel, c)
		}
	}
	if last >= 0 && len(sel) > last {
		sel = sel[len(sel)-last:]
	}
	var ext []libpod.ExternalContainer
	if o.External {
		xs, err := e.ExternalContainers()
		if err != nil {
			return err
		}
		for _, x := range xs {
			if flt.MatchExternal(x) {
				ext = append(ext, x)
			}
		}
	}
	out := bufio.NewWriter(dst)
	defer out.Flush()
	rows := make([]PsRow, 0, len(sel)+len(ext))
	for _, c := range sel {
		rows = append(rows, psRow(c, now, o.NoTrunc))
	}
	for _, x := range ext {
		rows = append(rows, externalRow(x, now, o.NoTrunc))
	}
	if (o.Size && !o.Quiet) || o.Sort == "size" {
		// Storage containers that are not pod's have no size here.
		for i, c := range sel {
			if sz, err := e.ContainerSize(ctx, c.ID()); err == nil {
				rows[i].size = sz
				rows[i].Size = psSize(sz.RW) + " (virtual " + psSize(sz.RootFs) + ")"
			}
		}
	}
	if o.Namespace && !o.Quiet {
		for i, c := range sel {
			ns := c.Namespaces()
			r := &rows[i]
			r.CgroupNS, r.IPCNS, r.MNTNS, r.NETNS, r.PIDNS, r.UserNS, r.UTSNS = ns.Cgroup, ns.IPC, ns.MNT, ns.NET, ns.PIDNS, ns.User, ns.UTS
		}
	}
	order := sortPsRows(rows, o.Sort)
	if o.Quiet {
		for _, i := range order {
			fmt.Fprintln(out, rows[i].ID)
		}
		return nil
	}
	if psIsJSON(o.Format) {
		js := make([]PsJSON, 0, len(rows))
		for _, i := range order {
			var j PsJSON
			if i < len(sel) {
				j = psJSON(sel[i], now)
			} else {
				j = externalJSON(ext[i-len(sel)], now)
			}
			if o.Size {
				j.Size = &PsJSONSize{RootFsSize: rows[i].size.RootFs, RwSize: rows[i].size.RW}
			}
			if o.Namespace {
				r := rows[i]
				j.Namespaces = PsJSONNamespaces{Cgroup: r.CgroupNS, IPC: r.IPCNS, MNT: r.MNTNS, NET: r.NETNS, PIDNS: r.PIDNS, User: r.UserNS, UTS: r.UTSNS}
			}
			js = append(js, j)
		}
		return report.WriteJSON(out, js)
	}
	sorted := make([]PsRow, len(rows))
	for k, i := range order {
		sorted[k] = rows[i]
	}
	if o.Format == "" && !o.Namespace {
		return psDefaultTable(out, sorted, o)
	}
	w, err := report.NewWriter(out, "ps", format)
	if err != nil {
		return cmdutil.FlagErrorf("invalid --format: %w", err)
	}
	w.NoHeading = o.NoHeading
	w.Headers = map[string]string{"ID": "CONTAINER ID", "CreatedHuman": "CREATED", "RunningFor": "CREATED", "Image": "IMAGE",
		"Pod": "POD ID", "PodName": "PODNAME", "CgroupNS": "CGROUPNS", "IPCNS": "IPC", "MNTNS": "MNT", "NETNS": "NET",
		"PIDNS": "PIDNS", "UserNS": "USERNS", "UTSNS": "UTS"}
	err = w.Write(sorted)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("ps --format: %w", err)
	}
	return nil
}

// sortPsRows returns the order of rows by key (podman's --sort keys);
// rows that compare equal keep their order (oldest first).
func sortPsRows(rows []PsRow, key string) []int {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	less := func(a, b *PsRow) bool { return a.created.Before(b.created) }
	switch key {
	case "command":
		less = func(a, b *PsRow) bool { return a.Command < b.Command }
	case "id":
		less = func(a, b *PsRow) bool { return a.ID < b.ID }
	case "image":
		less = func(a, b *PsRow) bool { return a.Image < b.Image }
	case "names":
		less = func(a, b *PsRow) bool { return a.Names < b.Names }
	case "runningfor":
		less = func(a, b *PsRow) bool { return a.started.Before(b.started) }
	case "size":
		less = func(a, b *PsRow) bool { return a.size.RootFs < b.size.RootFs }
	case "status":
		less = func(a, b *PsRow) bool { return a.Status < b.Status }
	}
	sort.SliceStable(order, func(i, j int) bool { return less(&rows[order[i]], &rows[order[j]]) })
	return order
}

func shortID(id string, noTrunc bool) string {
	if noTrunc {
		return id
	}
	return define.ShortID(id)
}

const psTimeLayout = "2006-01-02 15:04:05.999999999 -0700 MST"

func psRow(c *libpod.Container, now time.Time, noTrunc bool) PsRow {
	st := c.State
	created := c.Config.Created
	ago := report.TimeAgo(created, now)
	return PsRow{
		ID:           shortID(c.ID(), noTrunc),
		Image:        c.Config.ImageName,
		ImageID:      shortID(c.Config.ImageID, noTrunc),
		Command:      strings.Join(c.ProcessArgs(), " "),
		CreatedHuman: ago,
		RunningFor:   ago,
		CreatedAt:    created.Format(psTimeLayout),
		Created:      created.Unix(),
		Status:       psStatus(c, now),
		State:        string(st.Status),
		Names:        c.Name(),
		Ports:        psPorts(c),
		Labels:       c.Config.Labels,
		ExitCode:     st.ExitCode,
		Exited:       st.Status == define.StatusExited,
		Pid:          st.Pid,
		AutoRemove:   c.Config.AutoRemove,
		started:      st.StartedAt,
		created:      created,
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
	if len(c.Config.PortMappings) == 0 {
		return ""
	}
	out := make([]string, 0, len(c.Config.PortMappings))
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

func psJSON(c *libpod.Container, now time.Time) PsJSON {
	st := c.State
	return PsJSON{
		AutoRemove: c.Config.AutoRemove,
		Command:    c.ProcessArgs(),
		CreatedAt:  report.TimeAgo(c.Config.Created, now),
		Created:    c.Config.Created.Unix(),
		Exited:     st.Status == define.StatusExited,
		ExitedAt:   st.FinishedAt.Unix(),
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
		StartedAt:  st.StartedAt.Unix(),
		State:      string(c.State.Status),
		Status:     psStatus(c, now),
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
		CreatedAt:    x.Created.Format(psTimeLayout),
		Created:      x.Created.Unix(),
		Status:       "Storage",
		State:        "storage",
		Names:        strings.Join(x.Names, ","),
		created:      x.Created,
	}
}

func externalJSON(x libpod.ExternalContainer, now time.Time) PsJSON {
	names := x.Names
	if names == nil {
		names = []string{}
	}
	var zero time.Time
	return PsJSON{
		Command: []string{x.Creator}, CreatedAt: report.TimeAgo(x.Created, now), Created: x.Created.Unix(),
		ID: x.ID, Image: x.Image, ImageID: x.ImageID, Labels: map[string]string{}, Mounts: []string{}, Names: names,
		Networks: []string{}, State: "storage", Status: "Storage", ExitedAt: zero.Unix(), StartedAt: zero.Unix(),
	}
}

// psIsJSON reports whether format asks for JSON.
func psIsJSON(format string) bool {
	_, _, isJSON := report.NormalizeFormat(format)
	return isJSON
}

// psSize is a size as ps --size shows it: "7.8MB", no space.
func psSize(n int64) string { return strings.ReplaceAll(report.HumanSize(n), " ", "") }

// psDefaultTable writes the default table (with the POD and SIZE columns of
// -p and -s) cell by cell: the same output as psDefaultFormat through a
// template, without a template's cost per row (ps lists thousands).
func psDefaultTable(out io.Writer, rows []PsRow, o *PsOptions) error {
	tw := report.NewTabWriter(out)
	head := "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES"
	if o.Pod {
		head += "\tPOD ID\tPODNAME"
	}
	if o.Size {
		head += "\tSIZE"
	}
	if !o.NoHeading {
		io.WriteString(tw, head+"\n")
	}
	var line []byte
	for i := range rows {
		r := &rows[i]
		line = append(line[:0], r.ID...)
		for _, cell := range [...]string{r.Image, r.Command, r.CreatedHuman, r.Status, r.Ports, r.Names} {
			line = append(append(line, '\t'), cell...)
		}
		if o.Pod {
			line = append(append(append(append(line, '\t'), r.Pod...), '\t'), r.PodName...)
		}
		if o.Size {
			line = append(append(line, '\t'), r.Size...)
		}
		if _, err := tw.Write(append(line, '\n')); err != nil {
			return fmt.Errorf("ps: %w", err)
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("ps: %w", err)
	}
	return nil
}
