package protocol

import (
	"encoding/json"
	"fmt"
	"time"
)

// Sync records (monitor → CLI) are JSON objects, one per line, on the pipe
// named by EnvSyncFD:
//
//	{"type":"started","pid":1234,"exitCode":0,"oomKilled":false}
//	{"type":"error","message":"crun: ...","exitCode":127,"oomKilled":false}
//	{"type":"exit","exitCode":3,"oomKilled":false,"exitedAt":"2026-11-23T10:11:12.123456789Z"}
//
// "started" follows a successful runtime create, network setup and runtime
// start (or one `run --detach` when nothing happens in between). "error"
// reports a failure before the container started (ExitCodeNotFound,
// ExitCodeCannotInvoke, else ExitCodePodFailed); the runtime state is
// already deleted and the network helper stopped when it is sent, and the
// monitor then exits with status 1. "exit" follows the container's exit
// once its output is drained and the exit file written; the monitor deletes
// the runtime state right after sending it.
//
// Ctl records (CLI → monitor) travel the same way on the pipe named by
// EnvCtlFD:
//
//	{"type":"resize","rows":24,"cols":80}  set the terminal size
//	{"type":"cleaned"}                     the CLI ran the cleanup itself
//
// When the ctl pipe reaches EOF without "cleaned", the monitor runs the
// cleanup command after the container exits. When it is still open after
// "exit" was sent, the monitor waits up to CleanedTimeout for "cleaned" or
// EOF first.
type RecordType string

// Record types.
const (
	RecordStarted RecordType = "started"  // sync: the container runs
	RecordError   RecordType = "error"    // sync: the container could not be started
	RecordExit    RecordType = "exit"     // sync: the container exited
	RecordDetach  RecordType = "detached" // sync: the client typed the detach keys
	RecordResize  RecordType = "resize"   // ctl: set the terminal size
	RecordCleaned RecordType = "cleaned"  // ctl: the CLI ran the cleanup
)

// CleanedTimeout is how long the monitor waits after "exit" for the CLI to
// say "cleaned" or close the ctl pipe.
const CleanedTimeout = 30 * time.Second

// SyncRecord is one record of the sync pipe; Type says which fields count.
type SyncRecord struct {
	Type      RecordType `json:"type"`
	Pid       int        `json:"pid,omitempty"`      // started
	Message   string     `json:"message,omitempty"`  // error
	ExitCode  int        `json:"exitCode"`           // error, exit
	OOMKilled bool       `json:"oomKilled"`          // exit
	ExitedAt  string     `json:"exitedAt,omitempty"` // exit: RFC 3339 with nanoseconds
}

// Started is the record of a running container with init pid.
func Started(pid int) SyncRecord { return SyncRecord{Type: RecordStarted, Pid: pid} }

// Failed is the record of a start that failed with code, one of
// ExitCodePodFailed, ExitCodeCannotInvoke and ExitCodeNotFound.
func Failed(message string, code int) SyncRecord {
	return SyncRecord{Type: RecordError, Message: message, ExitCode: code}
}

// Detached is the record of a client that typed the detach keys: the
// monitor no longer uses its stdio, and the container goes on.
func Detached() SyncRecord { return SyncRecord{Type: RecordDetach} }

// Exited is the record of the container's exit, as the exit file says.
func Exited(e ExitFile) SyncRecord {
	return SyncRecord{Type: RecordExit, ExitCode: e.ExitCode, OOMKilled: e.OOMKilled, ExitedAt: e.ExitedAt}
}

// ExitFile returns what an exit record says, as the exit file holds it.
func (r SyncRecord) ExitFile() ExitFile {
	return ExitFile{ExitCode: r.ExitCode, ExitedAt: r.ExitedAt, OOMKilled: r.OOMKilled}
}

// CtlRecord is one record of the ctl pipe.
type CtlRecord struct {
	Type RecordType `json:"type"`
	Rows uint16     `json:"rows,omitempty"` // resize
	Cols uint16     `json:"cols,omitempty"` // resize
}

// Resize is the record that sets the container terminal's size.
func Resize(rows, cols uint16) CtlRecord {
	return CtlRecord{Type: RecordResize, Rows: rows, Cols: cols}
}

// Cleaned is the record that tells the monitor the CLI ran the cleanup.
func Cleaned() CtlRecord { return CtlRecord{Type: RecordCleaned} }

// Encode returns rec as one line (a SyncRecord or a CtlRecord).
func Encode(rec any) ([]byte, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	return append(b, '\n'), nil
}

// DecodeSync parses one line of the sync pipe.
func DecodeSync(line []byte) (SyncRecord, error) {
	var r SyncRecord
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("bad sync record %q: %w", line, err)
	}
	switch r.Type {
	case RecordStarted, RecordError, RecordExit, RecordDetach:
		return r, nil
	}
	return r, fmt.Errorf("bad sync record %q: unknown type %q", line, r.Type)
}

// DecodeCtl parses one line of the ctl pipe.
func DecodeCtl(line []byte) (CtlRecord, error) {
	var r CtlRecord
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("bad ctl record %q: %w", line, err)
	}
	switch r.Type {
	case RecordResize, RecordCleaned:
		return r, nil
	}
	return r, fmt.Errorf("bad ctl record %q: unknown type %q", line, r.Type)
}

// ExitFile is the content of the exit file the monitor writes atomically
// once the container has exited and its output is drained. Its presence
// is what tells every pod command that the container exited.
type ExitFile struct {
	ExitCode  int    `json:"exitCode"`
	ExitedAt  string `json:"exitedAt"` // RFC 3339 with nanoseconds
	OOMKilled bool   `json:"oomKilled"`
}

// NewExitFile records an exit with code at t.
func NewExitFile(code int, t time.Time, oomKilled bool) ExitFile {
	return ExitFile{ExitCode: code, ExitedAt: t.Format(time.RFC3339Nano), OOMKilled: oomKilled}
}

// ParseExitFile reads the content of an exit file.
func ParseExitFile(data []byte) (ExitFile, error) {
	var e ExitFile
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("bad exit file: %w", err)
	}
	if _, err := time.Parse(time.RFC3339Nano, e.ExitedAt); err != nil {
		return e, fmt.Errorf("bad exit file: exitedAt %q: %w", e.ExitedAt, err)
	}
	return e, nil
}

// Time is when the container exited (zero when unknown).
func (e ExitFile) Time() time.Time {
	t, err := time.Parse(time.RFC3339Nano, e.ExitedAt)
	if err != nil {
		return time.Time{}
	}
	return t
}
