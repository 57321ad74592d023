package protocol

import (
	"fmt"
	"strconv"
	"strings"
)

// A pid record names a process for as long as it lives: its pid and its
// start time (clock ticks since boot, field 22 of /proc/PID/stat), so that
// a pid reused by another process is never taken for it. It is one line,
// "PID START\n"; the monitor writes its own and its network helper's.
type PidRecord struct {
	Pid   int
	Start uint64
}

// Bytes is the record's file content.
func (p PidRecord) Bytes() []byte {
	return []byte(strconv.Itoa(p.Pid) + " " + strconv.FormatUint(p.Start, 10) + "\n")
}

// ParsePidRecord reads a pid record.
func ParsePidRecord(data []byte) (PidRecord, error) {
	f := strings.Fields(string(data))
	if len(f) == 2 {
		pid, err1 := strconv.Atoi(f[0])
		start, err2 := strconv.ParseUint(f[1], 10, 64)
		if err1 == nil && err2 == nil && pid > 0 && start > 0 {
			return PidRecord{Pid: pid, Start: start}, nil
		}
	}
	return PidRecord{}, fmt.Errorf("bad pid record %q", data)
}
