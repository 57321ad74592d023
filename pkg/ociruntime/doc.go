// Package ociruntime is a small fork/exec client for the OCI runtimes crun
// and runc: it finds the runtime binary and runs its create, start, kill,
// delete, state, pause, resume and --version commands with a timeout taken
// from the caller's context.
//
// Failures are returned as *Error values that carry the runtime's own
// one-line message (read from the runtime's JSON log for create, from its
// stderr for the other commands) and match the sentinel errors ErrNotFound,
// ErrPermission and ErrNotExist with errors.Is, so callers can map them to
// exit codes 127 and 126 or treat a missing container as already gone.
//
// It imports only the standard library and x/sys so that the container
// monitor can use it while staying small.
package ociruntime
