// Package volume holds the `pod volume` noun and its verbs: create, ls,
// inspect, rm, prune, exists, export, import, mount and unmount of named
// volumes (the engine's local driver).
package volume
