// Package lock hands out per-object multi-process locks: one flock file per
// container or global object, in a directory given by the engine.
package lock
