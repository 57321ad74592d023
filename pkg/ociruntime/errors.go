package ociruntime

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors matched by *Error through errors.Is.
var (
	// ErrNotFound: the container's executable was not found (exit code 127).
	ErrNotFound = errors.New("executable not found")
	// ErrPermission: the container's executable cannot be run (exit code 126).
	ErrPermission = errors.New("permission denied")
	// ErrNotExist: the runtime does not know the container.
	ErrNotExist = errors.New("container does not exist")
	// ErrNoRuntime: neither crun nor runc is installed.
	ErrNoRuntime = errors.New("no OCI runtime found: install crun or runc (apt-get install crun)")
)

// Error is a failed runtime command.
type Error struct {
	Runtime string // runtime name: "crun" or "runc"
	Op      string // runtime command: "create", "start", ...
	ID      string // container id, empty for commands without one
	Msg     string // the runtime's own message, one line (may be empty)
	Err     error  // underlying cause: exit status, timeout, exec failure
}

// Error returns "RUNTIME OP ID: MSG".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Runtime)
	b.WriteByte(' ')
	b.WriteString(e.Op)
	if e.ID != "" {
		b.WriteByte(' ')
		b.WriteString(e.ID)
	}
	b.WriteString(": ")
	switch {
	case e.Msg != "" && e.Err != nil && isTimeout(e.Err):
		b.WriteString(e.Msg)
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	case e.Msg != "":
		b.WriteString(e.Msg)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("failed")
	}
	return b.String()
}

// UserMessage returns "RUNTIME: MSG", the runtime's message as a user
// should see it (for example "crun: executable file `x` not found in $PATH:
// No such file or directory").
func (e *Error) UserMessage() string {
	msg := e.Msg
	if msg == "" && e.Err != nil {
		msg = e.Op + ": " + e.Err.Error()
	}
	return e.Runtime + ": " + msg
}

// Unwrap exposes the cause and the matching sentinel errors.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 3)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	switch e.Op {
	case "create", "start", "run", "exec":
		// Permission is checked first: "permission denied" messages may
		// also mention a missing file.
		if IsPermission(e.Msg) {
			errs = append(errs, ErrPermission)
		} else if IsNotFound(e.Msg) {
			errs = append(errs, ErrNotFound)
		}
	default:
		if isNotExist(e.Msg) {
			errs = append(errs, ErrNotExist)
		}
	}
	return errs
}

func isTimeout(err error) bool {
	return strings.Contains(err.Error(), "deadline exceeded") || strings.Contains(err.Error(), "timed out")
}

// IsNotFound reports whether a runtime message says the container's
// executable does not exist, e.g. crun's "executable file `foo` not found in
// $PATH: No such file or directory" or runc's `exec: "foo": executable file
// not found in $PATH` and `exec: "/x": stat /x: no such file or directory`.
// A missing file that is not the executable (a namespace path, a mount
// source) is pod's or the runtime's failure, not the command's.
func IsNotFound(msg string) bool {
	m := strings.ToLower(msg)
	return (strings.Contains(m, "executable file") && strings.Contains(m, "not found")) ||
		(strings.Contains(m, `exec: "`) && strings.Contains(m, "no such file or directory"))
}

// IsPermission reports whether a runtime message says the container's
// executable cannot be run, e.g. crun's "open executable: Permission denied"
// or runc's `exec: "/etc": permission denied`. Other permission errors
// (mounts, namespaces) are not the command's.
func IsPermission(msg string) bool {
	m := strings.ToLower(msg)
	execContext := strings.Contains(m, "executable") || strings.Contains(m, `exec: "`)
	return execContext && (strings.Contains(m, "permission denied") || strings.Contains(m, "operation not permitted"))
}

func isNotExist(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "does not exist") || strings.Contains(m, "no such file or directory")
}

// lastMessage extracts the most relevant message from runtime output: the
// last error-level record if the output holds JSON or logrus text records,
// else the last non-empty line. The result is a single trimmed line.
func lastMessage(out []byte) string {
	lastErr, lastAny := scanMessages(out)
	if lastErr != "" {
		return lastErr
	}
	return lastAny
}

// scanMessages returns the last error-level message and the last message
// of any level in out.
func scanMessages(out []byte) (lastErr, lastAny string) {
	for _, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		msg, level := parseLogLine(line)
		if msg == "" {
			continue
		}
		lastAny = msg
		if level == "" || level == "error" || level == "fatal" || level == "panic" {
			lastErr = msg
		}
	}
	return lastErr, lastAny
}

// parseLogLine returns the message and level of one runtime output line:
// a JSON log record ({"msg":..,"level":..}), a logrus text record
// (time=".." level=error msg=".."), or plain text (level "").
func parseLogLine(line []byte) (msg, level string) {
	if line[0] == '{' {
		var rec struct {
			Msg   string `json:"msg"`
			Level string `json:"level"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.Msg != "" {
			return oneLine(rec.Msg), strings.ToLower(rec.Level)
		}
	}
	s := string(line)
	if strings.HasPrefix(s, "time=") {
		if i := strings.Index(s, " msg="); i >= 0 {
			m := s[i+len(" msg="):]
			if strings.HasPrefix(m, `"`) {
				if u, err := strconv.QuotedPrefix(m); err == nil {
					if uq, err := strconv.Unquote(u); err == nil {
						m = uq
					}
				}
			}
			lv := ""
			if j := strings.Index(s, " level="); j >= 0 {
				lv = s[j+len(" level="):]
				if k := strings.IndexByte(lv, ' '); k >= 0 {
					lv = lv[:k]
				}
			}
			return oneLine(m), strings.ToLower(lv)
		}
	}
	return oneLine(s), ""
}

// oneLine collapses a message to one trimmed line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}
