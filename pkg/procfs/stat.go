package procfs

import (
	"bytes"
	"os"
	"strconv"
)

// startField is the index of starttime (field 22 of /proc/<pid>/stat)
// among the fields that follow the command name: state is field 3 and
// index 0.
const startField = 22 - 3

// StartTime returns the start time of pid in clock ticks since boot. It
// returns 0 when the process does not exist, its stat file is malformed, or
// it has exited (zombie or dead).
func StartTime(pid int) uint64 {
	if pid <= 0 {
		return 0
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	state, start, ok := parseStat(data)
	if !ok || state == 'Z' || state == 'X' {
		return 0
	}
	return start
}

// Alive reports whether pid is a running process and, when start is not 0,
// whether it is the process that started at start (not a reuse of the pid).
func Alive(pid int, start uint64) bool {
	got := StartTime(pid)
	return got != 0 && (start == 0 || got == start)
}

// parseStat returns the state and the start time from the content of a
// /proc/<pid>/stat file. The command name in parentheses may hold spaces
// and parentheses itself, so the fields are read after the last ')'.
func parseStat(data []byte) (state byte, start uint64, ok bool) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 || i+1 >= len(data) || data[i+1] != ' ' {
		return 0, 0, false
	}
	f := bytes.Fields(data[i+1:])
	if len(f) <= startField || len(f[0]) != 1 {
		return 0, 0, false
	}
	start, err := strconv.ParseUint(string(f[startField]), 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return f[0][0], start, true
}

// Stopped reports whether pid is stopped by a signal (state T).
func Stopped(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	state, _, ok := parseStat(data)
	return ok && state == 'T'
}
