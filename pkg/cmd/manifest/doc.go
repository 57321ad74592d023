// Package manifest holds the `pod manifest` noun and its verbs: create,
// add, inspect, annotate, remove, rm, exists and push of manifest lists
// (image indexes) kept in local storage.
package manifest
