package userns

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ErrNoSubIDs means the user has no range in /etc/subuid or /etc/subgid.
var ErrNoSubIDs = errors.New("no subordinate id range")

// ErrMissingTool means newuidmap or newgidmap is not installed.
var ErrMissingTool = errors.New("required program not found")

// IDRange is one line of /etc/subuid or /etc/subgid.
type IDRange struct {
	Start, Count uint32
}

// ParseSubIDs returns the ranges in r that belong to the user, matched by
// name or by numeric uid, in file order. Malformed lines are skipped.
func ParseSubIDs(r io.Reader, name string, uid int) ([]IDRange, error) {
	var out []IDRange
	id := strconv.Itoa(uid)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) != 3 || (f[0] != name && f[0] != id) {
			continue
		}
		start, err1 := strconv.ParseUint(f[1], 10, 32)
		count, err2 := strconv.ParseUint(f[2], 10, 32)
		if err1 != nil || err2 != nil || count == 0 {
			continue
		}
		out = append(out, IDRange{Start: uint32(start), Count: uint32(count)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// SubIDs reads the ranges of the user from file (/etc/subuid or /etc/subgid).
// No range gives an error naming the file and the command that fixes it.
func SubIDs(file, name string, uid int) ([]IDRange, error) {
	f, err := os.Open(file)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	var ranges []IDRange
	if f != nil {
		defer f.Close()
		if ranges, err = ParseSubIDs(f, name, uid); err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
	}
	if len(ranges) == 0 {
		return nil, fmt.Errorf("no range for user %s (uid %d) in %s: run `sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 %s`: %w",
			name, uid, file, name, ErrNoSubIDs)
	}
	return ranges, nil
}

// MapArgs builds the arguments of newuidmap/newgidmap for pid: the caller's
// own id becomes 0, the ranges follow from 1 on.
func MapArgs(pid, own int, ranges []IDRange) []string {
	args := []string{strconv.Itoa(pid), "0", strconv.Itoa(own), "1"}
	next := uint64(1)
	for _, r := range ranges {
		args = append(args, strconv.FormatUint(next, 10), strconv.FormatUint(uint64(r.Start), 10), strconv.FormatUint(uint64(r.Count), 10))
		next += uint64(r.Count)
	}
	return args
}
