// Package networks holds the user's networks on disk: one JSON file per
// network, <dir>/<name>.json, in the shape `network inspect` prints (the
// shape netavark reads). A network is created by an atomic write under the
// directory's lock, which also serialises the choice of a free subnet and
// bridge name; "podman" is the default network, never stored nor removed.
// Standard library, libpod/define and pkg/fsutil only.
package networks
