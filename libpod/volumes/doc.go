// Package volumes owns the named volumes on disk: one directory per volume
// below the volume root, `<name>/config.json` (what `volume inspect` shows
// and the copy-up and chown marks) and `<name>/_data` (the content
// containers see). A volume exists exactly while its config.json does; it
// is created in a temporary directory and renamed into place, and removed
// config first. Every change happens under the volume's lock (the engine's
// lock manager, lock name "volume-<name>"), and every write is atomic.
//
// The package knows nothing of containers: the engine (package libpod)
// decides what is in use, and mounts and archives the data.
package volumes
