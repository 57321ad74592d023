// Package define is the leaf of the engine: sentinel errors, container states
// with their allowed transitions, and the exit codes pod's CLI maps errors to.
// It imports only the standard library so every other package may use it.
package define
