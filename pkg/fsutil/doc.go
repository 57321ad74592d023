// Package fsutil owns durable file writes (temp file, fsync, rename, fsync of
// the directory) and flock-based advisory locks. It imports only the standard
// library and x/sys so the monitor can use it.
package fsutil
