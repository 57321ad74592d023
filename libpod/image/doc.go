// Package image owns container images on top of the storage Store that the
// engine opens: it resolves short names through registries.conf, pulls with
// progress through the image library (docker, oci, oci-archive,
// docker-archive and dir sources), looks images up locally by id, id prefix,
// name or digest, lists, tags, untags and removes them, and reads their OCI
// configuration and the inspect document printed by `pod image inspect`.
//
// Manifest lists (manifest*.go) are layerless images holding an OCI index
// and the source of each instance; they are pushed from an in-memory list
// source that delegates each instance to its own source.
//
// It also builds the image library's SystemContext from the CLI options
// (auth file, --creds, --tls-verify, registries.conf, signature policy).
// The package keeps no state of its own: every function takes the Store.
package image
