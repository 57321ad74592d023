// Package portfwd is the port forwarder of slirp4netns containers: it
// binds the published host ports in the host's network namespace and, for
// each connection, dials the container's port inside the container's
// network namespace (a bound namespace file), with rootlesskit's builtin
// port driver (its parent and child halves in one process). It imports
// the standard library, x/sys and rootlesskit's port packages only.
package portfwd
