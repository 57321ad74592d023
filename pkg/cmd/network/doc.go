// Package network holds the `pod network` noun and its verbs: create, ls,
// inspect, rm, prune, exists and reload of user networks, and the hidden
// port-forwarder a slirp4netns container's monitor runs.
package network
