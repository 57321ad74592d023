// Package network holds the `pod network` noun and its verbs: create, ls,
// inspect, rm, prune, exists and reload of user networks, and the hidden
// port-forwarder a container's monitor runs for its published ports.
package network
