// Package network holds the `pod network` noun and its verbs: create, ls,
// inspect, rm, prune, exists and reload of user networks.
package network
