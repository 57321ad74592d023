package ps

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

// DefaultDescriptors are what top shows when given none: podman's
// `USER PID PPID %CPU ELAPSED TTY TIME COMMAND`.
func DefaultDescriptors() []string {
	return []string{"user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"}
}

// descriptor is one column: its AIX code (ps(1): "%C"), its name
// ("pcpu"), its header and its value.
type descriptor struct {
	code, name, header string
	value              func(p *Process, c *Context) string
}

// descriptors are podman's (psgo's), in its order.
func descriptors() []descriptor {
	return []descriptor{
		{"%C", "pcpu", "%CPU", pcpu},
		{"%G", "group", "GROUP", func(p *Process, c *Context) string { return c.groupName(p.GIDs[1]) }},
		{"", "groups", "GROUPS", func(p *Process, c *Context) string { return joinIDs(p.Groups, c.groupName) }},
		{"%P", "ppid", "PPID", func(p *Process, c *Context) string { return strconv.Itoa(p.NSPPid) }},
		{"%U", "user", "USER", func(p *Process, c *Context) string { return c.userName(p.UIDs[1]) }},
		{"", "uid", "UID", func(p *Process, c *Context) string { return strconv.Itoa(p.UIDs[1]) }},
		{"%a", "args", "COMMAND", args},
		{"%c", "comm", "COMMAND", func(p *Process, c *Context) string { return p.Comm }},
		{"%g", "rgroup", "RGROUP", func(p *Process, c *Context) string { return c.groupName(p.GIDs[0]) }},
		{"%n", "nice", "NI", func(p *Process, c *Context) string { return p.Nice }},
		{"%p", "pid", "PID", func(p *Process, c *Context) string { return strconv.Itoa(p.NSPid) }},
		{"%r", "pgid", "PGID", func(p *Process, c *Context) string { return strconv.Itoa(p.NSPgid) }},
		{"%t", "etime", "ELAPSED", func(p *Process, c *Context) string { return c.elapsed(p).String() }},
		{"%u", "ruser", "RUSER", func(p *Process, c *Context) string { return c.userName(p.UIDs[0]) }},
		{"%x", "time", "TIME", func(p *Process, c *Context) string { return c.cpuTime(p).String() }},
		{"%y", "tty", "TTY", func(p *Process, c *Context) string { return TTYName(p.TtyNr) }},
		{"%z", "vsz", "VSZ", func(p *Process, c *Context) string { return strconv.FormatUint(p.VSize/1024, 10) }},
		{"", "capamb", "AMBIENT CAPS", func(p *Process, c *Context) string { return c.caps(p.CapAmb) }},
		{"", "capinh", "INHERITED CAPS", func(p *Process, c *Context) string { return c.caps(p.CapInh) }},
		{"", "capprm", "PERMITTED CAPS", func(p *Process, c *Context) string { return c.caps(p.CapPrm) }},
		{"", "capeff", "EFFECTIVE CAPS", func(p *Process, c *Context) string { return c.caps(p.CapEff) }},
		{"", "capbnd", "BOUNDING CAPS", func(p *Process, c *Context) string { return c.caps(p.CapBnd) }},
		{"", "seccomp", "SECCOMP", seccomp},
		{"", "label", "LABEL", func(p *Process, c *Context) string { return orQuestion(p.Label) }},
		{"", "hpid", "HPID", func(p *Process, c *Context) string { return strconv.Itoa(p.Pid) }},
		{"", "huser", "HUSER", func(p *Process, c *Context) string { return c.hostUID(p.UIDs[1]) }},
		{"", "huid", "HUID", func(p *Process, c *Context) string { return c.hostUID(p.UIDs[1]) }},
		{"", "hgroup", "HGROUP", func(p *Process, c *Context) string { return c.hostGID(p.GIDs[1]) }},
		{"", "hgroups", "HGROUPS", func(p *Process, c *Context) string { return joinIDs(p.Groups, c.hostGID) }},
		{"", "rss", "RSS", func(p *Process, c *Context) string { return orZero(p.RSS) }},
		{"", "state", "STATE", func(p *Process, c *Context) string { return p.State }},
		{"", "stime", "STIME", func(p *Process, c *Context) string { return c.start(p).String() }},
	}
}

// Names lists the descriptors by name, sorted.
func Names() []string {
	var names []string
	for _, d := range descriptors() {
		names = append(names, d.name)
	}
	slices.Sort(names)
	return names
}

// ParseDescriptors turns top's arguments into descriptor names. Each
// argument may hold several, separated by commas; ps(1)-style options are
// understood as far as they select columns: -e and -A (every process of
// the container is always shown) and -o LIST. No descriptor at all gives
// DefaultDescriptors. An unknown descriptor or option is an error wrapping
// define.ErrInvalidArg.
func ParseDescriptors(args []string) ([]string, error) {
	var out []string
	known := descriptors()
	for _, arg := range args {
		if opts, ok := strings.CutPrefix(arg, "-"); ok {
			list, err := psOptions(arg, opts)
			if err != nil {
				return nil, err
			}
			arg = list
		}
		for _, d := range strings.Split(arg, ",") {
			d = strings.TrimSpace(d)
			if d == "" {
				continue
			}
			i := slices.IndexFunc(known, func(k descriptor) bool { return d == k.name || d == k.code })
			if i < 0 {
				return nil, fmt.Errorf("unknown descriptor %q: use one of %s: %w", d, strings.Join(Names(), ", "), define.ErrInvalidArg)
			}
			out = append(out, known[i].name)
		}
	}
	if len(out) == 0 {
		return DefaultDescriptors(), nil
	}
	return out, nil
}

// psOptions reads one ps(1) option word (without its dash): e and A are
// accepted and ignored, o ends the word and the rest is a descriptor list.
func psOptions(arg, opts string) (string, error) {
	for i, r := range opts {
		switch r {
		case 'e', 'A':
		case 'o':
			return opts[i+1:], nil
		default:
			return "", fmt.Errorf("unknown descriptor %q: ps options other than -e, -A and -o are not supported: %w", arg, define.ErrInvalidArg)
		}
	}
	return "", nil
}

// Table returns the header row and one row per process for the named
// descriptors (from ParseDescriptors).
func Table(procs []*Process, names []string, c *Context) [][]string {
	known := descriptors()
	cols := make([]descriptor, 0, len(names))
	for _, n := range names {
		if i := slices.IndexFunc(known, func(k descriptor) bool { return k.name == n }); i >= 0 {
			cols = append(cols, known[i])
		}
	}
	header := make([]string, len(cols))
	for i, d := range cols {
		header[i] = d.header
	}
	rows := [][]string{header}
	for _, p := range procs {
		row := make([]string, len(cols))
		for i, d := range cols {
			row[i] = d.value(p, c)
		}
		rows = append(rows, row)
	}
	return rows
}

// args is the command line with its arguments as ps shows it: NULs become
// spaces (the trailing one too, as podman prints it); a process without
// one (a kernel thread, a zombie) shows "[name]".
func args(p *Process, c *Context) string {
	if p.Cmdline == "" || p.Cmdline[0] == 0 {
		return "[" + p.Name + "]"
	}
	return strings.ReplaceAll(p.Cmdline, "\x00", " ")
}

func pcpu(p *Process, c *Context) string {
	pct := 0.0
	if e := c.elapsed(p).Seconds(); e > 0 {
		pct = 100 * c.cpuTime(p).Seconds() / e
	}
	return strconv.FormatFloat(pct, 'f', 3, 64)
}

func seccomp(p *Process, c *Context) string {
	switch p.Seccomp {
	case "0":
		return "disabled"
	case "1":
		return "strict"
	case "2":
		return "filter"
	}
	return "?"
}

func orQuestion(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func joinIDs(ids []int, name func(int) string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = name(id)
	}
	return strings.Join(out, ",")
}

// TTYName names a controlling terminal from stat's tty_nr: "pts/N" for
// pseudo-terminals, "ttyN", "ttySN", "console", and "?" for none.
func TTYName(nr uint64) string {
	major := (nr >> 8) & 0xfff
	minor := (nr & 0xff) | ((nr >> 12) & 0xfff00)
	switch {
	case nr == 0:
		return "?"
	case major >= 136 && major <= 143:
		return "pts/" + strconv.FormatUint((major-136)*256+minor, 10)
	case major == 4 && minor < 64:
		return "tty" + strconv.FormatUint(minor, 10)
	case major == 4:
		return "ttyS" + strconv.FormatUint(minor-64, 10)
	case major == 5 && minor == 1:
		return "console"
	}
	return "?"
}

// start is when p started, to the second, as psgo computes it.
func (c *Context) start(p *Process) time.Time {
	return time.Unix(c.BootTime+int64(p.StartTicks)/c.ticks(), 0)
}

func (c *Context) elapsed(p *Process) time.Duration { return c.Now.Sub(c.start(p)) }

// cpuTime is the user and system time of p, in whole seconds.
func (c *Context) cpuTime(p *Process) time.Duration {
	return time.Duration(int64(p.UTicks+p.STicks)/c.ticks()) * time.Second
}

func (c *Context) ticks() int64 {
	if c.ClockTicks > 0 {
		return c.ClockTicks
	}
	return 100
}
