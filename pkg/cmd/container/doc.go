// Package container holds the container verbs: create, start, run, ps, logs,
// stop, kill, rm, wait, inspect and the hidden cleanup the monitor calls.
package container
