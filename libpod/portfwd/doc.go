// Package portfwd is the port forwarder of published ports: it binds the
// host ports in the host's network namespace and, for each connection,
// has the container's port dialed inside the container's network namespace
// (a bound namespace file) by the child half of rootlesskit's builtin port
// driver. TCP connections are copied by this package (a batching copy, see
// tcp.go); UDP ports are the driver's parent half's. It imports the
// standard library, x/sys and rootlesskit's port packages only.
package portfwd
