// Package netns makes, removes and enters network namespaces bound to
// files: the monitor's per-container namespace, libpod's per-container
// namespace on user networks and the user's rootless network namespace.
// Standard library and x/sys only.
package netns
