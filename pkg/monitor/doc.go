// Package monitor is the per-container monitor process (cmd/pod-monitor).
// One monitor runs for the whole life of a container: it runs the OCI
// runtime's create and start, sets up the network helper (pasta or
// slirp4netns), holds the container's stdio pipes or terminal, writes the
// k8s-file log and rotates it at its size limit (rotate.go), copies output
// to an attached client or, with passthrough, hands the client's own
// descriptors to the container (passthrough.go), forwards terminal
// resizes, reaps the container as a child subreaper, writes the exit file,
// deletes the runtime state and finally runs the cleanup command.
//
// The pod CLI talks to it over a typed protocol (see protocol.go): flags,
// inherited file descriptors named in environment variables, a sync pipe
// carrying JSON records from the monitor and a ctl pipe carrying JSON
// records to it.
//
// The package imports only pkg/ociruntime, pkg/fsutil, the standard library
// and x/sys, and keeps its heap, goroutines and buffers small: several
// monitors run for as long as their containers do.
package monitor
