// Package libpod is the engine. It owns the storage Store, the per-container
// configuration and state files, their locks, and the container lifecycle:
// create, start (through one pod-monitor process per container), stop, kill,
// wait, cleanup and removal. Every mutation follows lock → sync (re-read the
// state and the monitor's exit file) → act → save, and every state write is
// atomic, so concurrent pod processes and crashes never leave a torn file.
package libpod
