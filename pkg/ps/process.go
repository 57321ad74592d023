package ps

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Process is what /proc tells of one process, as read from the namespace
// of the reader (the host's pid namespace, pod's user namespace).
type Process struct {
	// Pid is the pid in the reader's namespace (hpid); NSPid, NSPPid and
	// NSPgid are the pid, parent pid and process group in the process's
	// own pid namespace (the container's). NSPPid is 0 when the parent is
	// outside that namespace.
	Pid, PPid              int
	NSPid, NSPPid, NSPgid  int
	Comm                   string // stat's command name
	Name                   string // status's Name
	Cmdline                string // /proc/PID/cmdline, NULs as they are
	State                  string // one letter: R, S, D, Z...
	UIDs, GIDs             [4]int // real, effective, saved, filesystem
	Groups                 []int  // supplementary groups
	TtyNr                  uint64
	Nice                   string
	StartTicks             uint64 // since boot, in clock ticks
	UTicks, STicks         uint64 // user and system CPU time, in clock ticks
	VSize                  uint64 // bytes
	RSS                    string // VmRSS in KiB, "" for kernel threads
	Seccomp                string // 0, 1 or 2
	CapInh, CapPrm, CapEff uint64
	CapBnd, CapAmb         uint64
	Label                  string // attr/current, "" when unsupported
	PidNamespace           string // the ns/pid link
}

// stat fields after the command name: state is index 0.
const (
	statPPid      = 4 - 3
	statTtyNr     = 7 - 3
	statUTime     = 14 - 3
	statSTime     = 15 - 3
	statNice      = 19 - 3
	statStartTime = 22 - 3
	statVSize     = 23 - 3
)

// Read reads process pid below procDir ("/proc").
func Read(procDir string, pid int) (*Process, error) {
	dir := filepath.Join(procDir, strconv.Itoa(pid))
	p := &Process{Pid: pid}
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return nil, err
	}
	if err := p.parseStat(stat); err != nil {
		return nil, fmt.Errorf("%s/stat: %w", dir, err)
	}
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return nil, err
	}
	if err := p.parseStatus(status); err != nil {
		return nil, fmt.Errorf("%s/status: %w", dir, err)
	}
	cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
	if err != nil {
		return nil, err
	}
	p.Cmdline = string(cmdline)
	if label, err := os.ReadFile(filepath.Join(dir, "attr", "current")); err == nil {
		p.Label = strings.TrimRight(string(label), "\x00\n")
	}
	p.PidNamespace, _ = os.Readlink(filepath.Join(dir, "ns", "pid"))
	return p, nil
}

// parseStat reads /proc/PID/stat. The command name may hold spaces and
// parentheses: the fields are read after the last ')'.
func (p *Process) parseStat(data []byte) error {
	open, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 0 || end < open {
		return fmt.Errorf("malformed stat %q", data)
	}
	p.Comm = string(data[open+1 : end])
	f := strings.Fields(string(data[end+1:]))
	if len(f) <= statVSize {
		return fmt.Errorf("short stat %q", data)
	}
	p.State = f[0]
	var err error
	num := func(i int) uint64 {
		n, e := strconv.ParseUint(f[i], 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("field %d of stat: %w", i+3, e)
		}
		return n
	}
	p.PPid = int(num(statPPid))
	p.TtyNr = num(statTtyNr)
	p.UTicks, p.STicks = num(statUTime), num(statSTime)
	p.StartTicks, p.VSize = num(statStartTime), num(statVSize)
	p.Nice = f[statNice]
	return err
}

// parseStatus reads the fields of /proc/PID/status that stat lacks.
func (p *Process) parseStatus(data []byte) error {
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(val)
		var err error
		switch key {
		case "Name":
			p.Name = strings.TrimSpace(val)
		case "State":
			if len(f) > 0 {
				p.State = f[0]
			}
		case "Uid":
			err = parseIDs(f, &p.UIDs)
		case "Gid":
			err = parseIDs(f, &p.GIDs)
		case "Groups":
			for _, g := range f {
				n, e := strconv.Atoi(g)
				if e != nil {
					return fmt.Errorf("Groups: %w", e)
				}
				p.Groups = append(p.Groups, n)
			}
		case "NSpid":
			p.NSPid, err = lastInt(f)
		case "NSpgid":
			p.NSPgid, err = lastInt(f)
		case "VmRSS":
			if len(f) > 0 {
				p.RSS = f[0]
			}
		case "Seccomp":
			p.Seccomp = strings.TrimSpace(val)
		case "CapInh":
			p.CapInh, err = strconv.ParseUint(strings.TrimSpace(val), 16, 64)
		case "CapPrm":
			p.CapPrm, err = strconv.ParseUint(strings.TrimSpace(val), 16, 64)
		case "CapEff":
			p.CapEff, err = strconv.ParseUint(strings.TrimSpace(val), 16, 64)
		case "CapBnd":
			p.CapBnd, err = strconv.ParseUint(strings.TrimSpace(val), 16, 64)
		case "CapAmb":
			p.CapAmb, err = strconv.ParseUint(strings.TrimSpace(val), 16, 64)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	if p.NSPid == 0 {
		p.NSPid = p.Pid
	}
	return nil
}

func parseIDs(f []string, ids *[4]int) error {
	if len(f) != 4 {
		return fmt.Errorf("want 4 ids, got %q", f)
	}
	for i, s := range f {
		n, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		ids[i] = n
	}
	return nil
}

// lastInt is the last of the fields: the value in the innermost namespace.
func lastInt(f []string) (int, error) {
	if len(f) == 0 {
		return 0, nil
	}
	return strconv.Atoi(f[len(f)-1])
}

// List returns the processes below procDir that share the pid namespace of
// pid (pid itself included), ordered by their pid in that namespace, with
// NSPPid set. Processes that exit while being read are left out.
func List(procDir string, pid int) ([]*Process, error) {
	ns, err := os.Readlink(filepath.Join(procDir, strconv.Itoa(pid), "ns", "pid"))
	if err != nil {
		return nil, fmt.Errorf("pid namespace of %d: %w", pid, err)
	}
	ents, err := os.ReadDir(procDir)
	if err != nil {
		return nil, err
	}
	var procs []*Process
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if link, err := os.Readlink(filepath.Join(procDir, e.Name(), "ns", "pid")); err != nil || link != ns {
			continue
		}
		p, err := Read(procDir, n)
		if err != nil {
			if os.IsNotExist(err) {
				continue // exited meanwhile
			}
			return nil, err
		}
		procs = append(procs, p)
	}
	Link(procs)
	return procs, nil
}

// Link sorts procs by their namespace pid and sets each NSPPid from the
// parent's namespace pid (0 when the parent is not among them).
func Link(procs []*Process) {
	sort.Slice(procs, func(i, j int) bool { return procs[i].NSPid < procs[j].NSPid })
	byPid := make(map[int]*Process, len(procs))
	for _, p := range procs {
		byPid[p.Pid] = p
	}
	for _, p := range procs {
		p.NSPPid = 0
		if parent := byPid[p.PPid]; parent != nil {
			p.NSPPid = parent.NSPid
		}
	}
}
