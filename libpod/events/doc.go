// Package events owns pod's event log: the Event record (podman's fields and
// JSON), the file it is appended to, its rotation, the reader that lists and
// follows it, and the --filter, --since and --until parsing of `pod events`.
//
// The log is a file of JSON lines in a directory the engine gives (the
// per-boot runtime directory). Every event is one write(2) of one line on a
// descriptor opened with O_APPEND, so concurrent pod processes never
// interleave; writers hold a shared flock on the directory's lock file while
// writing, and the writer that finds the file past its size limit takes it
// exclusively and renames it to events.log.1, so a reader that follows the
// file never misses a line across a rotation.
//
// The package imports the standard library, libpod/define and pkg/fsutil only.
package events
