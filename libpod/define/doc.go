// Package define is the leaf of the engine: the sentinel errors every layer
// wraps, the container statuses with their allowed transitions, and the
// short form of ids (ShortID) that messages and listings print. Exit
// codes are not here: the CLI maps sentinels to codes at its edge
// (pkg/cmdutil), with the code values of pkg/monitor/protocol. It imports
// only the standard library so every other package may use it.
package define
